//! Streams beside queues and Kafka: the same number of messages of the same size written, then
//! read, through
//! - a RabbitMQ stream with the Streams chapter's binaries (stream protocol, confirms, 1000 in
//!   flight);
//! - the same stream over AMQP with PerfTest (confirms, 1000 in flight; prefetch 1000), which
//!   appends as many messages and reads the first ones again;
//! - a Kafka topic with the chapters' `kafka-producer` (`--acks all --batch 1000`) and
//!   `kafka-consumer --from-beginning`;
//! - a classic queue with the simple chapter's binaries (persistent, confirms, 1000 in flight;
//!   prefetch 1000), and a quorum queue with PerfTest (the same settings): the simple chapter's
//!   binaries declare a classic queue, as its page shows, and a quorum queue refuses that
//!   declaration (`inequivalent arg 'x-queue-type'`).
//!
//! The streams are on RabbitMQ 4 (the stream client needs 3.13 or newer), the queues on 3.10.
//! Latency at a fixed rate is the sweep's (`sweep.rs`), whose chart has the stream and quorum
//! rows too.

use mq_run::unique;
use serde_json::json;

use super::perftest::{self, Kind, Side};
use super::report::{Rows, grouped};
use super::{SIZE, Settings, info, run_to_end, step};

/// Messages per run: a few seconds for the slowest of them here.
const COUNT: u64 = 300_000;

/// (publish msg/s, consume msg/s) of `count` messages through one of the subjects.
type Rates = (f64, f64);

fn rate(count: u64, out: &mq_run::Output) -> f64 {
    count as f64 / out.elapsed.as_secs_f64().max(1e-6)
}

/// One stream, written and read by both: the Streams chapter's client
/// (`rabbit-stream-producer --confirm-window 1000`, `rabbit-stream-consumer --offset first`),
/// then PerfTest over AMQP, which appends as many messages again and reads the first `count`.
/// Returns (the stream client's rates, PerfTest's), PerfTest's when it was fetched.
fn stream(
    settings: &Settings,
    count: u64,
    have_perf_test: bool,
) -> anyhow::Result<(Rates, Option<Rates>)> {
    let name = unique("bench-stream");
    let rabbit = Kind::Stream.broker(settings);
    let url = rabbit.amqp_url.clone().unwrap_or_default();
    // Declared over AMQP, as PerfTest needs it (`--predeclared`); the stream client uses it as
    // it is.
    perftest::declare(&rabbit, &name, Kind::Stream)?;
    let produced = run_to_end(
        "rabbit-stream-producer",
        &format!(
            "--stream {name} --count {count} --size {SIZE} --quiet --confirm-window 1000 --amqp-url {url}"
        ),
    )?;
    let consumed = run_to_end(
        "rabbit-stream-consumer",
        &format!("--stream {name} --offset first --max-messages {count} --quiet --amqp-url {url}"),
    )?;
    let ours = (rate(count, &produced), rate(count, &consumed));
    let theirs = if have_perf_test {
        let published = perftest::side_rate(
            settings,
            Kind::Stream,
            &name,
            Side::Publish,
            count,
            "--confirm 1000",
        )?;
        let consumed = perftest::side_rate(
            settings,
            Kind::Stream,
            &name,
            Side::Consume,
            count,
            "--qos 1000 --consumer-args x-stream-offset=first",
        )?;
        Some((published, consumed))
    } else {
        None
    };
    mq_common::rabbit::delete_queue(&rabbit, &name);
    Ok((ours, theirs))
}

/// PerfTest on a quorum queue of its own, persistent messages and confirms as the classic row.
fn quorum(settings: &Settings, count: u64) -> anyhow::Result<Rates> {
    let name = unique("bench-quorum");
    let rabbit = Kind::Quorum.broker(settings);
    perftest::declare(&rabbit, &name, Kind::Quorum)?;
    let rates = perftest::side_rate(
        settings,
        Kind::Quorum,
        &name,
        Side::Publish,
        count,
        "--flag persistent --confirm 1000",
    )
    .and_then(|published| {
        let consumed = perftest::side_rate(
            settings,
            Kind::Quorum,
            &name,
            Side::Consume,
            count,
            "--qos 1000",
        )?;
        Ok((published, consumed))
    });
    mq_common::rabbit::delete_queue(&rabbit, &name);
    rates
}

