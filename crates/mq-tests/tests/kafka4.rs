//! A real Kafka 4 (`just up-kafka4`, next to the tutorial's 3.9): the group consumer joins,
//! consumes and commits there; the tutorial's `kafka` crate binaries refuse it in one line.

// Test support: a failed expectation should stop the test with its message.
#![allow(clippy::expect_used)]

use std::process::{Command, Stdio};

use mq_tests::{Proc, repo_root, require, run, settings_file, unique};

fn kafka4() -> String {
    let port: u16 = settings_file("docker/brokers.env")["KAFKA4_PORT"]
        .parse()
        .expect("KAFKA4_PORT is a port");
    require("Kafka 4 (just up-kafka4)", port);
    format!("127.0.0.1:{port}")
}

/// Kafka's own tools on the Kafka 4 broker's jars (scripts/kafka4.sh run-class).
fn kafka4_tool(class: &str, args: &[&str]) {
    let out = Command::new(repo_root().join("scripts/kafka4.sh"))
        .arg("run-class")
        .arg(class)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("run scripts/kafka4.sh");
    assert!(
        out.status.success(),
        "{class}: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn group_consumer_joins_consumes_and_commits_on_kafka_4() {
    let brokers = kafka4();
    let topic = unique("k4");
    let group = unique("k4group");
    kafka4_tool(
        "org.apache.kafka.tools.TopicCommand",
        &[
            "--bootstrap-server",
            &brokers,
            "--create",
            "--topic",
            &topic,
            "--partitions",
            "3",
        ],
    );
    kafka4_tool(
        "org.apache.kafka.tools.ProducerPerformance",
        &[
            "--topic",
            &topic,
            "--num-records",
            "30",
            "--record-size",
            "20",
            "--throughput",
            "-1",
            "--producer-props",
            &format!("bootstrap.servers={brokers}"),
        ],
    );
    let args = [
        "--kafka-brokers",
        brokers.as_str(),
        "--topic",
        topic.as_str(),
        "--group",
        group.as_str(),
        "--from-beginning",
        "--idle-timeout",
        "5s",
    ];
    let first =
        Proc::spawn("kafka-group-consumer", &args).finish(std::time::Duration::from_secs(60));
    assert!(first.success(), "{first:?}");
    assert!(
        first
            .stdout
            .iter()
            .any(|l| l.starts_with(" [rebalance] assigned [0, 1, 2]")),
        "{first:?}"
    );
    assert_eq!(first.kafka_messages().len(), 30, "{first:?}");
    // The group committed: a second member of it finds nothing left.
    let again = run(
        "kafka-group-consumer",
        &[&args[..7], &["--idle-timeout", "3s"]].concat(),
    );
    assert!(again.success(), "{again:?}");
    assert_eq!(
        again.kafka_messages().len(),
        0,
        "the offsets were committed: {again:?}"
    );
}

#[test]
fn kafka_crate_binaries_refuse_kafka_4_in_one_line() {
    let brokers = kafka4();
    for bin in ["kafka-producer", "kafka-consumer"] {
        let out = run(bin, &["--kafka-brokers", &brokers]);
        out.assert_clean_failure("is Kafka 4.0 or newer");
        assert_eq!(out.stderr.lines().count(), 1, "{bin}: {}", out.stderr);
    }
}
