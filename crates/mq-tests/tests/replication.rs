//! The replication lab on real three-node clusters: a node is killed (or paused) in the middle
//! of a run, and every assertion is on the ledger's counts, which `scripts/lab.sh` (the script
//! behind `just kafka-replication` and `just rabbit-quorum`) writes to `report.json`.
//!
//! They kill nodes of the lab clusters, so they are not part of the parallel
//! `cargo test --workspace` run (`test = false` in Cargo.toml). `just test-cluster` starts the
//! clusters, runs these one at a time, and stops the clusters again, whatever the outcome:
//!
//! ```text
//! just test-cluster
//! ```
//!
//! Each story starts again every node it killed, so the next one finds three.

// Test support: a failed expectation should stop the test with its message.
#![allow(clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::time::Duration;

use mq_tests::{Output, Proc, repo_root, unique};
use serde_json::Value;

/// Runs one story of scripts/lab.sh with its own LAB_DIR; returns what it printed and the rows
/// of its report, by run name.
fn story(args: &[&str]) -> (Output, Vec<Value>) {
    let dir: PathBuf = std::env::temp_dir().join(unique("lab"));
    let script = repo_root().join("scripts/lab.sh");
    let out = Proc::spawn_program(
        &script.to_string_lossy(),
        args,
        &[("LAB_DIR", &dir.to_string_lossy())],
    )
    .finish(Duration::from_secs(300));
    assert!(out.success(), "lab.sh {args:?} failed: {out:?}");
    let rows = report(&dir.join("report.json"));
    let _ = std::fs::remove_dir_all(&dir);
    (out, rows)
}

fn report(path: &Path) -> Vec<Value> {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|err| panic!("no report at {}: {err}", path.display()));
    text.lines()
        .map(|line| serde_json::from_str(line).expect("a report line is JSON"))
        .collect()
}

/// The row of run `run`.
fn row<'a>(rows: &'a [Value], run: &str) -> &'a Value {
    rows.iter()
        .find(|r| r["run"] == run)
        .unwrap_or_else(|| panic!("no row '{run}' in {rows:?}"))
}

fn count(row: &Value, key: &str) -> u64 {
    row[key]
        .as_u64()
        .unwrap_or_else(|| panic!("no count '{key}' in {row}"))
}

fn printed(out: &Output, needle: &str) -> bool {
    out.stdout.iter().any(|l| l.contains(needle))
}

/// Kafka: the chapter's own kafka-producer (rustfs-kafka, `--acks all`) while its partition's
/// leader is SIGKILLed: it finishes, says how many sends it retried, and the topic holds every
/// message it was told was stored.
#[test]
fn chapter_producer_rides_out_a_leader_kill() {
    let (out, rows) = story(&["kafka-replication", "producer"]);
    let r = row(&rows, "chapter producer, leader killed");
    assert!(
        printed(&out, "SIGKILL Kafka node"),
        "no node was killed: {out:?}"
    );
    assert!(
        printed(&out, "sent 3000 message(s), all acknowledged"),
        "the producer did not finish: {out:?}"
    );
    assert!(
        printed(&out, "send(s) retried after a refusal"),
        "the producer did not say what it retried: {out:?}"
    );
    assert_eq!(count(r, "acknowledged"), 3000, "{r}");
    assert_eq!(count(r, "lost"), 0, "acknowledged messages lost: {r}");
}

/// Kafka: the partition's leader is SIGKILLed in the middle of 3000 sends with acks=all. A new
/// leader takes over, the producer and the group consumer carry on, and nothing acknowledged
/// is lost.
#[test]
fn kafka_leader_killed_under_acks_all_loses_nothing() {
    let (out, rows) = story(&["kafka-replication", "leader-kill"]);
    let r = row(&rows, "leader killed, acks=all");
    assert!(
        printed(&out, "SIGKILL Kafka node"),
        "no node was killed: {out:?}"
    );
    assert_eq!(count(r, "sent"), 3000, "{r}");
    // librdkafka resent what the dead leader never answered: everything was acknowledged.
    assert_eq!(count(r, "acknowledged"), 3000, "{r}");
    assert_eq!(count(r, "lost"), 0, "acknowledged messages lost: {r}");
    assert!(count(r, "present") >= count(r, "acknowledged"), "{r}");
    // The group consumer read on past the failover: every acknowledged message reached it.
    assert!(
        printed(&out, "of the 3000 acknowledged, 0 missing"),
        "the group consumer missed messages: {out:?}"
    );
}

/// Kafka, the case acks=1 gets wrong: with the follower out of the ISR, the leader alone
/// takes messages 101-200; it dies and the lagging follower is elected (unclean). Under
/// acks=1 the producer was told "stored" for messages that are gone; under acks=all the
/// broker refused them instead, and nothing acknowledged is lost.
#[test]
fn kafka_unclean_election_loses_acks_1_messages_and_refuses_acks_all() {
    let (out, rows) = story(&["kafka-replication", "unclean"]);

    let one = row(&rows, "unclean election, acks=1");
    assert_eq!(count(one, "sent"), 200, "{one}");
    assert_eq!(count(one, "acknowledged"), 200, "{one}");
    let lost = count(one, "lost");
    assert!(lost > 0, "acks=1 lost nothing: {one}");
    // The counts add up: every acknowledged message is either read back or lost.
    assert_eq!(
        count(one, "present") - count(one, "stored_unacknowledged") + lost,
        count(one, "acknowledged"),
        "{one}"
    );
    // What was lost is what only the old leader had: messages 101-200.
    assert_eq!(one["lost_numbers"], "101-200", "{one}");

    let all = row(&rows, "unclean election, acks=all");
    assert_eq!(count(all, "sent"), 200, "{all}");
    assert_eq!(
        count(all, "acknowledged"),
        100,
        "only 1-100 were accepted: {all}"
    );
    assert_eq!(count(all, "lost"), 0, "{all}");
    assert_eq!(count(all, "present"), 100, "{all}");
    assert!(
        printed(&out, "NotEnoughReplicas"),
        "the acks=all producer was not refused with NotEnoughReplicas: {out:?}"
    );
}

/// RabbitMQ: the node that leads a quorum queue (and holds a classic queue) is SIGKILLed while
/// a producer sends to the quorum queue through it and a consumer reads on another node. The
/// producer moves to a surviving node, the consumer goes on, and no confirmed message is lost;
/// the classic queue is unavailable until its node is back.
#[test]
fn rabbit_quorum_leader_killed_loses_no_confirmed_message() {
    let (out, rows) = story(&["rabbit-quorum"]);
    let quorum = row(&rows, "quorum queue, leader killed");
    assert_eq!(count(quorum, "sent"), 2000, "{quorum}");
    assert!(count(quorum, "acknowledged") >= 1000, "{quorum}");
    assert_eq!(
        count(quorum, "lost"),
        0,
        "confirmed messages lost: {quorum}"
    );
    assert!(
        printed(&out, "[producer]  [*] reconnected to node 2"),
        "the producer did not move to a surviving node: {out:?}"
    );
    assert!(
        printed(&out, "lab-classic (seen from node 2): unavailable"),
        "the classic queue was available with its node down: {out:?}"
    );

    let classic = row(&rows, "classic queue, node killed, restarted");
    assert_eq!(count(classic, "acknowledged"), 1000, "{classic}");
    assert_eq!(count(classic, "lost"), 0, "{classic}");
}