/// The Kafka chapters' producer and consumer, on a topic of their own.
fn kafka(settings: &Settings, count: u64) -> anyhow::Result<Rates> {
    let topic = unique("bench-streams-kafka");
    let brokers = format!("--kafka-brokers {}", settings.kafka);
    let produced = run_to_end(
        "kafka-producer",
        &format!(
            "--topic {topic} --count {count} --size {SIZE} --acks all --batch 1000 --quiet {brokers}"
        ),
    )?;
    let consumed = run_to_end(
        "kafka-consumer",
        &format!("--topic {topic} --from-beginning --max-messages {count} --quiet {brokers}"),
    )?;
    Ok((rate(count, &produced), rate(count, &consumed)))
}

/// The simple chapter's producer and consumer on a classic queue of their own.
fn classic(settings: &Settings, count: u64) -> anyhow::Result<Rates> {
    let name = unique("bench-queue");
    let rabbit = settings.rabbit();
    perftest::declare(&rabbit, &name, Kind::Classic)?;
    let produced = run_to_end(
        "rabbit-simple-producer",
        &format!(
            "--queue {name} --count {count} --size {SIZE} --quiet --interval 0 --persistent --confirm --confirm-window 1000"
        ),
    )?;
    let consumed = run_to_end(
        "rabbit-simple-consumer",
        &format!("--queue {name} --max-messages {count} --quiet --prefetch 1000"),
    )?;
    mq_common::rabbit::delete_queue(&rabbit, &name);
    Ok((rate(count, &produced), rate(count, &consumed)))
}

pub(crate) fn bench(
    settings: &Settings,
    rows: &mut Rows,
    have_perf_test: bool,
) -> anyhow::Result<()> {
    step(&format!(
        "Streams beside queues and Kafka: {} messages of {SIZE} bytes, written then read",
        grouped(COUNT)
    ));
    let mut subjects: Vec<(&str, &str, Rates)> = Vec::new();
    let mut measure = |name: &'static str, tool: &'static str, rates: Rates| {
        info(&format!(
            "{name} ({tool}): publish {} msg/s, consume {} msg/s",
            grouped(rates.0.round() as u64),
            grouped(rates.1.round() as u64)
        ));
        subjects.push((name, tool, rates));
    };
    let (ours, theirs) = stream(settings, COUNT, have_perf_test)?;
    measure(
        "RabbitMQ stream",
        "rabbit-stream-producer --confirm-window 1000, rabbit-stream-consumer",
        ours,
    );
    if let Some(theirs) = theirs {
        measure(
            "RabbitMQ stream over AMQP",
            "PerfTest --confirm 1000 --qos 1000, the same stream",
            theirs,
        );
    }
    measure(
        "Kafka topic",
        "kafka-producer --acks all --batch 1000, kafka-consumer",
        kafka(settings, COUNT)?,
    );
    measure(
        "classic queue",
        "rabbit-simple-producer --persistent --confirm --confirm-window 1000, rabbit-simple-consumer --prefetch 1000",
        classic(settings, COUNT)?,
    );
    if have_perf_test {
        measure(
            "quorum queue",
            "PerfTest --flag persistent --confirm 1000 --qos 1000",
            quorum(settings, COUNT)?,
        );
    }
    let publish_of = |name: &str| {
        subjects
            .iter()
            .find(|(n, _, _)| *n == name)
            .map(|(_, _, r)| r.0)
    };
    if let (Some(ours), Some(amqp)) = (
        publish_of("RabbitMQ stream"),
        publish_of("RabbitMQ stream over AMQP"),
    ) {
        info(&format!(
            "the stream client publishes {:.1}x as fast as PerfTest over AMQP, to the same stream",
            ours / amqp.max(1e-6)
        ));
    }
    for (name, tool, (published, consumed)) in subjects {
        rows.stream(json!({
            "subject": name,
            "tool": tool,
            "messages": COUNT,
            "publish_msg_per_s": published.round() as u64,
            "consume_msg_per_s": consumed.round() as u64,
        }));
    }
    Ok(())
}
