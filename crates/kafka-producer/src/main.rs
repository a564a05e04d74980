//! # kafka-producer: the tutorial's producer.go (chapter 2.4①), on rustfs-kafka
//!
//! Teaches: producing to a topic. Each message goes to one partition of the topic; the
//! partition's leader appends it and answers with the offset it got. Like the tutorial's
//! sarama producer, this one:
//! - waits for **all** in-sync replicas (`--acks all`, sarama's `WaitForAll`);
//! - picks a **random** partition for each message (sarama's `NewRandomPartitioner`);
//!   `--key` switches to hashing the key, so equal keys land on the same partition, and
//!   `--partition` names one outright;
//! - prints `pid:<partition> offset:<offset>` for each message;
//! - rides out a leader change: a send that fails because a partition's leader died or moved
//!   is sent again, after a pause and a fresh look at the cluster (`--retries`), as sarama's
//!   `Producer.Retry.Max` does. It prints how many sends it retried. A message sent again may
//!   be stored twice (the first send may have been written before its answer was lost):
//!   at least once, never lost.
//!
//! Run it (the consumer first, since it starts at the newest offset; or `just kafka`):
//! ```text
//! cargo run -p kafka-consumer
//! cargo run -p kafka-producer -- --count 5
//! ```
//!
//! Output:
//! ```text
//! pid:2 offset:0
//! pid:0 offset:0
//! pid:2 offset:1
//! ```

use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, bail};
use clap::Parser;
use mq_common::config::{KafkaArgs, parse_topic};
use mq_common::flags::{ProducerDefaults, ProducerFlags};
use mq_common::kafka::{DEFAULT_TOPIC, ensure_topic, parse_acks, random_partition};
use mq_common::limits::KafkaLimit;
use rustfs_kafka::client::{ProducerTimestamp, RequiredAcks, RetryPolicy};
use rustfs_kafka::error::KafkaCode;
use rustfs_kafka::producer::{Producer, Record};

/// Kafka producer: send messages to a topic and print the partition and offset of each.
#[derive(Parser, Debug)]
#[command(version)]
struct Args {
    /// The topic to produce to (created with the broker's default partition count if new).
    #[arg(long, default_value = DEFAULT_TOPIC, value_parser = parse_topic)]
    topic: String,
    #[command(flatten)]
    flags: ProducerFlags<KafkaDefaults>,
    /// Replicas that must have a message before the broker answers: 0, 1 or all.
    #[arg(long, default_value = "all", value_parser = parse_acks)]
    acks: RequiredAcks,
    /// Partition by a hash of this key instead of at random.
    #[arg(long, conflicts_with = "partition")]
    key: Option<String>,
    /// Send every message to this partition.
    #[arg(long)]
    partition: Option<i32>,
    /// Send this many messages per request (`send_all`) instead of one at a time; --interval
    /// then pauses between requests.
    #[arg(long, default_value_t = 1, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=100_000))]
    batch: u64,
    /// Send a refused request again up to this many times (a leader change takes seconds);
    /// 0 stops at the first refusal.
    #[arg(long, default_value_t = 20, value_name = "N")]
    retries: u32,
    #[command(flatten)]
    limit: KafkaLimit,
    #[command(flatten)]
    kafka: KafkaArgs,
}

/// The tutorial's producer.go sends one message, "this is a test log".
#[derive(Debug, Clone, Copy)]
struct KafkaDefaults;

impl ProducerDefaults for KafkaDefaults {
    const COUNT: u64 = 1;
    const INTERVAL: &'static str = "0";
    const MESSAGE: &'static str = "this is a test log";
}

fn main() -> ExitCode {
    let args: Args = mq_common::cli::init();
    mq_common::cli::exit(run(&args))
}

