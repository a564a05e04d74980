//! Kafka: the demo producer (`--batch 1000`) and consumer next to Kafka's ProducerPerformance
//! and ConsumerPerformance.

use mq_run::{Output, unique};

use super::go::{self, Go, Sample};
use super::report::{Measured, Rows};
use super::{SIZE, Settings, info, long_enough, run_to_end, step, tail};
use crate::report::grouped;

/// Runs one of Kafka's own tools (a main class in the Kafka jars).
fn kafka_java(settings: &Settings, main: &str, args: &str) -> anyhow::Result<Output> {
    let java = format!(
        "-Xmx512m -Dlog4j.configuration=file:{} -cp {}/* {main} {args}",
        settings.kafka_log4j.display(),
        settings.kafka_libs.display()
    );
    run_to_end("java", &java)
}

fn produce(settings: &Settings, topic: &str, count: u64, acks: &str) -> anyhow::Result<Output> {
    let args = format!(
        "--topic {topic} --count {count} --size {SIZE} --acks {acks} --batch 1000 --quiet \
         --message m{{i}} --kafka-brokers {}",
        settings.kafka
    );
    run_to_end("kafka-producer", &args)
}

fn consume(settings: &Settings, topic: &str, count: u64, extra: &str) -> anyhow::Result<Output> {
    let args = format!(
        "--topic {topic} --from-beginning --max-messages {count} --quiet --kafka-brokers {} {extra}",
        settings.kafka
    );
    run_to_end("kafka-consumer", &args)
}

fn producer_performance(
    settings: &Settings,
    topic: &str,
    count: u64,
    acks: &str,
) -> anyhow::Result<f64> {
    let args = format!(
        "--topic {topic} --num-records {count} --record-size {SIZE} --throughput -1 \
         --producer-props bootstrap.servers={} acks={acks}",
        settings.kafka
    );
    let out = kafka_java(
        settings,
        "org.apache.kafka.tools.ProducerPerformance",
        &args,
    )?;
    // "<n> records sent, <rate> records/sec (…)"
    out.stdout
        .iter()
        .find_map(|line| {
            line.split_once(" records sent, ")?
                .1
                .split_whitespace()
                .next()?
                .parse()
                .ok()
        })
        .ok_or_else(|| anyhow::anyhow!("ProducerPerformance printed no rate: {}", tail(&out)))
}

fn consumer_performance(settings: &Settings, topic: &str, count: u64) -> anyhow::Result<f64> {
    let args = format!(
        "--bootstrap-server {} --topic {topic} --messages {count} --timeout 60000",
        settings.kafka
    );
    let out = kafka_java(
        settings,
        "org.apache.kafka.tools.ConsumerPerformance",
        &args,
    )?;
    let header = out.stdout.iter().position(|l| l.starts_with("start.time"));
    let rate = header.and_then(|i| {
        let names: Vec<&str> = out.stdout[i].split(',').map(str::trim).collect();
        let values: Vec<&str> = out.stdout.get(i + 1)?.split(',').map(str::trim).collect();
        // fetch.nMsg.sec leaves out the group join, which our consumer does not do.
        let at = names.iter().position(|n| *n == "fetch.nMsg.sec")?;
        values.get(at)?.parse().ok()
    });
    rate.ok_or_else(|| anyhow::anyhow!("ConsumerPerformance printed no rate: {}", tail(&out)))
}

/// Deletes every bench-* topic: a run writes gigabytes, and Kafka keeps them for a week.
pub(crate) fn delete_bench_topics(settings: &Settings) -> anyhow::Result<()> {
    let args = format!(
        "--bootstrap-server {} --delete --if-exists --topic bench-.*",
        settings.kafka
    );
    kafka_java(settings, "org.apache.kafka.tools.TopicCommand", &args)?;
    Ok(())
}

