//! The price of each guarantee: for each reliability setting, the throughput of a producer and a
//! consumer running together, and the end-to-end latency of a message at a fixed rate below
//! saturation (the producer's `--interval 1ms`: a few hundred messages per second here, since
//! a timer rounds each pause up), both with the chapters' binaries as taught. RabbitMQ's
//! latencies sit beside PerfTest's own, at the rate ours reached, with the same settings.
//!
//! Latency comes from a timestamp carried in each message: the producer's `--message {now}`
//! puts the time it builds the message into the body, in microseconds since 1970, and the
//! bench notes when the consumer's line for it arrives (the consumer prints each message, and
//! Rust's stdout is line-buffered). So a latency here is from building the message to the
//! consumer printing it, through the broker: what a learner watching two terminals sees.
//!
//! `scripts/bench-chart.py` draws `docs/images/bench-settings.svg` from these rows in
//! `target/bench/results.json`; the chapter "Going faster" shows it.

use std::time::Duration;

use mq_common::lines::WAITING;
use mq_common::rabbit::delete_queue;
use mq_run::{Output, unique};
use serde_json::{Value, json};

use super::perftest::{self, Kind};
use super::report::{Rows, grouped};
use super::{SIZE, Settings, TIMEOUT, finish, info, long_enough, run_to_end, start, step, tail};

/// The pause between two messages of a latency run: well below what every setting sustains.
const INTERVAL: &str = "1ms";
/// Messages in a latency run (several seconds).
const LATENCY_MESSAGES: u64 = 3000;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Broker {
    RabbitMQ,
    /// A RabbitMQ stream on RabbitMQ 4, over the stream protocol (the Streams chapters).
    Stream,
    Kafka,
}

/// One setting: who produces and consumes with which flags, and PerfTest's equivalent.
struct Setting {
    name: &'static str,
    broker: Broker,
    producer: &'static str,
    producer_flags: &'static str,
    consumer_flags: &'static str,
    perf_test: Option<&'static str>,
    /// The queue's kind (PerfTest's queue too).
    kind: Kind,
}

const fn rabbit(
    name: &'static str,
    producer: &'static str,
    producer_flags: &'static str,
    consumer_flags: &'static str,
    perf_test: Option<&'static str>,
) -> Setting {
    Setting {
        name,
        broker: Broker::RabbitMQ,
        producer,
        producer_flags,
        consumer_flags,
        perf_test,
        kind: Kind::Classic,
    }
}

/// A stream, with the Streams chapter's producer and consumer; PerfTest reads and writes the
/// same kind of stream over AMQP.
const fn stream(
    name: &'static str,
    producer_flags: &'static str,
    perf_test: &'static str,
) -> Setting {
    Setting {
        name,
        broker: Broker::Stream,
        producer: "rabbit-stream-producer",
        producer_flags,
        consumer_flags: "",
        perf_test: Some(perf_test),
        kind: Kind::Stream,
    }
}

const fn kafka(name: &'static str, producer_flags: &'static str) -> Setting {
    Setting {
        name,
        broker: Broker::Kafka,
        producer: "kafka-producer",
        producer_flags,
        consumer_flags: "",
        perf_test: None,
        kind: Kind::Classic,
    }
}

const SIMPLE: &str = "rabbit-simple-producer";
const CONFIRMS: &str = "rabbit-confirms";

/// The settings of the chart, cheapest guarantee first on each broker.
const SETTINGS: [Setting; 13] = [
    rabbit("auto-ack", SIMPLE, "", "--auto-ack", Some("--autoack")),
    rabbit(
        "manual ack, prefetch 1000",
        SIMPLE,
        "",
        "--prefetch 1000",
        Some("--qos 1000"),
    ),
    rabbit(
        "manual ack, prefetch 100",
        SIMPLE,
        "",
        "--prefetch 100",
        Some("--qos 100"),
    ),
    rabbit(
        "manual ack, prefetch 1",
        SIMPLE,
        "",
        "--prefetch 1",
        Some("--qos 1"),
    ),
    rabbit(
        "confirms, async",
        CONFIRMS,
        "--strategy async",
        "",
        Some("--confirm 1024 --qos 100"),
    ),
    rabbit(
        "confirms, batch of 100",
        CONFIRMS,
        "--strategy batch --batch-size 100",
        "",
        None,
    ),
    rabbit(
        "confirms, individual",
        CONFIRMS,
        "--strategy individual",
        "",
        Some("--confirm 1 --qos 100"),
    ),
    rabbit(
        "persistent + confirms",
        SIMPLE,
        "--persistent --confirm",
        "",
        Some("--flag persistent --confirm 1 --qos 100"),
    ),
    stream("stream, confirm each", "", "--confirm 1 --qos 100"),
    stream(
        "stream, 1000 confirms in flight",
        "--confirm-window 1000",
        "--confirm 1000 --qos 100",
    ),
    kafka("Kafka acks=0", "--acks 0"),
    kafka("Kafka acks=1", "--acks 1"),
    kafka("Kafka acks=all", "--acks all"),
];

