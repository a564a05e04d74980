//! # kafka-producer: the tutorial's producer.go (chapter 2.4①), on the `kafka` crate
//!
//! Teaches: producing to a topic. Each message goes to one partition of the topic; the
//! partition's leader appends it and answers with the offset it got. Like the tutorial's
//! sarama producer, this one:
//! - waits for **all** in-sync replicas (`--acks all`, sarama's `WaitForAll`);
//! - picks a **random** partition for each message (sarama's `NewRandomPartitioner`);
//!   `--key` switches to hashing the key, so equal keys land on the same partition, and
//!   `--partition` names one outright;
//! - prints `pid:<partition> offset:<offset>` for each message.
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
use kafka::client::RequiredAcks;
use kafka::producer::{DefaultPartitioner, Producer, Record};
use mq_common::config::{KafkaArgs, parse_topic};
use mq_common::flags::{ProducerDefaults, ProducerFlags};
use mq_common::kafka::{DEFAULT_TOPIC, TutorialPartitioner, ensure_topic, parse_acks};

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
    // ANCHOR: connect
    let mut client = mq_common::kafka::connect(&args.kafka)?;
    let partitions = ensure_topic(&mut client, &args.topic, true)?;
    if let Some(p) = args.partition.filter(|p| !partitions.contains(p)) {
        bail!(
            "topic '{}' has no partition {p}; its partitions are {partitions:?}",
            args.topic
        );
    }
    let partitioner = match args.key {
        Some(_) => TutorialPartitioner::KeyHash(DefaultPartitioner::default()),
        None => TutorialPartitioner::Random,
    };
    let mut producer = Producer::from_client(client)
        .with_required_acks(args.acks)
        .with_ack_timeout(Duration::from_secs(10))
        .with_partitioner(partitioner)
        .create()
        .context("creating the producer")?;
    // ANCHOR_END: connect

    let key = args.key.as_deref().unwrap_or(""); // empty = no key
    let mut acknowledged = 0u64;
    let mut start = 0;
    // ANCHOR: send
    while start < flags.count {
        let end = (start + args.batch).min(flags.count);
        let bodies: Vec<Vec<u8>> = (start..end).map(|i| flags.body(i, key)).collect();
        let records: Vec<_> = bodies
            .iter()
            .map(|value| {
                let record = Record::from_key_value(&args.topic, key.as_bytes(), value.as_slice());
                match args.partition {
                    Some(p) => record.with_partition(p),
                    None => record,
                }
            })
            .collect();
        // One request per batch; the answer has one entry per partition the batch touched,
        // with the offset of that partition's first message in the batch.
        let confirms = producer.send_all(&records).with_context(|| {
            format!("sending messages {start}..{end}: none of them is acknowledged (sent so far: {acknowledged})")
        })?;
        for confirm in confirms {
            for partition in confirm.partition_confirms {
                match partition.offset {
                    Ok(offset) if !flags.quiet => {
                        println!("pid:{} offset:{offset}", partition.partition)
                    }
                    Ok(_) => {}
                    Err(code) => bail!(
                        "partition {} refused messages {start}..{end}: {code:?} (acknowledged so far: {acknowledged})",
                        partition.partition
                    ),
                }
            }
        }
        acknowledged += end - start;
        start = end;
        if !flags.interval.is_zero() && start < flags.count {
            std::thread::sleep(flags.interval);
        }
    }
    // ANCHOR_END: send
    if matches!(args.acks, RequiredAcks::None) {
        println!(
            " [.] sent {acknowledged} message(s) with acks=0: the broker does not answer, so nothing is acknowledged"
        );
    } else if flags.quiet || args.batch > 1 {
        println!(" [.] sent {acknowledged} message(s), all acknowledged");
    }
    Ok(())
}