pub(crate) fn bench(settings: &Settings, rows: &mut Rows, go: &Go) -> anyhow::Result<()> {
    let mut consume_topic = String::new();
    let mut consume_count = 0;
    let mut produce_count = 0;
    for acks in ["1", "all"] {
        let case = format!("kafka --acks {acks} --batch 1000");
        step(&case);
        let (count, (topic, produced)) = long_enough(settings, 100_000, 10_000_000, |count| {
            let topic = unique(&format!("bench-acks{acks}"));
            let produced = produce(settings, &topic, count, acks)?;
            let seconds = produced.elapsed.as_secs_f64();
            Ok(((topic, produced), seconds))
        })?;
        let java_acks = if acks == "1" { "1" } else { "-1" };
        let reference = producer_performance(settings, &unique("bench-ref"), count, java_acks)?;
        let seconds = produced.elapsed.as_secs_f64();
        rows.push(
            &case,
            "produce",
            "ours",
            Measured::ours(count, seconds, &produced, Some(reference)),
        );
        rows.push(
            &case,
            "produce",
            "ProducerPerformance",
            Measured::tool(count, count as f64 / reference),
        );
        if acks == "1" {
            (consume_topic, consume_count) = (topic, count);
        } else {
            produce_count = count;
        }
    }

    let case = "kafka consume --from-beginning";
    step(case);
    let mut stored = consume_count;
    let (count, consumed) = long_enough(settings, consume_count, 30_000_000, |count| {
        // Make the topic long enough first: the consumer reads it from the beginning.
        if count > stored {
            info(&format!(
                "producing {} more messages to read",
                grouped(count - stored)
            ));
            produce(settings, &consume_topic, count - stored, "1")?;
            stored = count;
        }
        let consumed = consume(settings, &consume_topic, count, "")?;
        let seconds = consumed.elapsed.as_secs_f64();
        Ok((consumed, seconds))
    })?;
    let reference = consumer_performance(settings, &consume_topic, count)?;
    let seconds = consumed.elapsed.as_secs_f64();
    rows.push(
        case,
        "consume",
        "ours",
        Measured::ours(count, seconds, &consumed, Some(reference)),
    );
    rows.push(
        case,
        "consume",
        "ConsumerPerformance",
        Measured::tool(count, count as f64 / reference),
    );
    // The group consumer (rdkafka) on the same messages, as a fresh group from the beginning.
    let group_case = "kafka-group-consumer --from-beginning";
    step(group_case);
    let args = format!(
        "--topic {consume_topic} --group {} --from-beginning --max-messages {count} --quiet --kafka-brokers {}",
        unique("bench-group"),
        settings.kafka
    );
    let grouped_run = run_to_end("kafka-group-consumer", &args)?;
    let seconds = grouped_run.elapsed.as_secs_f64();
    rows.push(
        group_case,
        "consume",
        "ours",
        Measured::ours(count, seconds, &grouped_run, Some(reference)),
    );
    let small = consume(settings, &consume_topic, count / 10, "")?;
    rows.push(
        case,
        "consume, count/10",
        "ours",
        Measured {
            note: "peak RSS vs the full run: flat means bounded",
            ..Measured::ours(count / 10, small.elapsed.as_secs_f64(), &small, None)
        },
    );
    vs_go(settings, rows, go, produce_count, &consume_topic, count)
}

/// `kafka-producer --acks all --batch 1000` and `kafka-consumer --from-beginning` next to the
/// Go tutorial's sarama code doing the same.
fn vs_go(
    settings: &Settings,
    rows: &mut Rows,
    go: &Go,
    produce_count: u64,
    topic: &str,
    consume_count: u64,
) -> anyhow::Result<()> {
    const TOOL: &str = "Go tutorial (IBM/sarama)";
    let brokers = &settings.kafka;
    let runs = |f: &mut dyn FnMut() -> anyhow::Result<Sample>| -> anyhow::Result<Vec<Sample>> {
        (0..go::RUNS).map(|_| f()).collect()
    };
    let go_runs = |mode: &str, args: &dyn Fn() -> String, count: u64| match go {
        Go::Ready(path) => runs(&mut || {
            let out = Go::run(path, mode, &args())?;
            Ok(Sample::of(count, &out))
        })
        .map(Ok),
        Go::Missing(why) => Ok(Err(why.as_str())),
    };

    let case = "kafka vs Go: produce, acks all, batch 1000";
    step(&format!("{case} ({} runs each)", go::RUNS));
    let ours = runs(&mut || {
        let out = produce(settings, &unique("bench-vs-go"), produce_count, "all")?;
        Ok(Sample::of(produce_count, &out))
    })?;
    let args = || {
        let topic = unique("bench-go");
        format!("-brokers {brokers} -topic {topic} -count {produce_count} -size {SIZE} -batch 1000")
    };
    let theirs = go_runs("kafka-produce", &args, produce_count)?;
    rows.vs_go(
        case,
        "produce",
        &ours,
        theirs.as_deref().map_err(|why| *why),
        TOOL,
    );

    let case = "kafka vs Go: consume from the beginning";
    step(&format!("{case} ({} runs each)", go::RUNS));
    let args = || format!("-brokers {brokers} -topic {topic} -count {consume_count}");
    let theirs = go_runs("kafka-consume", &args, consume_count)?;
    let ours = runs(&mut || {
        let out = consume(settings, topic, consume_count, "")?;
        Ok(Sample::of(consume_count, &out))
    })?;
    rows.vs_go(
        case,
        "consume",
        &ours,
        theirs.as_deref().map_err(|why| *why),
        TOOL,
    );
    Ok(())
}
