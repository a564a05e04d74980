//! RabbitMQ super streams (the Super streams chapter), on RabbitMQ 4's stream port
//! (`just up-rabbitmq4`; `just test` starts it): routing by key, single active consumer and
//! its failover from the stored offset. Each test
//! uses a super stream and a consumer name of its own.

// Test support: a failed expectation should stop the test with its message.
#![allow(clippy::expect_used)]

use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, Instant};

use mq_tests::{Output, Proc, require_streams, run, unique};

/// One ` [x] Received 'BODY' (key K, partition P, offset N)` line.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Received {
    partition: String,
    offset: u64,
    key: String,
    body: String,
}

fn parse(line: &str) -> Option<Received> {
    let rest = line.strip_prefix(" [x] Received '")?;
    let (body, rest) = rest.rsplit_once("' (key ")?;
    let (key, rest) = rest.split_once(", partition ")?;
    let (partition, offset) = rest.split_once(", offset ")?;
    Some(Received {
        partition: partition.to_owned(),
        offset: offset.strip_suffix(')')?.parse().ok()?,
        key: key.to_owned(),
        body: body.to_owned(),
    })
}

fn received(lines: &[String]) -> Vec<Received> {
    lines.iter().filter_map(|l| parse(l)).collect()
}

/// The partitions a consumer is active on, from its "active on" / "no longer active on" lines.
fn active(lines: &[String]) -> BTreeSet<String> {
    let mut now = BTreeSet::new();
    for line in lines {
        if let Some(rest) = line.strip_prefix(" [*] active on ") {
            now.insert(rest.split_once(':').map_or(rest, |(p, _)| p).to_owned());
        } else if let Some(p) = line.strip_prefix(" [*] no longer active on ") {
            now.remove(p);
        }
    }
    now
}

/// The last offset each partition got in a ` [.] stored offset N on P` line.
fn stored(lines: &[String]) -> BTreeMap<String, u64> {
    lines
        .iter()
        .filter_map(|l| l.strip_prefix(" [.] stored offset "))
        .filter_map(|rest| {
            let (n, p) = rest.split_once(" on ")?;
            Some((p.to_owned(), n.parse().ok()?))
        })
        .collect()
}

fn produce(super_stream: &str, count: u64, keys: u64, extra: &[&str]) -> Output {
    let (count, keys) = (count.to_string(), keys.to_string());
    let mut args = vec![
        "--super-stream",
        super_stream,
        "--count",
        &count,
        "--keys",
        &keys,
        "--message",
        "m{i}",
        "--quiet",
    ];
    args.extend(extra);
    let out = run("rabbit-superstream-producer", &args);
    assert!(out.success(), "{out:?}");
    assert!(
        out.stdout
            .iter()
            .any(|l| l == &format!(" [.] {count} of {count} confirmed")),
        "{out:?}"
    );
    out
}

/// Every message of a key lands in one partition, and the keys spread over more than one.
#[test]
fn equal_keys_land_in_the_same_partition() {
    require_streams();
    let super_stream = unique("ss-route");
    produce(&super_stream, 120, 12, &[]);
    let out = run(
        "rabbit-superstream-consumer",
        &[
            "--super-stream",
            &super_stream,
            "--name",
            &unique("router"),
            "--max-messages",
            "120",
            "--idle-timeout",
            "10s",
        ],
    );
    assert!(out.success(), "{out:?}");
    let got = received(&out.stdout);
    assert_eq!(got.len(), 120, "{out:?}");
    let mut partitions_of: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for r in &got {
        partitions_of
            .entry(&r.key)
            .or_default()
            .insert(&r.partition);
    }
    assert_eq!(partitions_of.len(), 12, "{partitions_of:?}");
    let split: Vec<_> = partitions_of.iter().filter(|(_, p)| p.len() > 1).collect();
    assert!(
        split.is_empty(),
        "keys in more than one partition: {split:?}"
    );
    let used: BTreeSet<&str> = got.iter().map(|r| r.partition.as_str()).collect();
    assert!(
        used.len() > 1,
        "every key hashed to one partition: {used:?}"
    );
    // A key's messages keep their order within its partition.
    for key in partitions_of.keys() {
        let numbers: Vec<u64> = got
            .iter()
            .filter(|r| r.key == *key)
            .filter_map(|r| r.body.strip_prefix('m')?.parse().ok())
            .collect();
        assert!(numbers.is_sorted(), "{key}: {numbers:?}");
    }
}

