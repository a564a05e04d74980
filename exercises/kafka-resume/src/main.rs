//! # Exercise `kafka-resume`: commit after handling (chapter: Consumer groups)
//!
//! A consumer in a group stores in Kafka how far it got (its committed offsets), so that a
//! restarted consumer resumes there. Commit **after** a message is handled: commit too early
//! and a crash loses the message; never commit and a restart does everything again.
//!
//! Run it: `cargo run -p kafka-producer -- --topic <you>-orders --count 20`, then
//! `cargo run -p ex-kafka-resume -- --max-messages 5` twice. Check it: `just check kafka-resume`.

// A starter: until you write the missing lines, some imports and parameters are unused.
#![allow(
    unused_imports,
    unused_variables,
    unused_assignments,
    unreachable_code,
    dead_code
)]

use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use anyhow::Context;
use clap::Parser;
use mq_common::config::{KafkaArgs, parse_duration, parse_topic};
use mq_common::kafka::ensure_topic;
use mq_common::output::preview;
use mq_common::student::prefixed;
use rustfs_kafka::client::{FetchOffset, GroupOffsetStorage};
use rustfs_kafka::consumer::Consumer;

/// Exercise `kafka-resume`: handle a topic's messages in a group, resuming where it left off.
#[derive(Parser, Debug)]
struct Args {
    /// The topic (your student name comes first).
    #[arg(long, default_value_t = prefixed("orders"), value_parser = parse_topic)]
    topic: String,
    /// The consumer group (your student name comes first).
    #[arg(long, default_value_t = prefixed("billing"))]
    group: String,
    /// How long handling one message takes.
    #[arg(long, default_value = "0", value_parser = parse_duration)]
    work: Duration,
    #[arg(long)]
    max_messages: Option<u64>,
    #[arg(long, default_value = "3s", value_parser = parse_duration)]
    idle_timeout: Duration,
    #[command(flatten)]
    kafka: KafkaArgs,
}

fn main() -> ExitCode {
    let args: Args = mq_common::cli::init();
    let stop = Arc::new(AtomicBool::new(false));
    let set = Arc::clone(&stop);
    if let Err(err) = ctrlc::set_handler(move || set.store(true, Ordering::SeqCst)) {
        log::warn!("cannot listen for Ctrl+C: {err}");
    }
    mq_common::cli::exit(run(&args, &stop))
}

// ANCHOR: task
fn run(args: &Args, stop: &AtomicBool) -> anyhow::Result<()> {
    let mut client = mq_common::kafka::connect(&args.kafka)?;
    let partitions = ensure_topic(&mut client, &args.topic, false)?;
    let mut consumer = Consumer::from_client(client)
        .with_topic_partitions(args.topic.clone(), &partitions)
        .with_group(args.group.clone())
        .with_offset_storage(Some(GroupOffsetStorage::Kafka))
        // Where a partition starts when the group has committed nothing for it yet.
        .with_fallback_offset(FetchOffset::Earliest)
        .create()
        .context("creating the consumer")?;
    println!("{partitions:?}");
    let mut handled = 0u64;
    let mut last = Instant::now();
    while !stop.load(Ordering::SeqCst)
        && args.max_messages.is_none_or(|max| handled < max)
        && last.elapsed() < args.idle_timeout
    {
        let sets = consumer.poll().context("fetching messages")?;
        for set in sets.iter() {
            for message in set.messages() {
                if args.max_messages.is_some_and(|max| handled >= max) {
                    break;
                }
                std::thread::sleep(args.work); // handling the message
                println!(
                    "Handled partition {} offset {}: {}",
                    set.partition(),
                    message.offset,
                    preview(&message.value)
                );
                handled += 1;
                last = Instant::now();
                // The message is handled: record that, so a restart does not do it again.
                todo!(
                    "consumer.consume_message(topic, partition, offset), then consumer.commit_consumed()"
                )
            }
        }
    }
    Ok(())
}
// ANCHOR_END: task
