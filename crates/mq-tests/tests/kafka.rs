//! Chapter 2 against the real Kafka (4.4, and 3.9 again under `just on-kafka3`): partitions,
//! ordering, keys and consumer groups, proven by running the demo binaries.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::io::{Read, Write};
use std::net::TcpListener;
use std::time::Duration;

use mq_tests::{Proc, require_kafka, run, unique};

const WAIT: Duration = Duration::from_secs(60);

fn produce(topic: &str, extra: &[&str]) -> mq_tests::Output {
    let mut args = vec!["--topic", topic];
    args.extend(extra);
    let out = run("kafka-producer", &args);
    assert!(out.success(), "{out:?}");
    out
}

fn consume(topic: &str, extra: &[&str]) -> mq_tests::Output {
    let mut args = vec!["--topic", topic];
    args.extend(extra);
    let out = run("kafka-consumer", &args);
    assert!(out.success(), "{out:?}");
    out
}

/// Every message produced is consumed from the beginning, and each partition keeps the order
/// in which its messages were produced.
#[test]
fn everything_is_consumed_in_partition_order() {
    require_kafka();
    let topic = unique("order");
    produce(&topic, &["--count", "60", "--message", "m{i}"]);
    let got = consume(
        &topic,
        &[
            "--from-beginning",
            "--max-messages",
            "60",
            "--idle-timeout",
            "10s",
        ],
    );
    let messages = got.kafka_messages();
    let numbers: BTreeSet<u32> = messages
        .iter()
        .map(|(_, _, _, v)| v[1..].parse().unwrap())
        .collect();
    assert_eq!(numbers, (0..60).collect(), "lost or duplicated messages");
    let mut per_partition: BTreeMap<i32, Vec<(i64, u32)>> = BTreeMap::new();
    for (p, o, _, v) in messages {
        per_partition
            .entry(p)
            .or_default()
            .push((o, v[1..].parse().unwrap()));
    }
    for (p, list) in per_partition {
        let mut sorted = list.clone();
        sorted.sort();
        assert_eq!(list, sorted, "partition {p} was not read in offset order");
        assert!(
            list.windows(2).all(|w| w[0].1 < w[1].1),
            "partition {p} reordered messages: {list:?}"
        );
    }
}

/// The same key always lands on the same partition.
#[test]
fn a_key_always_maps_to_one_partition() {
    require_kafka();
    let topic = unique("keys");
    produce(&topic, &["--count", "20", "--key", "user-42"]);
    produce(
        &topic,
        &["--count", "20", "--key", "user-42", "--batch", "10"],
    );
    let got = consume(
        &topic,
        &[
            "--from-beginning",
            "--max-messages",
            "40",
            "--idle-timeout",
            "10s",
        ],
    );
    let partitions: HashSet<i32> = got.kafka_messages().iter().map(|m| m.0).collect();
    assert_eq!(got.kafka_messages().len(), 40);
    assert_eq!(
        partitions.len(),
        1,
        "key user-42 went to partitions {partitions:?}"
    );
    assert!(got.kafka_messages().iter().all(|m| m.2 == "user-42"));
}

/// Across 200 keyless messages the random partitioner uses every partition.
#[test]
fn random_partitioner_uses_every_partition() {
    require_kafka();
    let topic = unique("random");
    let sent = produce(&topic, &["--count", "200"]);
    let pids: BTreeSet<String> = sent
        .stdout
        .iter()
        .filter_map(|l| {
            l.strip_prefix("pid:")?
                .split_once(' ')
                .map(|(p, _)| p.to_owned())
        })
        .collect();
    assert_eq!(
        pids,
        ["0", "1", "2"].map(String::from).into_iter().collect()
    );
    let got = consume(
        &topic,
        &[
            "--from-beginning",
            "--max-messages",
            "200",
            "--idle-timeout",
            "10s",
        ],
    );
    let partitions: BTreeSet<i32> = got.kafka_messages().iter().map(|m| m.0).collect();
    assert_eq!(partitions, [0, 1, 2].into_iter().collect());
}

