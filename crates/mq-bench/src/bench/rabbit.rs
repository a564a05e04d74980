//! RabbitMQ: a demo producer and consumer running at the same time, next to PerfTest with one
//! producer and one consumer, as PerfTest runs them.

use mq_common::lines::WAITING;
use mq_common::rabbit::delete_queue;
use mq_run::{Output, unique};
use std::time::{Duration, Instant};

use super::go::{self, Go, Sample};
use super::perftest;
use super::report::{Measured, Rows};
use super::{SIZE, Settings, TIMEOUT, finish, long_enough, run_to_end, start, step, tail};

/// One bench case: its name, the binaries' mode, then the flags of our producer, our consumer
/// and PerfTest.
struct Case {
    name: &'static str,
    mode: &'static str,
    producer: &'static str,
    consumer: &'static str,
    perf_test: &'static str,
}

// The consumers get --prefetch 1000 (the demos default to 100): with 100, a consumer that
// shares 2 cores with the broker and the producer falls behind. PerfTest gets the same --qos,
// so both clients work under the same limit.
const CASES: [Case; 4] = [
    Case {
        name: "rabbit plain",
        mode: "rabbit-simple",
        producer: "",
        consumer: "--prefetch 1000",
        perf_test: "--qos 1000",
    },
    Case {
        name: "rabbit --confirm",
        mode: "rabbit-simple",
        producer: "--confirm",
        consumer: "--prefetch 1000",
        perf_test: "--confirm 1024 --qos 1000",
    },
    Case {
        name: "rabbit --persistent --confirm",
        mode: "rabbit-simple",
        producer: "--persistent --confirm",
        consumer: "--prefetch 1000",
        perf_test: "--confirm 1024 --flag persistent --qos 1000",
    },
    // The worker consumer acks each task and has prefetch 1, as the chapter teaches.
    Case {
        name: "rabbit worker (ack, prefetch 1)",
        mode: "rabbit-worker",
        producer: "",
        consumer: "",
        perf_test: "--qos 1",
    },
];

struct Pair {
    producer: Output,
    consumer: Output,
    /// From the producer's start to the consumer's last message.
    consumed: f64,
}

/// The speed-ups of the "Going faster" chapter, for a producer run with `producer` flags.
fn tuned_producer(producer: &str) -> String {
    if producer.contains("--confirm") {
        format!("{producer} --pipeline --confirm-window 1024")
    } else {
        format!("{producer} --pipeline")
    }
}

fn pair(settings: &Settings, case: &Case, count: u64, tuned: bool) -> anyhow::Result<Pair> {
    let queue = unique("bench-q");
    let consumer_name = format!("{}-consumer", case.mode);
    let (producer_flags, consumer_flags) = if tuned {
        (
            tuned_producer(case.producer),
            format!("{} --ack-in-runs", case.consumer),
        )
    } else {
        (case.producer.to_owned(), case.consumer.to_owned())
    };
    let consumer = start(
        &consumer_name,
        &format!("--queue {queue} --max-messages {count} --quiet {consumer_flags}"),
    )?;
    consumer.wait_for(WAITING, 1, Duration::from_secs(30))?;
    let started = Instant::now();
    let producer = run_to_end(
        &format!("{}-producer", case.mode),
        &format!(
            "--queue {queue} --count {count} --interval 0 --size {SIZE} --quiet {producer_flags}"
        ),
    )?;
    let consumer = finish(&consumer_name, consumer, TIMEOUT)?;
    let consumed = started.elapsed().as_secs_f64();
    delete_queue(&settings.rabbit(), &queue);
    Ok(Pair {
        producer,
        consumer,
        consumed,
    })
}

