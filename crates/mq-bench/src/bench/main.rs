//! `just bench`: how fast the demo binaries move messages, next to the brokers' own tools.
//!
//! The RabbitMQ rows come in pairs: "as taught" (the chapters' loops, as their pages show them)
//! and "tuned" (with the speed-ups of the chapter "Going faster": `--pipeline`,
//! `--confirm-window`, `--ack-in-runs`). Then `sweep.rs` prices each reliability setting in
//! throughput and end-to-end latency (`scripts/bench-chart.py` draws the chapter's chart).
//!
//! The subjects are the demo binaries themselves (release build), in a bench configuration:
//! no interval, 200-byte messages, `--quiet`, and a `--count` grown until each run lasts at
//! least 5 s (aiming at `BENCH_SECONDS`, default 6) on this machine. The references run in the
//! same session, against the same brokers:
//! - RabbitMQ: PerfTest (com.rabbitmq:perf-test, fetched from Maven Central), `rabbit.rs`,
//!   including the three strategies of the publisher-confirms chapter;
//! - Kafka: ProducerPerformance and ConsumerPerformance from the Kafka 3.9 jars, `kafka.rs`;
//! - streams (`streams.rs`): the Streams chapter's stream client beside PerfTest over AMQP on
//!   the same kind of stream, a Kafka topic, and classic and quorum queues;
//! - both: the Go tutorial's own libraries (streadway/amqp, IBM/sarama) in `scripts/bench/go`,
//!   built with Go modules when `go` is installed (`go.rs`): the same work, three runs a side.
//!
//! Every process is started and read by the one runner, [`mq_run::Proc`], which also
//! samples its CPU time and peak RSS. Results (`report.rs`): a table on stdout,
//! `target/bench/results.json` and `target/bench/results.md`. Nothing here fails on speed; it
//! only measures and prints.

mod go;
mod kafka;
mod perftest;
mod rabbit;
mod report;
mod streams;
mod sweep;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use mq_common::config::RabbitArgs;
use mq_run::{Output, Proc, bin_path, repo_root};

use report::{Rows, grouped};

/// Bytes per message, as in the LinkedIn measurements the tutorial quotes.
const SIZE: u64 = 200;
/// A shorter run is repeated with more messages.
const MIN_SECONDS: f64 = 5.0;
/// How long one process may take before the bench gives up on it.
const TIMEOUT: Duration = Duration::from_secs(300);

/// What `just bench` exports (scripts/lib.sh: docker/brokers.env, .env, derived paths).
struct Settings {
    amqp_url: String,
    /// AMQP_URL moved to RabbitMQ 4's port: the streams' broker (the same user and vhost).
    amqp_url4: String,
    kafka: String,
    kafka_libs: PathBuf,
    kafka_log4j: PathBuf,
    perf_test_libs: PathBuf,
    /// What a run is sized for.
    seconds: f64,
}

fn setting(name: &str) -> anyhow::Result<String> {
    match std::env::var(name) {
        Ok(value) if !value.is_empty() => Ok(value),
        _ => bail!("{name} is not set: run the benchmark with `just bench`"),
    }
}

impl Settings {
    fn from_env() -> anyhow::Result<Self> {
        let seconds = match std::env::var("BENCH_SECONDS") {
            Ok(s) => s
                .parse()
                .with_context(|| format!("BENCH_SECONDS={s} is not a number of seconds"))?,
            Err(_) => 6.0,
        };
        // A run shorter than MIN_SECONDS is repeated with more messages: aiming below it
        // would repeat forever.
        if seconds < MIN_SECONDS {
            bail!("BENCH_SECONDS={seconds} is below the {MIN_SECONDS} s each run must last");
        }
        let amqp_url = setting("AMQP_URL")?;
        let (port, port4) = (setting("AMQP_PORT")?, setting("RABBITMQ4_AMQP_PORT")?);
        let amqp_url4 = amqp_url.replacen(&format!(":{port}/"), &format!(":{port4}/"), 1);
        if amqp_url4 == amqp_url {
            bail!("AMQP_URL does not name port {port}, so the streams' RabbitMQ 4 cannot be found");
        }
        Ok(Self {
            amqp_url,
            amqp_url4,
            kafka: format!("127.0.0.1:{}", setting("KAFKA_PORT")?),
            kafka_libs: PathBuf::from(setting("KAFKA_LIBS")?),
            kafka_log4j: Path::new(&setting("KAFKA_CONF")?).join("tools-log4j.properties"),
            perf_test_libs: Path::new(&setting("MQ_HOME")?).join("perf-test-libs"),
            seconds,
        })
    }

    /// Where the bench's own connection goes: to delete each queue once a run has emptied it.
    fn rabbit(&self) -> RabbitArgs {
        RabbitArgs {
            amqp_url: Some(self.amqp_url.clone()),
        }
    }