/// Publish/subscribe: two groups each receive all N messages.
#[test]
fn two_groups_each_receive_everything() {
    require_kafka();
    let topic = unique("groups");
    produce(&topic, &["--count", "30", "--message", "m{i}"]);
    for group in [unique("a"), unique("b")] {
        let got = consume(
            &topic,
            &[
                "--group",
                &group,
                "--from-beginning",
                "--max-messages",
                "30",
                "--idle-timeout",
                "10s",
            ],
        );
        let values: BTreeSet<String> = got.kafka_messages().into_iter().map(|m| m.3).collect();
        assert_eq!(values.len(), 30, "group {group} got {values:?}");
    }
}

/// Point-to-point: two members of one group read disjoint partitions; together they receive
/// all N, none twice.
#[test]
fn members_of_one_group_split_the_partitions() {
    require_kafka();
    let topic = unique("members");
    let group = unique("g");
    produce(&topic, &["--count", "30", "--message", "m{i}"]);
    let member = |which: &str| {
        let args = [
            "--topic",
            &topic,
            "--group",
            &group,
            "--member",
            which,
            "--from-beginning",
            "--idle-timeout",
            "3s",
        ];
        Proc::spawn("kafka-consumer", &args)
    };
    let (one, two) = (member("1/2"), member("2/2"));
    let (one, two) = (
        one.finish(WAIT).kafka_messages(),
        two.finish(WAIT).kafka_messages(),
    );
    let p1: BTreeSet<i32> = one.iter().map(|m| m.0).collect();
    let p2: BTreeSet<i32> = two.iter().map(|m| m.0).collect();
    assert!(p1.is_disjoint(&p2), "{p1:?} and {p2:?} overlap");
    let values: Vec<&String> = one.iter().chain(&two).map(|m| &m.3).collect();
    let distinct: HashSet<&String> = values.iter().copied().collect();
    assert_eq!((values.len(), distinct.len()), (30, 30));
}

/// Bad input: an unknown topic, the broker down, --member 3/2 and --acks 7 each give one
/// clear error, a non-zero exit within 10 s, and no panic.
#[test]
fn bad_input_gives_clear_errors() {
    require_kafka();
    run("kafka-consumer", &["--topic", &unique("missing")]).assert_clean_failure("does not exist");
    run("kafka-consumer", &["--kafka-brokers", "127.0.0.1:1"]).assert_clean_failure("just up");
    run("kafka-consumer", &["--group", "g", "--member", "3/2"])
        .assert_clean_failure("between 1 and N");
    run("kafka-producer", &["--acks", "7"]).assert_clean_failure("use 0, 1 or all");
    run(
        "kafka-producer",
        &["--topic", &unique("p"), "--partition", "9"],
    )
    .assert_clean_failure("no partition 9");
}

/// A listener that answers ApiVersions the way a Kafka 0.10 broker would: Produce and Fetch
/// only up to v2, before record batches v2. Serves `connections` clients, then stops.
#[allow(clippy::expect_used)] // test support: no listener, no test
fn fake_old_kafka(connections: usize) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
    let port = listener.local_addr().expect("local address").port();
    std::thread::spawn(move || {
        for stream in listener.incoming().take(connections) {
            let Ok(mut stream) = stream else { continue };
            let mut size = [0u8; 4];
            if stream.read_exact(&mut size).is_err() {
                continue;
            }
            let mut request = vec![0u8; i32::from_be_bytes(size) as usize];
            let _ = stream.read_exact(&mut request);
            let correlation = &request[4..8];
            let mut body = correlation.to_vec();
            body.extend(0i16.to_be_bytes());
            let ranges: [(i16, i16, i16); 5] =
                [(0, 0, 2), (1, 0, 2), (2, 0, 0), (3, 0, 1), (18, 0, 0)];
            body.extend((ranges.len() as i32).to_be_bytes());
            for (key, min, max) in ranges {
                body.extend(key.to_be_bytes());
                body.extend(min.to_be_bytes());
                body.extend(max.to_be_bytes());
            }
            let mut frame = (body.len() as i32).to_be_bytes().to_vec();
            frame.extend(body);
            let _ = stream.write_all(&frame);
        }
    });
    port
}

/// Against a broker older than rustfs-kafka supports, both binaries stop at once with one line.
#[test]
fn a_broker_too_old_gets_one_line() {
    let port = fake_old_kafka(40);
    let broker = format!("127.0.0.1:{port}");
    for binary in ["kafka-producer", "kafka-consumer"] {
        let out = run(binary, &["--kafka-brokers", &broker]);
        out.assert_clean_failure("too old");
        assert_eq!(out.stderr.lines().count(), 1, "{}", out.stderr);
    }
}