/// Our simple producer and consumer next to the Go tutorial's code, each alone, as the
/// tutorial's programs run: publish `count` messages into a fresh queue, then consume them,
/// with manual acks (prefetch 1000, as ours in the bench) and with the tutorial's auto-ack.
/// Ours runs as taught and tuned (`--pipeline`, `--ack-in-runs`); issue 13's targets apply to
/// the tuned rows. Alone, each side's CPU is its own, not paced by the other.
fn vs_go(settings: &Settings, rows: &mut Rows, go: &Go, count: u64) -> anyhow::Result<()> {
    const TOOL: &str = "Go tutorial (streadway/amqp)";
    let name = "rabbit simple vs Go, each alone";
    step(&format!("{name} ({} runs each)", go::RUNS));
    // Our sides: (label, index into `ours`, index into Go's [publish, manual ack, auto-ack]).
    let sides = [
        ("publish, as taught", 0, 0),
        ("publish, tuned (--pipeline)", 1, 0),
        ("consume, manual ack, as taught", 2, 1),
        ("consume, manual ack, tuned (--ack-in-runs)", 3, 1),
        ("consume, auto-ack", 4, 2),
    ];
    // Each run: (publish flags, index, consume flags, index) on a fresh queue.
    let runs = [
        ("", 0, "--prefetch 1000", 2),
        ("--pipeline", 1, "--prefetch 1000 --ack-in-runs", 3),
        ("", 0, "--auto-ack", 4),
    ];
    let (mut ours, mut theirs) = (<[Vec<Sample>; 5]>::default(), <[Vec<Sample>; 3]>::default());
    let url = &settings.amqp_url;
    for _ in 0..go::RUNS {
        for (publish, p, consume, c) in runs {
            let queue = unique("bench-vs-go");
            let out = run_to_end(
                "rabbit-simple-producer",
                &format!(
                    "--queue {queue} --count {count} --interval 0 --size {SIZE} --quiet {publish}"
                ),
            )?;
            ours[p].push(Sample::of(count, &out));
            let out = run_to_end(
                "rabbit-simple-consumer",
                &format!("--queue {queue} --max-messages {count} --quiet {consume}"),
            )?;
            ours[c].push(Sample::of(count, &out));
            delete_queue(&settings.rabbit(), &queue);
        }
        let Go::Ready(path) = go else { continue };
        for (i, ack) in [(1, "-prefetch 1000"), (2, "-auto-ack")] {
            let queue = unique("bench-go-q");
            let out = Go::run(
                path,
                "rabbit-publish",
                &format!("-url {url} -queue {queue} -count {count} -size {SIZE}"),
            )?;
            theirs[0].push(Sample::of(count, &out));
            let out = Go::run(
                path,
                "rabbit-consume",
                &format!("-url {url} -queue {queue} -count {count} {ack}"),
            )?;
            theirs[i].push(Sample::of(count, &out));
            delete_queue(&settings.rabbit(), &queue);
        }
    }
    for (side, i, g) in sides {
        let go = match go {
            Go::Ready(_) => Ok(theirs[g].as_slice()),
            Go::Missing(why) => Err(why.as_str()),
        };
        rows.vs_go(name, side, &ours[i], go, TOOL);
    }
    Ok(())
}

