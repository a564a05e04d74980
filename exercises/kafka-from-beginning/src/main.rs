//! # Exercise `kafka-from-beginning`: read a whole topic (chapter: Kafka consumer)
//!
//! The tutorial's consumer reads only what is produced after it starts, and takes the index of
//! each partition in its list for the partition's id. Build a consumer that reads **every
//! partition** of the topic, by id, starting at each partition's **oldest** message.
//!
//! Run it: `cargo run -p kafka-producer -- --topic <you>-web_log --count 10`, then
//! `cargo run -p ex-kafka-from-beginning`. Check it: `just check kafka-from-beginning`.

// A starter: until you write the missing lines, some imports and parameters are unused.
#![allow(
    unused_imports,
    unused_variables,
    unused_assignments,
    unreachable_code,
    dead_code
)]

use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::Context;
use clap::Parser;
use mq_common::config::{KafkaArgs, parse_duration, parse_topic};
use mq_common::kafka::ensure_topic;
use mq_common::output::preview;
use mq_common::student::prefixed;
use rustfs_kafka::client::{FetchOffset, KafkaClient};
use rustfs_kafka::consumer::Consumer;

/// Exercise `kafka-from-beginning`: print every message of a topic, oldest first.
#[derive(Parser, Debug)]
struct Args {
    /// The topic (your student name comes first).
    #[arg(long, default_value_t = prefixed("web_log"), value_parser = parse_topic)]
    topic: String,
    #[arg(long)]
    max_messages: Option<u64>,
    #[arg(long, default_value = "3s", value_parser = parse_duration)]
    idle_timeout: Duration,
    #[command(flatten)]
    kafka: KafkaArgs,
}

fn main() -> ExitCode {
    let args: Args = mq_common::cli::init();
    mq_common::cli::exit(run(&args))
}

fn run(args: &Args) -> anyhow::Result<()> {
    let mut client = mq_common::kafka::connect(&args.kafka)?;
    // The partition ids, once every partition has a leader.
    let partitions = ensure_topic(&mut client, &args.topic, false)?;
    let mut consumer = consumer(client, &args.topic, &partitions)?;
    println!("{partitions:?}");
    let mut received = 0u64;
    let mut last = Instant::now();
    while args.max_messages.is_none_or(|max| received < max) && last.elapsed() < args.idle_timeout {
        let sets = consumer.poll().context("fetching messages")?;
        for set in sets.iter() {
            for message in set.messages() {
                println!(
                    "Partition:{} Offset:{} Value:{}",
                    set.partition(),
                    message.offset,
                    preview(&message.value)
                );
                received += 1;
                last = Instant::now();
            }
        }
    }
    Ok(())
}

// ANCHOR: task
/// A consumer of `partitions` (ids) of `topic`, each read from its oldest message. No group:
/// nothing is committed.
fn consumer(client: KafkaClient, topic: &str, partitions: &[i32]) -> anyhow::Result<Consumer> {
    todo!("Consumer::from_client(client).with_topic_partitions(…).with_fallback_offset(…)…create()")
}
// ANCHOR_END: task
