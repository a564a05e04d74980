//! # kafka-consumer: the tutorial's consumer.go (chapter 2.4②), fixed, plus consumer groups, on rustfs-kafka
//!
//! Teaches: consuming a topic partition by partition, where to start, and how groups share
//! partitions. Fixed from the tutorial:
//! - it consumes the topic's partition **ids**; the tutorial's `for partition := range
//!   partitionList` takes the slice *index* as the partition id;
//! - `--from-beginning` reads what was produced before it started; the tutorial only reads
//!   from the newest offset, so it never sees earlier messages;
//! - with `--group NAME`, offsets are committed to Kafka, so a restarted consumer resumes
//!   where its group left off;
//! - it stops cleanly on Ctrl+C, `--max-messages` or `--idle-timeout`.
//!
//! **Groups** ("no competition between groups, competition inside a group", chapter 2.2②):
//! two consumers in *different* groups each receive every message; inside one group, each
//! partition belongs to one member. `--member I/N` says which: partitions p with
//! p % N == I-1. The split is static because kafka-rust's line has no group membership
//! protocol (JoinGroup/SyncGroup/Heartbeat); sarama's `ConsumerGroup` joins the group and the
//! broker's group coordinator rebalances partitions as members come and go.
//!
//! Run it (or `just kafka`, `just kafka-p2p`, `just kafka-pubsub`):
//! ```text
//! cargo run -p kafka-consumer -- --from-beginning
//! cargo run -p kafka-consumer -- --group g1 --member 1/2   # and 2/2 in another terminal
//! ```
//!
//! Output:
//! ```text
//! [0, 1, 2]
//! Partition:2 Offset:0 Key: Value:this is a test log
//! ```

use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use clap::Parser;
use mq_common::config::{KafkaArgs, parse_topic};
use mq_common::flags::ConsumerFlags;
use mq_common::kafka::{DEFAULT_TOPIC, Member, topic_partitions, until_topic_ready};
use mq_common::lines::KAFKA_MESSAGE;
use mq_common::output::preview;
use rustfs_kafka::client::{FetchOffset, GroupOffsetStorage};
use rustfs_kafka::consumer::Consumer;

/// Kafka consumer: print every message of a topic's partitions.
#[derive(Parser, Debug)]
#[command(version)]
struct Args {
    /// The topic to consume (it must exist: run the producer first, or `just kafka-topic`).
    #[arg(long, default_value = DEFAULT_TOPIC, value_parser = parse_topic)]
    topic: String,
    /// Start at the oldest message instead of the newest (when the group has no committed offset).
    #[arg(long)]
    from_beginning: bool,
    /// Consumer group: commit offsets to Kafka and resume from them on restart.
    #[arg(long)]
    group: Option<String>,
    /// Member I of N in the group: take the partitions p with p % N == I-1.
    #[arg(long, requires = "group", value_name = "I/N")]
    member: Option<Member>,
    /// Most bytes fetched per partition per request. The broker fills a fetch with whole
    /// batches and cuts the last one at this size; the next fetch starts at the cut batch.
    #[arg(long, default_value_t = 1 << 20, value_name = "BYTES", value_parser = clap::value_parser!(i32).range(1024..))]
    fetch_max_bytes: i32,
    #[command(flatten)]
    flags: ConsumerFlags,
    #[command(flatten)]
    kafka: KafkaArgs,
}

fn main() -> ExitCode {
    let args: Args = mq_common::cli::init();
    // The `kafka` crate blocks: the poll loop checks a flag that Ctrl+C (or SIGTERM) sets, and
    // stops after the current batch, committing what it consumed.
    let stop = Arc::new(AtomicBool::new(false));
    let set = Arc::clone(&stop);
    if let Err(err) = ctrlc::set_handler(move || set.store(true, Ordering::SeqCst)) {
        log::warn!("cannot listen for Ctrl+C ({err}); it will stop the consumer without a commit");
    }
    mq_common::cli::exit(run(&args, &stop))
}

