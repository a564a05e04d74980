//! The check of the Streams exercise (`stream-offsets`), on RabbitMQ 4's stream port.

use std::collections::BTreeSet;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use mq_tests::Proc;
use rust_i18n::t;

use super::{Check, why};

/// How many messages the check puts on the stream.
const COUNT: u64 = 20;

/// A stream no earlier run used: a stream keeps its messages, which would skew a check.
fn fresh(c: &Check, what: &str) -> String {
    let stamp = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis());
    c.name(&format!("{what}-{stamp}"))
}

/// The offset of each `Handled offset N: …` line.
fn handled(lines: &[String]) -> Vec<u64> {
    lines
        .iter()
        .filter_map(|l| l.strip_prefix("Handled offset "))
        .filter_map(|rest| rest.split_once(':')?.0.parse().ok())
        .collect()
}

/// Three runs of the student's consumer under one name: the first handles 7 messages and
/// stops; the second, slow, is killed (SIGKILL) after 3; the third handles the rest. The
/// second must go on after the first (stored offset, not from the start), and the three
/// together must handle all 20, at most one twice (the one the kill interrupted).
pub(crate) fn offsets(c: &mut Check) {
    let stream = fresh(c, "offsets");
    let name = c.name("offsets-reader");
    let count = COUNT.to_string();
    let producer = Proc::spawn(
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
    );
    let Some(out) = c.finish(&t!("step.producing"), producer) else {
        return;
    };
    if !out.success() {
        c.fail(&t!("streams.producer_failed"), &why(&out));
        return;
    }
    let base = ["--stream", stream.as_str(), "--name", name.as_str()];
    let with = |extra: &[&'static str]| -> Vec<String> {
        base.iter().chain(extra).map(|s| (*s).to_owned()).collect()
    };
    let first_args = with(&["--max-messages", "7", "--idle-timeout", "5s"]);
    let first_args: Vec<&str> = first_args.iter().map(String::as_str).collect();
    let Some(first) = c.run(&t!("step.first_run"), &first_args) else {
        return;
    };
    let first_done = handled(&first.stdout);
    if first.success() && first_done.len() == 7 {
        c.pass(&t!("streams.first_run_7"));
    } else {
        c.fail(
            &t!("streams.first_run_wrong", n = first_done.len()),
            &why(&first),
        );
        return;
    }
    // A second run, killed in the middle of its work.
    let second_args = with(&["--work", "200ms", "--idle-timeout", "5s"]);
    let second_args: Vec<&str> = second_args.iter().map(String::as_str).collect();
    let mut second = c.start(&second_args);
    second.saw("Handled", 3, Duration::from_secs(20));
    second.kill();
    let Some(second) = c.finish(&t!("step.killed_run"), second) else {
        return;
    };
    let second_done = handled(&second.stdout);
    let third_args = with(&["--idle-timeout", "4s"]);
    let third_args: Vec<&str> = third_args.iter().map(String::as_str).collect();
    let Some(third) = c.run(&t!("step.restarted_run"), &third_args) else {
        return;
    };
    let third_done = handled(&third.stdout);

    let again = second_done
        .iter()
        .filter(|o| first_done.contains(o))
        .count();
    if again == 0 && !second_done.is_empty() {
        c.pass(&t!("streams.resumed"));
    } else if second_done.is_empty() {
        c.fail(&t!("streams.second_nothing"), &why(&second));
    } else {
        c.fail(
            &t!("streams.not_resumed", n = again),
            &t!("streams.not_resumed_hint"),
        );
    }
    let all: BTreeSet<&u64> = first_done
        .iter()
        .chain(&second_done)
        .chain(&third_done)
        .collect();
    let redone = third_done
        .iter()
        .filter(|o| second_done.contains(o))
        .count();
    if all.len() == 20 && redone <= 1 {
        c.pass(&t!("streams.killed_none_lost"));
    } else if all.len() < 20 {
        c.fail(
            &t!("streams.killed_lost", n = all.len()),
            &t!("streams.killed_lost_hint"),
        );
    } else {
        c.fail(
            &t!("streams.killed_twice", n = redone),
            &t!("streams.killed_twice_hint"),
        );
    }
}