/// Three consumers of one name on a super stream of 3 partitions: each is active on one
/// partition. One is SIGKILLed in the middle of 300 messages: every message is still consumed,
/// and the messages read twice are among those the dead consumer handled after the offset it
/// last stored.
#[test]
fn single_active_consumer_failover_loses_nothing() {
    require_streams();
    let super_stream = unique("ss-sac");
    let name = unique("group");
    let args = [
        "--super-stream",
        &super_stream,
        "--name",
        &name,
        "--store-every",
        "10",
        "--idle-timeout",
        "8s",
    ];
    let mut consumers: Vec<Proc> = Vec::new();
    for _ in 0..3 {
        let consumer = Proc::spawn("rabbit-superstream-consumer", &args);
        assert!(
            consumer.saw("Waiting for messages", 1, Duration::from_secs(30)),
            "{:?}",
            consumer.lines()
        );
        consumers.push(consumer);
    }
    // The broker spreads the partitions: one each.
    let deadline = Instant::now() + Duration::from_secs(15);
    while consumers.iter().any(|c| active(&c.lines()).len() != 1) {
        assert!(
            Instant::now() < deadline,
            "not one partition each: {:?}",
            consumers
                .iter()
                .map(|c| active(&c.lines()))
                .collect::<Vec<_>>()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let producer = Proc::spawn(
        "rabbit-superstream-producer",
        &[
            "--super-stream",
            &super_stream,
            "--count",
            "300",
            "--keys",
            "30",
            "--message",
            "m{i}",
            "--interval",
            "10ms",
            "--quiet",
        ],
    );
    let mut doomed = consumers.remove(0);
    let doomed_partition = active(&doomed.lines())
        .into_iter()
        .next()
        .expect("one partition");
    assert!(
        doomed.saw(" [x] Received", 25, Duration::from_secs(30)),
        "{:?}",
        doomed.lines()
    );
    doomed.kill();
    let doomed = doomed.finish(Duration::from_secs(10));
    let producer = producer.finish(Duration::from_secs(60));
    assert!(
        producer
            .stdout
            .iter()
            .any(|l| l == " [.] 300 of 300 confirmed"),
        "{producer:?}"
    );
    let survivors: Vec<Output> = consumers
        .into_iter()
        .map(|c| c.finish(Duration::from_secs(60)))
        .collect();
    for out in &survivors {
        assert!(out.success(), "{out:?}");
    }

    let by_doomed = received(&doomed.stdout);
    let by_survivors: Vec<Received> = survivors.iter().flat_map(|o| received(&o.stdout)).collect();
    // Nothing lost: every message of the 3 partitions was consumed.
    let bodies: BTreeSet<&str> = by_doomed
        .iter()
        .chain(&by_survivors)
        .map(|r| r.body.as_str())
        .collect();
    let expected: BTreeSet<String> = (0..300).map(|i| format!("m{i}")).collect();
    let missing: Vec<_> = expected
        .iter()
        .filter(|b| !bodies.contains(b.as_str()))
        .collect();
    assert!(missing.is_empty(), "lost: {missing:?}");
    // The dead consumer read its partition only.
    assert!(
        by_doomed.iter().all(|r| r.partition == doomed_partition),
        "{doomed:?}"
    );
    // Read twice: what the dead one handled and a survivor read again; no more than what it
    // handled after the offset it last stored (all of it, if it stored none).
    let survivor_keys: BTreeSet<(&str, u64)> = by_survivors
        .iter()
        .map(|r| (r.partition.as_str(), r.offset))
        .collect();
    let read_twice = by_doomed
        .iter()
        .filter(|r| survivor_keys.contains(&(r.partition.as_str(), r.offset)))
        .count();
    let last_stored = stored(&doomed.stdout).get(&doomed_partition).copied();
    let not_stored = by_doomed
        .iter()
        .filter(|r| last_stored.is_none_or(|s| r.offset > s))
        .count();
    assert!(
        read_twice <= not_stored,
        "{read_twice} read twice, but only {not_stored} were handled after the last stored offset {last_stored:?}"
    );
    // The survivors never read a message twice between them.
    let mut seen = BTreeSet::new();
    let again: Vec<_> = by_survivors
        .iter()
        .filter(|r| !seen.insert((r.partition.as_str(), r.offset)))
        .collect();
    assert!(again.is_empty(), "read twice by the survivors: {again:?}");
    println!(
        "failover: {} of 300 consumed; the killed consumer read {} on {doomed_partition} (last stored {last_stored:?}); {read_twice} read twice, bound {not_stored}",
        bodies.len(),
        by_doomed.len()
    );
}
