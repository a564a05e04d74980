//! The checks of the Kafka exercises.

use std::collections::BTreeSet;
use std::time::Duration;

use rust_i18n::t;

use mq_common::lines::{ASSIGNED, KAFKA_MESSAGE};

use super::{Check, why};

/// Produces `count` messages with the chapter's own producer (which creates the topic).
fn produce(c: &mut Check, topic: &str, count: u64) -> bool {
    let count = count.to_string();
    let Some(proc) = c.helper(
        "kafka-producer",
        &[
            "--topic", topic, "--count", &count, "--batch", &count, "--quiet",
        ],
    ) else {
        return false;
    };
    let Some(out) = c.finish(&t!("step.producing"), proc) else {
        return false;
    };
    if !out.success() {
        c.fail(&t!("kafka.producer_failed"), &why(&out));
    }
    out.success()
}

/// (partition, offset) of each line that has `partition_word` then a number, then `Offset:` or
/// `offset` and a number.
fn positions(lines: &[String]) -> Vec<(i32, i64)> {
    lines
        .iter()
        .filter_map(|line| {
            let numbers: Vec<i64> = line
                .split(|ch: char| !ch.is_ascii_digit())
                .filter(|s| !s.is_empty())
                .take(2)
                .filter_map(|s| s.parse().ok())
                .collect();
            let partition = i32::try_from(*numbers.first()?).ok()?;
            (line.starts_with("Partition:") || line.starts_with("Handled partition"))
                .then_some((partition, *numbers.get(1)?))
        })
        .collect()
}

pub(crate) fn from_beginning(c: &mut Check) {
    let topic = c.fresh("from-beginning");
    if !produce(c, &topic, 30) {
        return;
    }
    c.pass(&t!("kafka.produced_30"));
    let Some(out) = c.run(
        &t!("step.consumer"),
        &[
            "--topic",
            &topic,
            "--max-messages",
            "30",
            "--idle-timeout",
            "5s",
        ],
    ) else {
        return;
    };
    let got: BTreeSet<(i32, i64)> = positions(&out.stdout).into_iter().collect();
    let partitions: BTreeSet<i32> = got.iter().map(|(p, _)| *p).collect();
    if got.len() == 30 && partitions.len() == 3 {
        c.pass(&t!("kafka.read_all_30"));
    } else if !out.success() {
        c.fail(&t!("check.consumer_failed"), &why(&out));
    } else {
        c.fail(
            &t!(
                "kafka.read_some",
                got = got.len(),
                partitions = format!("{partitions:?}")
            ),
            &t!("kafka.read_some_hint"),
        );
    }
}

pub(crate) fn resume(c: &mut Check) {
    let topic = c.fresh("resume");
    let group = c.fresh("group");
    if !produce(c, &topic, super::resume::COUNT as u64) {
        return;
    }
    let base = ["--topic", topic.as_str(), "--group", group.as_str()];
    super::resume::three_runs(c, &base, positions, "kafka");
}

/// Two members of one group read 300 messages while the group rebalances twice: the second
/// member joins in the middle, then the first leaves. Every message must be read (nothing
/// lost), and hardly any twice (what was handled was committed before the hand-over).
pub(crate) fn rebalance(c: &mut Check) {
    const COUNT: usize = 300;
    let topic = c.fresh("rebalance");
    let group = c.name(&format!("{topic}-group"));
    if !produce(c, &topic, COUNT as u64) {
        return;
    }
    let args = [
        "--topic",
        topic.as_str(),
        "--group",
        group.as_str(),
        "--work",
        "20ms",
    ];
    let Some(first) = c.start(&args) else {
        return;
    };
    if !first.saw(ASSIGNED, 1, Duration::from_secs(30)) {
        let reason = match first.try_finish(Duration::from_secs(10)) {
            Ok(out) => why(&out),
            Err(err) => format!("{err:#}"),
        };
        c.fail(&t!("kafka.not_assigned"), &reason);
        return;
    }
    // The second member joins while the first is still reading: partitions are revoked from
    // the first and shared out.
    first.saw(KAFKA_MESSAGE, 20, Duration::from_secs(30));
    let Some(second) = c.start(&args) else {
        first.interrupt();
        let _ = first.try_finish(Duration::from_secs(30));
        return;
    };
    second.saw(ASSIGNED, 1, Duration::from_secs(30));
    second.saw(KAFKA_MESSAGE, 20, Duration::from_secs(30));
    // Then the first leaves (Ctrl+C's signal): the second takes everything over.
    first.interrupt();
    let first = first.try_finish(Duration::from_secs(30));
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    while std::time::Instant::now() < deadline {
        let read: BTreeSet<(i32, i64)> = first
            .as_ref()
            .map(|out| positions(&out.stdout))
            .unwrap_or_default()
            .into_iter()
            .chain(positions(&second.lines()))
            .collect();
        if read.len() >= COUNT || second.has_exited() {
            break;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    second.interrupt();
    let Ok(first) = first else {
        c.fail(&t!("kafka.did_not_stop"), &t!("kafka.did_not_stop_hint"));
        return;
    };
    let Some(second) = c.finish(&t!("step.second_member"), second) else {
        return;
    };
    if !first.success() || !second.success() {
        let out = if first.success() { &second } else { &first };
        c.fail(&t!("kafka.member_failed"), &why(out));
        return;
    }
    let all: Vec<(i32, i64)> = positions(&first.stdout)
        .into_iter()
        .chain(positions(&second.stdout))
        .collect();
    let distinct: BTreeSet<(i32, i64)> = all.iter().copied().collect();
    let again = all.len() - distinct.len();
    if distinct.len() == COUNT {
        c.pass(&t!("kafka.rebalance_none_lost", n = COUNT));
    } else {
        c.fail(
            &t!("kafka.rebalance_lost", got = distinct.len(), n = COUNT),
            &t!("kafka.rebalance_lost_hint"),
        );
        return;
    }
    if again <= 10 {
        c.pass(&t!("kafka.rebalance_twice_few", n = again));
    } else {
        c.fail(
            &t!("kafka.rebalance_twice_many", n = again),
            &t!("kafka.rebalance_twice_many_hint"),
        );
    }
}
