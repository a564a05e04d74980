//! RabbitMQ's PerfTest, the reference of the RabbitMQ rows: fetched once with Maven, run on a
//! queue declared for it, and its summary read back (rates, or consumer latency).

use std::process::{Command, Stdio};
use std::time::Duration;

use anyhow::{Context, bail};
use lapin::options::QueueDeclareOptions;
use lapin::types::{AMQPValue, FieldTable};
use mq_common::config::RabbitArgs;
use mq_common::rabbit::{delete_queue, with_channel};
use mq_run::{Output, repo_root, unique};

use super::{SIZE, Settings, finish, info, start, step, tail};

/// The kind of a queue: a classic one, a quorum queue, or a stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Classic,
    Quorum,
    /// On RabbitMQ 4, where the Streams chapters run.
    Stream,
}

impl Kind {
    /// The broker a queue of this kind is benched on.
    pub(crate) fn broker(self, settings: &Settings) -> RabbitArgs {
        match self {
            Self::Stream => settings.rabbit4(),
            Self::Classic | Self::Quorum => settings.rabbit(),
        }
    }
}

/// Declares `queue` durable and of `kind` (`x-queue-type`) on `rabbit`, as the chapters' named
/// queues are (our runs' queues, and PerfTest's: PerfTest declares a named queue durable only
/// with `--flag persistent`, which also makes its messages persistent; without it the queue
/// would be transient and non-exclusive, which RabbitMQ 4.3 refuses. So PerfTest is given a
/// queue declared here, with `--predeclared`).
pub(crate) fn declare(rabbit: &RabbitArgs, queue: &str, kind: Kind) -> anyhow::Result<()> {
    let mut arguments = FieldTable::default();
    let queue_type = match kind {
        Kind::Classic => None,
        Kind::Quorum => Some("quorum"),
        Kind::Stream => Some("stream"),
    };
    if let Some(queue_type) = queue_type {
        arguments.insert(
            "x-queue-type".into(),
            AMQPValue::LongString(queue_type.into()),
        );
    }
    with_channel(rabbit, "bench", async |channel| {
        let durable = QueueDeclareOptions {
            durable: true,
            ..QueueDeclareOptions::default()
        };
        channel
            .queue_declare(queue.into(), durable, arguments.clone())
            .await
    })
    .with_context(|| format!("declaring queue '{queue}'"))?;
    Ok(())
}

/// PerfTest with one producer and `consumers` consumers for `seconds`, on a queue of its own.
fn run(settings: &Settings, consumers: u32, flags: &str, seconds: f64) -> anyhow::Result<Output> {
    run_on(settings, Kind::Classic, 1, consumers, flags, seconds)
}

/// PerfTest with `producers` and `consumers` on a queue of `kind` of its own (a stream on
/// RabbitMQ 4), for at most `seconds`.
fn run_on(
    settings: &Settings,
    kind: Kind,
    producers: u32,
    consumers: u32,
    flags: &str,
    seconds: f64,
) -> anyhow::Result<Output> {
    let queue = unique("bench-perftest");
    let rabbit = kind.broker(settings);
    declare(&rabbit, &queue, kind)?;
    let out = run_queue(settings, kind, &queue, producers, consumers, flags, seconds);
    delete_queue(&rabbit, &queue);
    out
}

/// PerfTest on `queue`, declared already.
fn run_queue(
    settings: &Settings,
    kind: Kind,
    queue: &str,
    producers: u32,
    consumers: u32,
    flags: &str,
    seconds: f64,
) -> anyhow::Result<Output> {
    let url = kind.broker(settings).amqp_url.unwrap_or_default();
    let args = format!(
        "-Xmx512m -cp {}/* com.rabbitmq.perf.PerfTest --uri {url} --producers {producers} \
         --consumers {consumers} --size {SIZE} --time {} --queue {queue} --predeclared {flags}",
        settings.perf_test_libs.display(),
        seconds.round() as u64,
    );
    finish(
        "PerfTest",
        start("java", &args)?,
        Duration::from_secs_f64(seconds + 120.0),
    )
}

/// One side of a queue, for PerfTest alone.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Side {
    /// `count` messages published, with no consumer.
    Publish,
    /// `count` messages consumed, already in the queue.
    Consume,
}