fn run(args: &Args) -> anyhow::Result<()> {
    let flags = &args.flags;
    // A --size over the broker's message.max.bytes would be refused (or, past 100 MB, cut off).
    args.limit.check(flags.size)?;
    // ANCHOR: connect
    let mut client = mq_common::kafka::connect(&args.kafka)?;
    let partitions = ensure_topic(&mut client, &args.topic, true)?;
    if let Some(p) = args.partition.filter(|p| !partitions.contains(p)) {
        bail!(
            "topic '{}' has no partition {p}; its partitions are {partitions:?}",
            args.topic
        );
    }
    // With --key, the producer's DefaultPartitioner hashes the key; otherwise each record
    // names its partition (random, or --partition).
    let mut producer = Producer::from_client(client)
        .with_required_acks(args.acks)
        .with_ack_timeout(Duration::from_secs(10))
        // Stamp each message with the time it is sent. rustfs-kafka's default is 0, 1970: the
        // broker's time-based retention (7 days) then deletes a log segment as soon as it is
        // no longer the newest one, and a broker restart rolls it. Seen here: 11,177 of
        // 20,000 acknowledged messages gone after one restart of Kafka 4.4.
        .with_timestamp(ProducerTimestamp::CreateTime)
        .create()
        .context("creating the producer")?;
    // ANCHOR_END: connect

    let key = args.key.as_deref().unwrap_or(""); // empty = no key
    let mut sent = Sent::default();
    let mut start = 0;
    // ANCHOR: send
    while start < flags.count {
        let end = (start + args.batch).min(flags.count);
        let bodies: Vec<Vec<u8>> = (start..end).map(|i| flags.body(i, key)).collect();
        // A message the broker refused for a passing reason is sent again (`send_batch`).
        let mut pending: Vec<&[u8]> = bodies.iter().map(Vec::as_slice).collect();
        let mut attempt = 0;
        while !pending.is_empty() {
            let records: Vec<_> = pending
                .iter()
                .map(|value| {
                    let record = Record::from_key_value(&args.topic, key.as_bytes(), *value);
                    match args.partition {
                        Some(p) => record.with_partition(p),
                        None if args.key.is_some() => record,
                        None => match random_partition(producer.client(), &args.topic) {
                            Some(p) => record.with_partition(p),
                            None => record, // no leader anywhere yet: the send will say so
                        },
                    }
                })
                .collect();
            pending = send_batch(&mut producer, &records, args, &mut sent)?;
            if !pending.is_empty() {
                attempt += 1;
                retry_pause(
                    &mut producer,
                    args.retries,
                    attempt,
                    pending.len(),
                    &mut sent,
                )?;
            }
        }
        start = end;
        if !flags.interval.is_zero() && start < flags.count {
            std::thread::sleep(flags.interval);
        }
    }
    // ANCHOR_END: send
    sent.report(args)
}

/// What this run sent: acknowledged messages, and sends that had to be made again.
#[derive(Debug, Default)]
struct Sent {
    acknowledged: u64,
    retried: u64,
    /// Why the last send was refused, for the retry's log line.
    reason: String,
}

impl Sent {
    fn report(&self, args: &Args) -> anyhow::Result<()> {
        let n = self.acknowledged;
        if matches!(args.acks, RequiredAcks::None) {
            println!(
                " [.] sent {n} message(s) with acks=0: the broker does not answer, so nothing is acknowledged"
            );
        } else if args.flags.quiet || args.batch > 1 || self.retried > 0 {
            println!(" [.] sent {n} message(s), all acknowledged");
        }
        if self.retried > 0 {
            println!(
                " [.] {} send(s) retried after a refusal (a message sent again may be stored twice)",
                self.retried
            );
        }
        Ok(())
    }
}