/// Connects, picks this consumer's partitions and creates the consumer.
fn open(args: &Args) -> anyhow::Result<(Consumer, Vec<i32>)> {
    // ANCHOR: assign
    let mut client = mq_common::kafka::connect(&args.kafka)?;
    // One attempt: `run` retries all of `open` while the topic is not ready.
    let all = topic_partitions(&mut client, &args.topic, false)?;
    let mine = match args.member {
        Some(member) => member.partitions(&all),
        None => all.clone(),
    };
    if mine.is_empty() {
        bail!(
            "member {}/{} gets no partition: topic '{}' has only {}",
            args.member.map_or(0, |m| m.index),
            args.member.map_or(0, |m| m.of),
            args.topic,
            all.len()
        );
    }
    // ANCHOR_END: assign

    // ANCHOR: consumer
    let mut builder = Consumer::from_client(client)
        .with_topic_partitions(args.topic.clone(), &mine)
        // Where to start when the group has no committed offset for a partition.
        .with_fallback_offset(if args.from_beginning {
            FetchOffset::Earliest
        } else {
            FetchOffset::Latest
        })
        .with_fetch_max_bytes_per_partition(args.fetch_max_bytes)
        // Answer a fetch as soon as one byte is there, or after 100 ms: the Java client's and
        // librdkafka's default. kafka-rust's 4096 made the broker hold each fetch until 4 KiB
        // had piled up or the wait ran out, which cost a lone message up to 100 ms.
        .with_fetch_min_bytes(1)
        .with_fetch_max_wait_time(Duration::from_millis(100));
    builder = match &args.group {
        Some(group) => builder
            .with_group(group.clone())
            .with_offset_storage(Some(GroupOffsetStorage::Kafka)),
        None => builder.with_offset_storage(None),
    };
    let consumer = builder.create().context("creating the consumer")?;
    // ANCHOR_END: consumer
    Ok((consumer, mine))
}

fn run(args: &Args, stop: &AtomicBool) -> anyhow::Result<()> {
    // A topic created a moment ago may still be electing its leaders: creating the consumer
    // (which asks each leader for its offsets) then fails, and is simply tried again.
    let (mut consumer, mine) = until_topic_ready(&args.topic, || open(args))?;
    // The partitions this consumer reads, as the tutorial prints them. From here on, the start
    // offsets are fixed: anything produced now will be received.
    println!("{mine:?}");

    // ANCHOR: poll
    let mut received = 0u64;
    let mut last_message = Instant::now();
    let mut enough = false;
    while !enough && !stop.load(Ordering::SeqCst) {
        // Waits at most the fetch wait time (100 ms) when there is nothing new.
        let sets = consumer.poll().context("fetching messages")?;
        if sets.is_empty() {
            if let Some(idle) = args.flags.idle_timeout
                && last_message.elapsed() >= idle
            {
                log::info!("no message for {idle:?}, exiting");
                break;
            }
            continue;
        }
        last_message = Instant::now();
        'batch: for set in sets.iter() {
            for message in set.messages() {
                if !args.flags.quiet {
                    println!(
                        "{KAFKA_MESSAGE}{} Offset:{} Key:{} Value:{}",
                        set.partition(),
                        message.offset,
                        preview(&message.key),
                        preview(&message.value)
                    );
                }
                // Marks the message consumed; with a group, the commit below stores the offset.
                consumer.consume_message(set.topic(), set.partition(), message.offset)?;
                received += 1;
                enough = args.flags.enough(received);
                if enough {
                    break 'batch;
                }
            }
        }
        // Once per batch, after its messages are handled: a consumer that dies before this
        // line reads this batch again from the last commit.
        if args.group.is_some() {
            consumer
                .commit_consumed()
                .context("committing the group's offsets")?;
        }
    }
    // ANCHOR_END: poll
    log::info!("received {received} message(s)");
    Ok(())
}