/// PerfTest's rate (msg/s) on one `side` of `queue` (declared, of `kind`), with `flags` (its
/// confirms, its prefetch; a stream is read from its first message with
/// `--consumer-args x-stream-offset=first`).
pub(crate) fn side_rate(
    settings: &Settings,
    kind: Kind,
    queue: &str,
    side: Side,
    count: u64,
    flags: &str,
) -> anyhow::Result<f64> {
    let (producers, consumers, limit, label) = match side {
        Side::Publish => (1, 0, "--pmessages", "sending rate avg: "),
        Side::Consume => (0, 1, "--cmessages", "receiving rate avg: "),
    };
    let flags = format!("{limit} {count} {flags}");
    let out = run_queue(settings, kind, queue, producers, consumers, &flags, 600.0)?;
    summary_rate(&out, label)
}

fn summary_rate(out: &Output, label: &str) -> anyhow::Result<f64> {
    out.stdout
        .iter()
        .find_map(|line| {
            let rest = &line[line.find(label)? + label.len()..];
            rest.split_whitespace().next()?.parse::<f64>().ok()
        })
        .ok_or_else(|| anyhow::anyhow!("PerfTest printed no '{label}': {}", tail(out)))
}

/// PerfTest's (sent, received) msg/s.
pub(crate) fn rates(
    settings: &Settings,
    consumers: u32,
    flags: &str,
    seconds: f64,
) -> anyhow::Result<(f64, f64)> {
    let out = run(settings, consumers, flags, seconds)?;
    let sent = summary_rate(&out, "sending rate avg: ")?;
    // With no consumer there is no receiving rate to print.
    let received = match consumers {
        0 => 0.0,
        _ => summary_rate(&out, "receiving rate avg: ")?,
    };
    Ok((sent, received))
}

/// PerfTest's (median, 99th percentile) consumer latency in milliseconds, with one producer
/// and one consumer (`flags` gives the rate), from its summary line
/// `consumer latency min/median/75th/95th/99th 308/4638/133851/211886/235315 µs`.
pub(crate) fn latency_on(
    settings: &Settings,
    kind: Kind,
    flags: &str,
) -> anyhow::Result<(f64, f64)> {
    let out = run_on(settings, kind, 1, 1, flags, settings.seconds.max(5.0))?;
    let summary = out
        .stdout
        .iter()
        .find_map(|line| {
            line.split_once("consumer latency min/median/75th/95th/99th ")?
                .1
                .split_whitespace()
                .next()
        })
        .ok_or_else(|| anyhow::anyhow!("PerfTest printed no latency summary: {}", tail(&out)))?;
    let micros: Vec<f64> = summary.split('/').filter_map(|n| n.parse().ok()).collect();
    let [_, median, _, _, p99] = micros[..] else {
        bail!("PerfTest's latency summary has an unexpected form: {summary}");
    };
    Ok((median / 1000.0, p99 / 1000.0))
}

/// Fetches PerfTest once; returns false (and says why) if Maven cannot.
pub(crate) fn fetch(settings: &Settings) -> anyhow::Result<bool> {
    let libs = &settings.perf_test_libs;
    let marker = libs.join(".complete");
    if marker.exists() {
        return Ok(true);
    }
    step("Fetching RabbitMQ PerfTest from Maven Central (first run only)");
    std::fs::create_dir_all(libs).with_context(|| format!("creating {}", libs.display()))?;
    let result = Command::new("mvn")
        .args(["-B", "-q", "--no-transfer-progress", "-f"])
        .arg(repo_root()?.join("scripts/bench/perf-test-pom.xml"))
        .args(["dependency:copy-dependencies", "-DincludeScope=runtime"])
        .arg(format!("-DoutputDirectory={}", libs.display()))
        .stdin(Stdio::null())
        .output();
    let jars = |prefix: &str| {
        std::fs::read_dir(libs).map_or(0, |dir| {
            dir.filter_map(Result::ok)
                .map(|entry| entry.file_name().to_string_lossy().into_owned())
                .filter(|name| name.starts_with(prefix) && name.ends_with(".jar"))
                .count()
        })
    };
    match result {
        Ok(out) if out.status.success() && jars("perf-test-") > 0 => {
            info(&format!("{} jars in {}", jars(""), libs.display()));
            std::fs::write(&marker, "").with_context(|| format!("writing {}", marker.display()))?;
            Ok(true)
        }
        Ok(out) => {
            let text = String::from_utf8_lossy(&out.stderr) + String::from_utf8_lossy(&out.stdout);
            info("PerfTest could not be fetched; RabbitMQ rows will have no reference:");
            info(text.trim().lines().last().unwrap_or("no output"));
            Ok(false)
        }
        Err(err) => {
            info(&format!(
                "PerfTest could not be fetched (mvn: {err}); RabbitMQ rows will have no reference"
            ));
            Ok(false)
        }
    }
}
