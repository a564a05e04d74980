//! Real consumer groups (kafka-group-consumer, on rdkafka) against the real Kafka: a killed
//! member's partitions are taken over with nothing lost, and a member that joins gets its share.

use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, Instant};

use mq_tests::{Output, Proc, create_topic, require_kafka, run, unique};

const WAIT: Duration = Duration::from_secs(90);

fn member(topic: &str, group: &str, idle: &str) -> Proc {
    Proc::spawn(
        "kafka-group-consumer",
        &[
            "--topic",
            topic,
            "--group",
            group,
            "--from-beginning",
            "--idle-timeout",
            idle,
        ],
    )
}

/// (partition, offset) of each message line, in the order printed.
fn positions(lines: &[String]) -> Vec<(i32, i64)> {
    lines
        .iter()
        .filter_map(|l| {
            let rest = l.strip_prefix("Partition:")?;
            let (p, rest) = rest.split_once(" Offset:")?;
            let (o, _) = rest.split_once(' ')?;
            Some((p.parse().ok()?, o.parse().ok()?))
        })
        .collect()
}

/// The partitions of the last ` [rebalance] assigned [..]` line.
fn last_assignment(lines: &[String]) -> Option<Vec<i32>> {
    let line = lines
        .iter()
        .rev()
        .find_map(|l| l.strip_prefix(" [rebalance] assigned "))?;
    Some(
        line.trim_matches(|c| c == '[' || c == ']')
            .split(", ")
            .filter_map(|p| p.parse().ok())
            .collect(),
    )
}

fn wait_until(what: &str, timeout: Duration, done: impl Fn() -> bool) {
    let deadline = Instant::now() + timeout;
    while !done() {
        assert!(Instant::now() < deadline, "no {what} within {timeout:?}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Two members, 3,000 messages over about 10 s, one member SIGKILLed halfway: the survivor gets
/// all 3 partitions within the session timeout, every message is read, and the messages read
/// twice are only the tail that the dead member had not yet committed.
#[test]
fn a_killed_member_is_replaced_and_nothing_is_lost() {
    require_kafka();
    let topic = unique("group-failover");
    let group = unique("failover");
    create_topic(&topic, 3);
    let survivor = member(&topic, &group, "6s");
    survivor.wait_for("[rebalance] assigned", 1, WAIT);
    let mut doomed = member(&topic, &group, "6s");
    doomed.wait_for("[rebalance] assigned", 1, WAIT);
    survivor.wait_for("[rebalance] assigned", 2, WAIT);
    let producer = Proc::spawn(
        "kafka-producer",
        &[
            "--topic",
            &topic,
            "--count",
            "3000",
            "--batch",
            "100",
            "--interval",
            "330ms",
            "--quiet",
        ],
    );
    wait_until("1,500 messages read", WAIT, || {
        positions(&survivor.lines()).len() + positions(&doomed.lines()).len() >= 1500
    });
    doomed.kill();
    let killed_at = Instant::now();
    let dead = doomed.finish(WAIT);
    wait_until(
        "the survivor owning all 3 partitions",
        Duration::from_secs(20),
        || last_assignment(&survivor.lines()) == Some(vec![0, 1, 2]),
    );
    let took = killed_at.elapsed();
    assert!(producer.finish(WAIT).success());
    let survived: Output = survivor.finish(WAIT);
    assert!(survived.success(), "{survived:?}");

    let (s, d) = (positions(&survived.stdout), positions(&dead.stdout));
    let all: BTreeSet<(i32, i64)> = s.iter().chain(&d).copied().collect();
    assert_eq!(
        all.len(),
        3000,
        "every produced message was read by one member or the other"
    );
    let read_by_survivor: BTreeSet<(i32, i64)> = s.iter().copied().collect();
    let twice: Vec<(i32, i64)> = d
        .iter()
        .copied()
        .filter(|p| read_by_survivor.contains(p))
        .collect();
    // Per partition, the duplicates are the dead member's last messages: nothing it read after
    // a duplicate was committed.
    let mut by_partition: BTreeMap<i32, Vec<i64>> = BTreeMap::new();
    for (p, o) in &d {
        by_partition.entry(*p).or_default().push(*o);
    }
    for (p, offsets) in &by_partition {
        let dups: Vec<i64> = offsets
            .iter()
            .copied()
            .filter(|o| twice.contains(&(*p, *o)))
            .collect();
        let tail = &offsets[offsets.len() - dups.len()..];
        assert_eq!(
            dups, tail,
            "partition {p}: the messages read twice are the dead member's tail"
        );
    }
    println!(
        "failover: survivor owned all partitions {took:.1?} after the kill; read twice {} of 3000; lost 0",
        twice.len()
    );
}

/// A third member joins a group of two on 3 partitions: each ends with one partition, and the
/// messages produced afterwards are each read by exactly one member.
#[test]
fn a_joining_member_gets_its_share() {
    require_kafka();
    let topic = unique("group-join");
    let group = unique("join");
    create_topic(&topic, 3);
    let a = member(&topic, &group, "8s");
    a.wait_for("[rebalance] assigned", 1, WAIT);
    let b = member(&topic, &group, "8s");
    b.wait_for("[rebalance] assigned", 1, WAIT);
    let c = member(&topic, &group, "8s");
    c.wait_for("[rebalance] assigned", 1, WAIT);
    let members = [&a, &b, &c];
    wait_until("one partition each", WAIT, || {
        let mut owned: Vec<i32> = Vec::new();
        for m in &members {
            match last_assignment(&m.lines()) {
                Some(p) if p.len() == 1 => owned.extend(p),
                _ => return false,
            }
        }
        owned.sort_unstable();
        owned == vec![0, 1, 2]
    });
    let produced = run(
        "kafka-producer",
        &[
            "--topic", &topic, "--count", "300", "--batch", "100", "--quiet",
        ],
    );
    assert!(produced.success(), "{produced:?}");
    let outs: Vec<Output> = [a, b, c].into_iter().map(|m| m.finish(WAIT)).collect();
    let mut readers: BTreeMap<i32, BTreeSet<usize>> = BTreeMap::new();
    let mut total = 0;
    for (i, out) in outs.iter().enumerate() {
        assert!(out.success(), "{out:?}");
        for (p, _) in positions(&out.stdout) {
            readers.entry(p).or_default().insert(i);
            total += 1;
        }
    }
    assert_eq!(total, 300, "each message read once");
    for (p, who) in readers {
        assert_eq!(who.len(), 1, "partition {p} was read by members {who:?}");
    }
}

/// Clear errors: a topic that does not exist, a broker that is not there, a bad group name.
#[test]
fn group_consumer_errors_are_one_line() {
    require_kafka();
    let missing = unique("no-such-topic");
    let out = run(
        "kafka-group-consumer",
        &["--topic", &missing, "--group", "g"],
    );
    out.assert_clean_failure("does not exist");
    let out = run(
        "kafka-group-consumer",
        &["--group", "g", "--kafka-brokers", "127.0.0.1:1"],
    );
    out.assert_clean_failure("just up");
    let out = run("kafka-group-consumer", &["--group", "bad group"]);
    out.assert_clean_failure("not allowed in a group name");
}
