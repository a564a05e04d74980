//! The check of the Streams exercise (`stream-offsets`), on RabbitMQ 4's stream port.

use rust_i18n::t;

use super::{Check, why};

/// The offset of each `Handled offset N: …` line.
fn handled(lines: &[String]) -> Vec<u64> {
    lines
        .iter()
        .filter_map(|l| l.strip_prefix("Handled offset "))
        .filter_map(|rest| rest.split_once(':')?.0.parse().ok())
        .collect()
}

/// The student's consumer, run three times under one name over 20 messages
/// ([`super::resume::three_runs`]).
pub(crate) fn offsets(c: &mut Check) {
    let stream = c.fresh("offsets");
    let name = c.name("offsets-reader");
    let count = super::resume::COUNT.to_string();
    let Some(producer) = c.helper(
        "rabbit-stream-producer",
        &[
            "--stream",
            &stream,
            "--count",
            &count,
            "--message",
            "event {i}",
            "--quiet",
        ],
    ) else {
        return;
    };
    let Some(out) = c.finish(&t!("step.producing"), producer) else {
        return;
    };
    if !out.success() {
        c.fail(&t!("streams.producer_failed"), &why(&out));
        return;
    }
    let base = ["--stream", stream.as_str(), "--name", name.as_str()];
    super::resume::three_runs(c, &base, handled, "streams");
}