    /// The same, on RabbitMQ 4: the streams' broker.
    fn rabbit4(&self) -> RabbitArgs {
        RabbitArgs {
            amqp_url: Some(self.amqp_url4.clone()),
        }
    }
}

fn step(text: &str) {
    println!("\x1b[1m==>\x1b[0m {text}");
}

fn info(text: &str) {
    println!("    {text}");
}

/// The last lines a process printed, for an error message.
fn tail(out: &Output) -> String {
    let mut lines: Vec<&str> = out.stdout.iter().map(String::as_str).collect();
    lines.extend(out.stderr.lines());
    let text = lines[lines.len().saturating_sub(3)..].join(" | ");
    if text.is_empty() {
        "(no output)".to_owned()
    } else {
        text
    }
}

/// Starts `program` (a demo binary of this build, or `java`) with the space-separated `args`
/// (the bench's names and paths hold no spaces: `just up` keeps its files under `~/.cache`).
fn start(program: &str, args: &str) -> anyhow::Result<Proc> {
    let args: Vec<&str> = args.split_whitespace().collect();
    if program == "java" {
        Proc::spawn_program(program, &args, &[])
    } else {
        Proc::spawn(program, &args)
    }
}

/// Waits for `proc` and fails unless it exited with 0.
fn finish(name: &str, proc: Proc, timeout: Duration) -> anyhow::Result<Output> {
    let out = proc
        .try_finish(timeout)
        .map_err(|err| anyhow::anyhow!("{name} {err:#}"))?;
    if !out.success() {
        bail!("{name} exited with {}: {}", out.status, tail(&out));
    }
    Ok(out)
}

/// Runs `program` to completion.
fn run_to_end(program: &str, args: &str) -> anyhow::Result<Output> {
    finish(program, start(program, args)?, TIMEOUT)
}

/// Calls `run(count)`, which returns (result, seconds of its faster side), and grows the count
/// until that side lasts MIN_SECONDS. The first, short call doubles as a warm-up.
fn long_enough<T>(
    settings: &Settings,
    mut count: u64,
    high: u64,
    mut run: impl FnMut(u64) -> anyhow::Result<(T, f64)>,
) -> anyhow::Result<(u64, T)> {
    loop {
        let (result, seconds) = run(count)?;
        if seconds >= MIN_SECONDS || count >= high {
            return Ok((count, result));
        }
        let grown = ((count as f64 * settings.seconds / seconds.max(0.05) * 1.1) as u64).min(high);
        info(&format!(
            "{} messages took {seconds:.1} s; running again with {}",
            grouped(count),
            grouped(grown)
        ));
        count = grown;
    }
}

fn run() -> anyhow::Result<()> {
    let started = Instant::now();
    let settings = Settings::from_env()?;
    for binary in [
        "rabbit-simple-producer",
        "rabbit-stream-producer",
        "rabbit-stream-consumer",
        "kafka-producer",
        "kafka-consumer",
        "kafka-group-consumer",
    ] {
        let path = bin_path(binary);
        if !path.exists() {
            bail!(
                "{} is missing: `just bench` builds it (cargo build --release)",
                path.display()
            );
        }
    }
    if !settings.kafka_libs.join(".complete").exists() {
        bail!("the Kafka jars are missing: run `just up` (native) once");
    }
    let have_perf_test = perftest::fetch(&settings)?;
    let go = go::Go::build()?;
    let results = repo_root()?.join("target/bench");
    let mut rows = Rows::default();
    // BENCH_ONLY=sweep re-runs the reliability settings alone, keeping the other rows of the
    // last results.json, and BENCH_ONLY=streams the streams comparison alone; BENCH_ONLY=kafka
    // runs the Kafka rows, the streams comparison and the sweep, not the RabbitMQ rows.
    let only = std::env::var("BENCH_ONLY").unwrap_or_default();
    match only.as_str() {
        "" => {
            rabbit::bench(&settings, &mut rows, have_perf_test, &go)?;
            rabbit::bench_confirms(&settings, &mut rows, have_perf_test)?;
        }
        "sweep" => rows = Rows::from_previous(&results.join("results.json"), false)?,
        "streams" => {
            rows = Rows::from_previous(&results.join("results.json"), true)?;
            streams::bench(&settings, &mut rows, have_perf_test)?;
            return rows.write(&results, &settings, started.elapsed());
        }
        "kafka" => {}
        other => bail!("BENCH_ONLY={other}: use sweep, streams or kafka, or leave it unset"),
    }
    kafka::delete_bench_topics(&settings)?; // left over by an interrupted run
    if only != "sweep" {
        kafka::bench(&settings, &mut rows, &go)?;
        streams::bench(&settings, &mut rows, have_perf_test)?;
    }
    sweep::bench(&settings, &mut rows, have_perf_test)?;
    step("Deleting the bench topics");
    kafka::delete_bench_topics(&settings)?;
    rows.write(&results, &settings, started.elapsed())
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::FAILURE
        }
    }
}