pub(crate) fn bench(
    settings: &Settings,
    rows: &mut Rows,
    have_perf_test: bool,
    go: &Go,
) -> anyhow::Result<()> {
    for case in &CASES {
        // PerfTest once per case: the same reference for the as-taught and the tuned row.
        let mut reference = None;
        for tuned in [false, true] {
            // The worker's prefetch 1 leaves no run of acks to send as one.
            if tuned && case.mode == "rabbit-worker" {
                continue;
            }
            let name = format!(
                "{} ({})",
                case.name,
                if tuned { "tuned" } else { "as taught" }
            );
            step(&name);
            // The prefetch-1 worker consumes ten times slower than its producer publishes:
            // sizing on the faster side makes its consumer run for about a minute.
            let (count, run) = long_enough(settings, 20_000, 3_000_000, |count| {
                let run = pair(settings, case, count, tuned)?;
                let faster = run.producer.elapsed.as_secs_f64().min(run.consumed);
                Ok((run, faster))
            })?;
            if reference.is_none() && have_perf_test {
                reference = Some(perftest::rates(
                    settings,
                    1,
                    case.perf_test,
                    settings.seconds.max(5.0),
                )?);
            }
            let (sent, received) = reference.map_or((None, None), |(s, r)| (Some(s), Some(r)));
            let published = run.producer.elapsed.as_secs_f64();
            rows.push(
                &name,
                "publish",
                "ours",
                Measured::ours(count, published, &run.producer, sent),
            );
            rows.push(
                &name,
                "consume",
                "ours",
                Measured::ours(count, run.consumed, &run.consumer, received),
            );
            if let (Some(sent), Some(received), false) = (sent, received, tuned) {
                let s = settings.seconds;
                rows.push(
                    &name,
                    "publish",
                    "PerfTest",
                    Measured::tool((sent * s).round() as u64, s),
                );
                rows.push(
                    &name,
                    "consume",
                    "PerfTest",
                    Measured::tool((received * s).round() as u64, s),
                );
            }
            if case.name == "rabbit plain" && !tuned {
                // Memory: the same consumer over 10x fewer messages. Prefetch bounds what it
                // holds.
                let small = pair(settings, case, count / 10, false)?;
                rows.push(
                    &name,
                    "consume, count/10",
                    "ours",
                    Measured {
                        note: "peak RSS vs the full run: flat means bounded",
                        ..Measured::ours(
                            count / 10,
                            small.consumer.elapsed.as_secs_f64(),
                            &small.consumer,
                            None,
                        )
                    },
                );
                // Half the messages: each side runs six times.
                vs_go(settings, rows, go, (count / 2).max(100_000))?;
            }
        }
    }
    Ok(())
}

/// The publisher-confirms chapter: each strategy of `rabbit-confirms` alone (no consumer),
/// next to PerfTest with no consumer and the same number of confirms in flight: 1 for
/// individual, the batch size for batch, and its default window of 1024 for async.
pub(crate) fn bench_confirms(
    settings: &Settings,
    rows: &mut Rows,
    have_perf_test: bool,
) -> anyhow::Result<()> {
    const BATCH: u64 = 100;
    for (strategy, in_flight) in [("individual", 1), ("batch", BATCH), ("async", 1024)] {
        let case = format!("rabbit-confirms --strategy {strategy}");
        step(&case);
        let (count, seconds) = long_enough(settings, 5_000, 5_000_000, |count| {
            let out = run_to_end(
                "rabbit-confirms",
                &format!(
                    "--strategy {strategy} --batch-size {BATCH} --count {count} --size {SIZE} --quiet"
                ),
            )?;
            // The table's seconds: publishing and confirming, without connecting.
            let seconds = out
                .stdout
                .iter()
                .find_map(|line| {
                    let fields: Vec<&str> = line.split_whitespace().collect();
                    (fields.first() == Some(&strategy))
                        .then(|| fields.get(2)?.parse::<f64>().ok())?
                })
                .ok_or_else(|| {
                    anyhow::anyhow!(
                        "rabbit-confirms printed no row for {strategy}: {}",
                        tail(&out)
                    )
                })?;
            Ok(((seconds, out), seconds))
        })?;
        let (seconds, out) = seconds;
        let reference = if have_perf_test {
            // No consumer: the queue fills, and expires a minute after the run.
            let flags = format!("--confirm {in_flight} --queue-args x-expires=60000");
            Some(perftest::rates(settings, 0, &flags, settings.seconds.max(5.0))?.0)
        } else {
            None
        };
        rows.push(
            &case,
            "publish",
            "ours",
            Measured::ours(count, seconds, &out, reference),
        );
        if let Some(sent) = reference {
            let s = settings.seconds;
            rows.push(
                &case,
                "publish",
                "PerfTest",
                Measured::tool((sent * s).round() as u64, s),
            );
        }
    }
    Ok(())
}