/// A broker fills a fetch up to the size asked for, so the last batch of nearly every fetch is
/// cut off (vendor/README.md). 100,000 messages of 1 KiB in batches of 70 (about 72 KB each)
/// on one partition, read with the default fetch size of 1 MiB: about a hundred fetches, each
/// ending inside a batch. Every message is read exactly once, in order.
#[test]
fn a_fetch_that_cuts_a_batch_loses_nothing() {
    require_kafka();
    let topic = unique("cut");
    const N: u64 = 100_000;
    let count = N.to_string();
    produce(
        &topic,
        &[
            "--partition",
            "0",
            "--batch",
            "70",
            "--size",
            "1024",
            "--count",
            &count,
            "--message",
            "m{i}",
            "--quiet",
        ],
    );
    let got = consume(
        &topic,
        &[
            "--from-beginning",
            "--max-messages",
            &count,
            "--idle-timeout",
            "20s",
        ],
    );
    let messages = got.kafka_messages();
    assert_eq!(messages.len() as u64, N, "{}", got.stderr);
    for (i, (partition, offset, _, value)) in messages.iter().enumerate() {
        assert_eq!((*partition, *offset), (0, i as i64), "{}", got.stderr);
        let number = value.split('.').next();
        assert_eq!(number, Some(format!("m{i}").as_str()), "message {i}");
    }
}

/// A brand-new topic, created the way `just kafka-topic` creates it (TopicCommand), is
/// consumed at once: the consumer and the producer wait out its leader election instead of
/// failing with NotLeaderForPartition. Several fresh topics, since the race is a matter of
/// timing.
#[test]
fn a_topic_created_a_moment_ago_is_consumed_at_once() {
    require_kafka();
    for round in 0..5 {
        let topic = unique(&format!("fresh{round}"));
        mq_tests::create_topic(&topic, 3);
        let consumer = Proc::spawn(
            "kafka-consumer",
            &[
                "--topic",
                &topic,
                "--max-messages",
                "10",
                "--idle-timeout",
                "30s",
            ],
        );
        consumer.wait_ready();
        produce(&topic, &["--count", "10", "--message", "fresh {i}"]);
        let got = consumer.finish(WAIT);
        assert!(got.success(), "round {round}: {got:?}");
        let values: BTreeSet<String> = got
            .kafka_messages()
            .into_iter()
            .map(|(_, _, _, v)| v)
            .collect();
        let sent: BTreeSet<String> = (0..10).map(|i| format!("fresh {i}")).collect();
        assert_eq!(values, sent, "round {round}: topic {topic}");
    }
}

/// A group member that stops at `--max-messages` in the middle of a fetched batch commits what
/// it handled, once, and only that: the next member of the group resumes at the very next
/// offset, with nothing read twice and nothing skipped. (The consumer commits in one place,
/// after each batch; it used to commit a second time after its loop.)
#[test]
fn a_group_resumes_exactly_where_max_messages_stopped() {
    require_kafka();
    let topic = unique("resume");
    let group = unique("g");
    // All on partition 0, so that offsets and message numbers line up.
    produce(&topic, &["--count", "1", "--message", "create"]);
    produce(
        &topic,
        &["--count", "10", "--message", "m{i}", "--partition", "0"],
    );
    let mut seen = Vec::new();
    // The first member stops after 4 messages (the first fetch brings them all); the second
    // reads what is left until the topic is quiet.
    for stop in [["--max-messages", "4"], ["--idle-timeout", "3s"]] {
        let mut args = vec!["--group", &group, "--from-beginning", "--member", "1/1"];
        args.extend(stop);
        let got = consume(&topic, &args);
        seen.extend(
            got.kafka_messages()
                .into_iter()
                .filter(|m| m.0 == 0 && m.3.starts_with('m'))
                .map(|m| m.3),
        );
    }
    let expected: Vec<String> = (0..10).map(|i| format!("m{i}")).collect();
    assert_eq!(
        seen, expected,
        "the second run resumes where the first stopped"
    );
}