/// Percentiles of a latency run, in milliseconds.
struct Latency {
    messages: usize,
    rate: f64,
    p50: f64,
    p99: f64,
    max: f64,
}

impl Latency {
    /// From latencies in microseconds, and how long producing them took.
    fn of(mut micros: Vec<u64>, seconds: f64) -> Option<Self> {
        if micros.is_empty() {
            return None;
        }
        micros.sort_unstable();
        let at = |q: f64| micros[((micros.len() - 1) as f64 * q).round() as usize] as f64 / 1000.0;
        Some(Self {
            messages: micros.len(),
            rate: micros.len() as f64 / seconds.max(1e-6),
            p50: at(0.50),
            p99: at(0.99),
            max: at(1.0),
        })
    }

    fn json(&self) -> Value {
        json!({
            "messages": self.messages,
            "msg_per_s": self.rate.round() as u64,
            "p50_ms": round(self.p50),
            "p99_ms": round(self.p99),
            "max_ms": round(self.max),
        })
    }
}

fn round(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// The latency of every message a consumer printed: the time in its body (its first number)
/// against when its line arrived.
fn latencies(out: &Output, broker: Broker) -> Vec<u64> {
    out.stdout
        .iter()
        .zip(&out.arrived)
        .filter_map(|(line, &arrived)| {
            let body = match broker {
                Broker::RabbitMQ => line.strip_prefix(" [x] Received ")?,
                // ` [x] Received 'BODY' (offset N)`
                Broker::Stream => line.strip_prefix(" [x] Received '")?,
                Broker::Kafka => &line[line.find("Value:")? + "Value:".len()..],
            };
            let digits: String = body.chars().take_while(char::is_ascii_digit).collect();
            let sent: u128 = digits.parse().ok()?;
            u64::try_from(arrived.checked_sub(sent)?).ok()
        })
        .collect()
}

/// One run of `setting`: the consumer first, then the producer with `producer_extra` (count,
/// interval, message), until the consumer has `count` messages. Returns both outputs and the
/// seconds from the producer's start to the consumer's last message.
fn run(
    settings: &Settings,
    setting: &Setting,
    count: u64,
    producer_extra: &str,
    quiet: bool,
) -> anyhow::Result<(Output, Output, f64)> {
    let quiet = if quiet { "--quiet" } else { "" };
    match setting.broker {
        Broker::RabbitMQ | Broker::Stream => {
            // A queue of the setting's kind, on its broker (a stream: RabbitMQ 4), declared
            // here; each side names it with its chapter's flag.
            let name = unique("bench-sweep");
            let rabbit = setting.kind.broker(settings);
            perftest::declare(&rabbit, &name, setting.kind)?;
            let (consumer_binary, target, from) = match setting.broker {
                Broker::Stream => {
                    let url = rabbit.amqp_url.clone().unwrap_or_default();
                    (
                        "rabbit-stream-consumer",
                        format!("--stream {name} --amqp-url {url}"),
                        "--offset first",
                    )
                }
                _ => ("rabbit-simple-consumer", format!("--queue {name}"), ""),
            };
            let consumer = start(
                consumer_binary,
                &format!(
                    "{target} {from} --max-messages {count} {quiet} {}",
                    setting.consumer_flags
                ),
            )?;
            consumer.wait_for(WAITING, 1, Duration::from_secs(30))?;
            let started = std::time::Instant::now();
            let producer = run_to_end(
                setting.producer,
                &format!(
                    "{target} --count {count} --size {SIZE} --quiet {producer_extra} {}",
                    setting.producer_flags
                ),
            );
            let consumer = finish(consumer_binary, consumer, TIMEOUT);
            let took = started.elapsed().as_secs_f64();
            delete_queue(&rabbit, &name);
            Ok((producer?, consumer?, took))
        }
        Broker::Kafka => {
            let topic = unique("bench-sweep");
            let brokers = format!("--kafka-brokers {}", settings.kafka);
            // The producer creates the topic; the consumer then starts at its end.
            run_to_end(
                "kafka-producer",
                &format!("--topic {topic} --count 1 --quiet {brokers}"),
            )?;
            let consumer = start(
                "kafka-consumer",
                &format!("--topic {topic} --max-messages {count} {quiet} {brokers}"),
            )?;
            consumer.wait_ready(Duration::from_secs(20))?;
            let started = std::time::Instant::now();
            let producer = run_to_end(
                "kafka-producer",
                &format!(
                    "--topic {topic} --count {count} --size {SIZE} --quiet {producer_extra} {} {brokers}",
                    setting.producer_flags
                ),
            );
            let consumer = finish("kafka-consumer", consumer, TIMEOUT);
            Ok((producer?, consumer?, started.elapsed().as_secs_f64()))
        }
    }
}

pub(crate) fn bench(
    settings: &Settings,
    rows: &mut Rows,
    have_perf_test: bool,
) -> anyhow::Result<()> {
    for setting in &SETTINGS {
        step(&format!("Setting: {}", setting.name));
        // Throughput: as fast as it goes, for at least MIN_SECONDS.
        let (count, (_, took)) = long_enough(settings, 10_000, 2_000_000, |count| {
            let (_, _, took) = run(settings, setting, count, "--interval 0", true)?;
            Ok(((count, took), took))
        })?;
        let rate = count as f64 / took;
        // Latency: a pause between messages, each message carrying when it was built.
        let interval = format!("--interval {INTERVAL} --message {{now}}");
        let (producer, consumer, _) = run(settings, setting, LATENCY_MESSAGES, &interval, false)?;
        let latency = Latency::of(
            latencies(&consumer, setting.broker),
            producer.elapsed.as_secs_f64(),
        )
        .ok_or_else(|| {
            anyhow::anyhow!("{}: no latency measured: {}", setting.name, tail(&consumer))
        })?;
        // PerfTest at the rate ours reached, rounded to tens.
        let perf_rate = ((latency.rate / 10.0).round() as u64 * 10).max(10);
        let perf_test = match (setting.perf_test, have_perf_test) {
            (Some(flags), true) => Some(perftest::latency_on(
                settings,
                setting.kind,
                &format!("--rate {perf_rate} {flags}"),
            )?),
            _ => None,
        };
        info(&format!(
            "{} msg/s; at {:.0} msg/s: p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms{}",
            grouped(rate.round() as u64),
            latency.rate,
            latency.p50,
            latency.p99,
            latency.max,
            perf_test.map_or(String::new(), |(p50, p99)| format!(
                "; PerfTest p50 {p50:.2} ms, p99 {p99:.2} ms"
            ))
        ));
        rows.setting(json!({
            "setting": setting.name,
            "broker": match setting.broker {
                Broker::RabbitMQ => "RabbitMQ",
                Broker::Stream => "RabbitMQ 4 stream",
                Broker::Kafka => "Kafka",
            },
            "producer": format!("{} {}", setting.producer, setting.producer_flags).trim(),
            "consumer": match setting.broker {
                Broker::RabbitMQ => format!("rabbit-simple-consumer {}", setting.consumer_flags),
                Broker::Stream => format!("rabbit-stream-consumer {}", setting.consumer_flags),
                Broker::Kafka => "kafka-consumer".to_owned(),
            }.trim(),
            "messages": count,
            "msg_per_s": rate.round() as u64,
            "latency": latency.json(),
            "perf_test_latency": perf_test.map(|(p50, p99)| json!({
                "msg_per_s": perf_rate,
                "p50_ms": round(p50),
                "p99_ms": round(p99),
            })),
        }));
    }
    Ok(())
}