// ANCHOR: send_batch
/// Sends `records` in one request (`send_all`) and prints the offset of each acknowledged
/// partition's first message. Returns the bodies to send again: those of the partitions that
/// refused them for a reason that passes (a leader that died or moved), or all of them when
/// the request itself failed that way. Any other refusal is an error.
fn send_batch<'a>(
    producer: &mut Producer,
    records: &[Record<'_, &[u8], &'a [u8]>],
    args: &Args,
    sent: &mut Sent,
) -> anyhow::Result<Vec<&'a [u8]>> {
    let all_again = || records.iter().map(|r| r.value).collect();
    let confirms = match producer.send_all(records) {
        Ok(confirms) => confirms,
        Err(err) if args.retries > 0 && passes(&err) => {
            sent.reason = err.to_string();
            return Ok(all_again());
        }
        Err(err) => {
            return Err(err).with_context(|| {
                format!(
                    "sending {} message(s): none of them is acknowledged (acknowledged so far: {})",
                    records.len(),
                    sent.acknowledged
                )
            });
        }
    };
    let mut refused = Vec::new();
    for confirm in confirms {
        for partition in confirm.partition_confirms {
            match partition.offset {
                Ok(offset) => {
                    if !args.flags.quiet {
                        println!("pid:{} offset:{offset}", partition.partition);
                    }
                }
                Err(code) if args.retries > 0 && code_passes(code) => {
                    sent.reason = format!("partition {}: {code:?}", partition.partition);
                    refused.push(partition.partition);
                }
                Err(code) => bail!(
                    "partition {} refused {} message(s): {code:?}{} (acknowledged so far: {})",
                    partition.partition,
                    records.len(),
                    if code == KafkaCode::MessageSizeTooLarge {
                        " (the batch, bodies and record headers, is over the broker's \
                         message.max.bytes: send smaller bodies, or fewer per --batch)"
                    } else {
                        ""
                    },
                    sent.acknowledged
                ),
            }
        }
    }
    // With --key every record of the batch goes to the one partition its key hashes to.
    let again: Vec<&[u8]> = if refused.is_empty() {
        Vec::new()
    } else if args.key.is_some() {
        all_again()
    } else {
        records
            .iter()
            .filter(|r| refused.contains(&r.partition))
            .map(|r| r.value)
            .collect()
    };
    sent.acknowledged += (records.len() - again.len()) as u64;
    Ok(again)
}
// ANCHOR_END: send_batch

/// Waits before sending `pending` messages again (100 ms, doubling up to 2 s), then reloads
/// the cluster's metadata, so that the next send goes to each partition's new leader.
fn retry_pause(
    producer: &mut Producer,
    retries: u32,
    attempt: u32,
    pending: usize,
    sent: &mut Sent,
) -> anyhow::Result<()> {
    let policy = RetryPolicy::Exponential {
        initial: Duration::from_millis(100),
        max: Duration::from_secs(2),
        multiplier: 2.0,
        max_attempts: retries,
    };
    let Some(delay) = policy.next_delay(attempt - 1) else {
        bail!(
            "{pending} message(s) still refused after {retries} retries ({}); is the cluster healthy? (just status)",
            sent.reason
        );
    };
    sent.retried += pending as u64;
    log::warn!(
        "{}: sending {pending} message(s) again in {delay:?} (retry {attempt} of {retries})",
        sent.reason
    );
    std::thread::sleep(delay);
    if let Err(err) = producer.client_mut().load_metadata_all() {
        log::warn!("reloading the cluster's metadata: {err}");
    }
    Ok(())
}

/// Does this failed send only say that a partition's leader died or moved, or that too few
/// replicas are in sync for the moment? Then sending again is the fix.
fn passes(err: &rustfs_kafka::Error) -> bool {
    match err {
        rustfs_kafka::Error::Kafka(code)
        | rustfs_kafka::Error::TopicPartitionError {
            error_code: code, ..
        } => code_passes(*code),
        rustfs_kafka::Error::BrokerRequestError { source, .. } => passes(source),
        err => err.is_retriable(),
    }
}

fn code_passes(code: KafkaCode) -> bool {
    code.is_retriable()
        || matches!(
            code,
            KafkaCode::NotEnoughReplicas
                | KafkaCode::NotEnoughReplicasAfterAppend
                | KafkaCode::UnknownTopicOrPartition
        )
}
