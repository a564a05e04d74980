//! # Exercise `kafka-rebalance`: hand partitions over cleanly (chapter: Consumer groups)
//!
//! A member of a group (rdkafka, like `kafka-group-consumer`) handles each message, then says
//! so. Offsets are not committed in the background here: the group learns what was handled
//! only when this member commits. Write the two missing pieces:
//! - in the poll loop, once a message is handled: **store** its offset (what may be committed);
//! - in [`Member::pre_rebalance`], when partitions are about to be **revoked**: commit what
//!   was stored, synchronously, so that their next owner starts right after the last message
//!   handled here: nothing lost, and little read twice (the checker allows a few: a message
//!   handled while its partition is being handed over can reach its next owner too).
//!
//! Run two of them: `cargo run -p ex-kafka-rebalance -- --topic T --group G` in two terminals,
//! and produce with `cargo run -p kafka-producer -- --topic T --count 300`.
//! Check it: `just check kafka-rebalance`.

use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use anyhow::Context as _;
use clap::Parser;
use mq_common::config::{KafkaArgs, parse_duration};
use rdkafka::client::ClientContext;
use rdkafka::config::{ClientConfig, RDKafkaLogLevel};
use rdkafka::consumer::{BaseConsumer, CommitMode, Consumer, ConsumerContext, Rebalance};
use rdkafka::error::{KafkaError, RDKafkaErrorCode};
use rdkafka::message::Message;

/// Exercise `kafka-rebalance`: a group member that commits on revoke.
#[derive(Parser, Debug)]
struct Args {
    #[arg(long)]
    topic: String,
    #[arg(long)]
    group: String,
    /// Pretend work per message, so that a rebalance comes in the middle.
    #[arg(long, default_value = "0s", value_parser = parse_duration)]
    work: Duration,
    #[command(flatten)]
    kafka: KafkaArgs,
}

fn main() -> ExitCode {
    let args: Args = mq_common::cli::init();
    // A panic (a `todo!()` still there) ends the program at once, with its message: unwinding
    // would close the consumer, and closing runs the rebalance callback, the other `todo!()`.
    let report = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        report(info);
        std::process::exit(101);
    }));
    let stop = Arc::new(AtomicBool::new(false));
    let set = Arc::clone(&stop);
    if let Err(err) = ctrlc::set_handler(move || set.store(true, Ordering::SeqCst)) {
        eprintln!("warning: cannot listen for Ctrl+C ({err})");
    }
    mq_common::cli::exit(run(&args, &stop))
}

fn run(args: &Args, stop: &AtomicBool) -> anyhow::Result<()> {
    let consumer: BaseConsumer<Member> = ClientConfig::new()
        .set("bootstrap.servers", args.kafka.kafka_brokers.join(","))
        .set("group.id", &args.group)
        .set("auto.offset.reset", "earliest")
        // Nothing is committed behind our back: only what this code commits.
        .set("enable.auto.commit", "false")
        .set("enable.auto.offset.store", "false")
        .set("session.timeout.ms", "6000")
        .create_with_context(Member)
        .context("creating the consumer")?;
    consumer.subscribe(&[&args.topic]).context("subscribing")?;
    while !stop.load(Ordering::SeqCst) {
        let Some(message) = consumer.poll(Duration::from_millis(100)) else {
            continue;
        };
        let message = message.context("receiving")?;
        std::thread::sleep(args.work);
        println!(
            "Partition:{} Offset:{} Value:{}",
            message.partition(),
            message.offset(),
            String::from_utf8_lossy(message.payload().unwrap_or_default())
        );
        // ANCHOR: task
        // EXERCISE: handled: store this message's offset (consumer.store_offset_from_message)
        consumer
            .store_offset_from_message(&message)
            .context("storing the offset")?;
        // END EXERCISE
        // ANCHOR_END: task
    }
    // Leaving: commit what was handled (the group's other members take the partitions over).
    commit(&consumer);
    Ok(())
}

/// Commits what was stored; "nothing to commit" is no error.
fn commit(consumer: &BaseConsumer<Member>) {
    match consumer.commit_consumer_state(CommitMode::Sync) {
        Ok(()) | Err(KafkaError::ConsumerCommit(RDKafkaErrorCode::NoOffset)) => {}
        Err(err) => eprintln!("warning: commit failed: {err}"),
    }
}

/// The member's context: the rebalance callbacks.
#[derive(Debug)]
struct Member;

impl ClientContext for Member {
    fn log(&self, _level: RDKafkaLogLevel, _facility: &str, _message: &str) {}
}

// ANCHOR: revoke
impl ConsumerContext for Member {
    /// Before partitions are taken away, and before new ones are given.
    fn pre_rebalance(&self, consumer: &BaseConsumer<Self>, rebalance: &Rebalance<'_>) {
        if let Rebalance::Revoke(_) = rebalance {
            println!(" [rebalance] revoking: committing what was handled");
            // EXERCISE: commit the stored offsets now, synchronously: commit(consumer)
            commit(consumer);
            // END EXERCISE
        }
    }

    fn post_rebalance(&self, _consumer: &BaseConsumer<Self>, rebalance: &Rebalance<'_>) {
        if let Rebalance::Assign(partitions) = rebalance {
            println!(" [rebalance] assigned {}", partitions.count());
        }
    }
}
// ANCHOR_END: revoke
