//! Helpers for the broker-backed tests in `tests/`: find the demo binaries, run them with a
//! deadline, and read what they printed.
//!
//! The binaries are those of the workspace's other crates, so build them first:
//! `cargo build --workspace --bins` (`just test` does). A test that needs a broker and cannot
//! reach one fails with "run: just up"; it never passes silently.

// Test support: a failed expectation should stop the test with its message.
#![allow(clippy::expect_used)]

mod proc;

use std::collections::HashMap;
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use lapin::options::QueueDeleteOptions;
use mq_common::config::RabbitArgs;
use mq_common::rabbit::Session;

pub use proc::{Output, Proc, Usage};

/// The path of a workspace binary of the same profile: next to the test executable's `deps/`
/// folder, or next to the running binary (the bench, the exercise checker). It may not exist.
pub fn bin_path(name: &str) -> PathBuf {
    let exe = std::env::current_exe().expect("current_exe");
    let mut dir = exe.parent().expect("target dir");
    if dir.ends_with("deps") {
        dir = dir.parent().expect("target dir");
    }
    dir.join(name)
}

/// [`bin_path`], which must exist.
pub fn bin(name: &str) -> PathBuf {
    let path = bin_path(name);
    assert!(
        path.exists(),
        "{} is missing: run `cargo build --workspace --bins` first (`just test` does)",
        path.display()
    );
    path
}

/// The settings `just up` wrote to `.env`, overridden by the environment.
pub fn setting(name: &str) -> String {
    if let Ok(value) = std::env::var(name) {
        return value;
    }
    let values: HashMap<String, String> = dotenvy::from_path_iter(repo_root().join(".env"))
        .map(|iter| iter.filter_map(Result::ok).collect())
        .unwrap_or_default();
    values
        .get(name)
        .cloned()
        .unwrap_or_else(|| panic!("{name} is not set and .env has none: run: just up"))
}

/// The `KEY=VALUE` lines of a settings file of the repository (`docker/brokers.env`,
/// `docker/kafka.env`, `.env.example`), or the `key = value` lines of `docker/rabbitmq.conf`.
pub fn settings_file(path: &str) -> HashMap<String, String> {
    let text = std::fs::read_to_string(repo_root().join(path))
        .unwrap_or_else(|err| panic!("read {path}: {err}"));
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .filter_map(|line| line.split_once('='))
        .map(|(key, value)| (key.trim().to_owned(), value.trim().to_owned()))
        .collect()
}

/// Fails the test unless something listens on 127.0.0.1:`port`.
pub fn require(what: &str, port: u16) {
    if TcpStream::connect_timeout(&([127, 0, 0, 1], port).into(), Duration::from_secs(2)).is_err() {
        panic!("{what} is not reachable on 127.0.0.1:{port}: run: just up");
    }
}

pub fn require_rabbitmq() {
    require("RabbitMQ", 5672);
}

pub fn require_kafka() {
    require("Kafka", 9092);
}

/// A name no other test (or earlier run) uses.
pub fn unique(prefix: &str) -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock after 1970")
        .as_nanos();
    format!(
        "{prefix}-{}-{}",
        std::process::id(),
        nanos % 1_000_000_000_000
    )
}

/// Runs a binary to completion (at most 60 s).
pub fn run(name: &str, args: &[&str]) -> Output {
    Proc::spawn(name, args).finish(Duration::from_secs(60))
}

/// Runs a binary with extra environment variables to completion (at most 60 s).
pub fn run_with_env(name: &str, args: &[&str], env: &[(&str, &str)]) -> Output {
    Proc::spawn_with_env(name, args, env).finish(Duration::from_secs(60))
}

/// The workspace's top folder.
pub fn repo_root() -> PathBuf {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    root.canonicalize().unwrap_or(root)
}

/// Runs one of the repository's scripts (those behind the `just` recipes) to completion and
/// fails the test, with what it printed, if it fails.
fn run_script(script: &str, args: &[&str]) {
    let out = Command::new(repo_root().join(script))
        .args(args)
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|err| panic!("run {script}: {err}"));
    assert!(
        out.status.success(),
        "{script} {args:?} failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Restarts one broker (`rabbitmq` or `kafka`) through `scripts/restart.sh`, the script behind
/// `just restart`, and waits until it answers again. Only the fault tests call this: they run
/// one at a time, apart from the other tests (`just test-faults`).
pub fn restart_broker(broker: &str) -> Duration {
    let started = Instant::now();
    run_script("scripts/restart.sh", &[broker]);
    started.elapsed()
}

/// Runs one lapin step on a connection of its own, `name` in the management UI's list: for
/// what the binaries under test do not do themselves (the exercise checker's look at a queue,
/// the clean-up of a test's queue). None if the broker cannot be reached or the step fails.
pub fn with_channel<T>(
    rabbit: &RabbitArgs,
    name: &str,
    step: impl AsyncFnOnce(&lapin::Channel) -> lapin::Result<T>,
) -> Option<T> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .ok()?;
    runtime.block_on(async {
        let session = Session::open(rabbit, name).await.ok()?;
        let result = step(session.channel()).await.ok();
        let _ = session.close().await;
        result
    })
}

/// Deletes a queue and what is in it. Best effort: a broker that cannot be reached leaves it.
pub fn delete_queue(rabbit: &RabbitArgs, queue: &str) {
    with_channel(rabbit, "clean-up", async |channel| {
        channel
            .queue_delete(queue.into(), QueueDeleteOptions::default())
            .await
    });
}

/// The RabbitMQ settings of `.env` (or the environment), as the binaries read them.
pub fn rabbit_args() -> RabbitArgs {
    RabbitArgs {
        amqp_url: Some(setting("AMQP_URL")),
    }
}

/// Creates a Kafka topic the way `just kafka-topic NAME PARTITIONS` does: Kafka's own
/// TopicCommand, through `scripts/kafka-topic.sh`.
pub fn create_topic(topic: &str, partitions: u32) {
    run_script(
        "scripts/kafka-topic.sh",
        &["create", topic, &partitions.to_string()],
    );
}
