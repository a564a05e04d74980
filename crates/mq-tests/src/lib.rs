//! Helpers for the broker-backed tests in `tests/`: find the demo binaries, run them with a
//! deadline, and read what they printed.
//!
//! The binaries are those of the workspace's other crates, so build them first:
//! `cargo build --workspace --bins` (`just test` does). A test that needs a broker and cannot
//! reach one fails with "run: just up"; it never passes silently.

// Test support: a failed expectation should stop the test with its message.
#![allow(clippy::expect_used, clippy::panic)]

pub mod class;
mod proc;

use std::collections::HashMap;
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use lapin::uri::AMQPUri;
use mq_common::config::RabbitArgs;

pub use mq_common::rabbit::{delete_queue, with_channel};
pub use mq_run::{bin_path, unique};
pub use proc::{Output, Proc, Usage};

/// [`bin_path`], which must exist.
pub fn bin(name: &str) -> PathBuf {
    mq_run::bin(name).unwrap_or_else(|err| panic!("{err:#}: `just test` builds every binary"))
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
    mq_run::settings_file(path).unwrap_or_else(|err| panic!("{err:#}"))
}

/// Fails the test unless something listens on 127.0.0.1:`port`.
pub fn require(what: &str, port: u16) {
    if TcpStream::connect_timeout(&([127, 0, 0, 1], port).into(), Duration::from_secs(2)).is_err() {
        panic!("{what} is not reachable on 127.0.0.1:{port}: run: just up");
    }
}

/// Fails the test unless RabbitMQ 4's stream listener answers (the Streams chapters'; `just
/// test` starts it with `just up-rabbitmq4`).
pub fn require_streams() {
    let port = settings_file("docker/brokers.env")
        .get("RABBITMQ4_STREAM_PORT")
        .and_then(|p| p.parse().ok())
        .expect("RABBITMQ4_STREAM_PORT in docker/brokers.env");
    require("RabbitMQ 4's stream listener (just up-rabbitmq4)", port);
}

/// Fails the test unless the RabbitMQ of `AMQP_URL` listens: the main broker, or RabbitMQ 4
/// when `just test` runs the RabbitMQ suites again through `scripts/rabbitmq4.sh exec`.
pub fn require_rabbitmq() {
    require("RabbitMQ", amqp_uri().authority.port);
}

/// `AMQP_URL`, parsed.
fn amqp_uri() -> AMQPUri {
    setting("AMQP_URL")
        .parse()
        .unwrap_or_else(|err| panic!("AMQP_URL is not an AMQP URL: {err}"))
}

/// GET `path` (`/api/...`) from the management API of the RabbitMQ that `AMQP_URL` names, as
/// its user: the port is `RABBITMQ_MANAGEMENT_PORT` (set for RabbitMQ 4 by
/// `scripts/rabbitmq4.sh exec`), else docker/brokers.env's. Plain HTTP/1.0 over loopback.
pub fn management_get(path: &str) -> serde_json::Value {
    use std::io::{Read, Write};
    let uri = amqp_uri();
    let port: u16 = std::env::var("RABBITMQ_MANAGEMENT_PORT")
        .ok()
        .or_else(|| {
            settings_file("docker/brokers.env")
                .get("RABBITMQ_MANAGEMENT_PORT")
                .cloned()
        })
        .and_then(|p| p.parse().ok())
        .expect("RABBITMQ_MANAGEMENT_PORT");
    let user = &uri.authority.userinfo;
    let credentials = base64(format!("{}:{}", user.username, user.password).as_bytes());
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap_or_else(|err| {
        panic!("the management API is not reachable on 127.0.0.1:{port} ({err}): run: just up")
    });
    write!(
        stream,
        "GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\nAuthorization: Basic {credentials}\r\n\r\n"
    )
    .expect("send the request");
    let mut response = String::new();
    stream
        .read_to_string(&mut response)
        .expect("read the response");
    let (head, body) = response.split_once("\r\n\r\n").unwrap_or((&response, ""));
    assert!(head.starts_with("HTTP/1.1 200"), "GET {path}: {head}");
    serde_json::from_str(body).unwrap_or_else(|err| panic!("GET {path}: {err}: {body}"))
}

/// The vhost of `AMQP_URL`, percent-encoded for a management API path.
pub fn vhost_in_path() -> String {
    amqp_uri()
        .vhost
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &b)| n | u32::from(b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// A queue name of one test's own, deleted with whatever is in it when the test ends, passed
/// or failed: the chapters' named queues are durable, so they would outlive the test.
#[derive(Debug)]
pub struct TestQueue(String);

impl TestQueue {
    pub fn new(prefix: &str) -> Self {
        Self(unique(prefix))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::ops::Deref for TestQueue {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for TestQueue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl Drop for TestQueue {
    fn drop(&mut self) {
        delete_queue(&rabbit_args(), &self.0);
    }
}

/// The Kafka the tests talk to answers: `KAFKA_BROKERS` (4.4 on 9092 after `just up`, 3.9 on
/// 9192 under `just on-kafka3`).
pub fn require_kafka() {
    let brokers = setting("KAFKA_BROKERS");
    let port = brokers
        .split(',')
        .next()
        .and_then(|b| b.rsplit(':').next())
        .and_then(|p| p.parse().ok())
        .unwrap_or(9092);
    require("Kafka", port);
}

/// Runs a binary to completion (at most 60 s).
pub fn run(name: &str, args: &[&str]) -> Output {
    Proc::spawn(name, args).finish(Duration::from_secs(60))
}

/// Runs a binary with extra environment variables to completion (at most 60 s).
pub fn run_with_env(name: &str, args: &[&str], env: &[(&str, &str)]) -> Output {
    Proc::spawn_with_env(name, args, env).finish(Duration::from_secs(60))
}

/// The workspace's top folder ([`mq_run::repo_root`]).
pub fn repo_root() -> PathBuf {
    mq_run::repo_root().unwrap_or_else(|err| panic!("{err:#}"))
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

#[cfg(test)]
mod tests {
    #[test]
    fn base64_pads_as_rfc_4648() {
        assert_eq!(super::base64(b"Man"), "TWFu");
        assert_eq!(super::base64(b"Ma"), "TWE=");
        assert_eq!(super::base64(b"M"), "TQ==");
        assert_eq!(super::base64(b"ziyi:pw"), "eml5aTpwdw==");
    }
}
