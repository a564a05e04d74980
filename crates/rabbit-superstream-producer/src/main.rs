//! # rabbit-superstream-producer: RabbitMQ super streams, the writing side
//!
//! Teaches: a **super stream** is RabbitMQ's partitioned stream, its counterpart of a Kafka
//! topic with partitions. It is a set of ordinary streams (`hello-superstream-0`, `-1`, `-2`)
//! behind a direct exchange of the same name. The producer gives each message a **key** (here
//! an application property, `key`) and the client routes it by a hash of that key (murmur3,
//! as every RabbitMQ stream client does): the same key always goes to the same partition, so
//! one user's messages keep their order, as with a Kafka message key.
//!
//! Confirms come back asynchronously: each send registers a callback, and the producer waits
//! for every one before it says how many were confirmed.
//!
//! Run it (or `just rabbit-superstream`):
//! ```text
//! cargo run -p rabbit-superstream-consumer
//! cargo run -p rabbit-superstream-producer -- --count 24 --keys 8
//! ```
//!
//! Output:
//! ```text
//!  [x] Sent 'hello superstream 0 for user-0' (key user-0)
//!  ...
//!  [.] 24 of 24 confirmed
//! ```

use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, bail};
use clap::Parser;
use mq_common::config::{RabbitArgs, parse_amqp_name, parse_duration};
use mq_common::flags::{ProducerDefaults, ProducerFlags};
use mq_common::lines::SENT;
use mq_common::output::preview;
use mq_common::rabbit::names;
use mq_common::stream::StreamArgs;
use rabbitmq_stream_client::Environment;
use rabbitmq_stream_client::types::{HashRoutingMurmurStrategy, Message, RoutingStrategy};
use tokio::sync::mpsc;

/// RabbitMQ super streams: publish --count messages, each with a key, routed to a partition by
/// the key's hash.
#[derive(Parser, Debug)]
#[command(version)]
struct Args {
    /// The super stream to publish to (declared if missing).
    #[arg(long, default_value = names::SUPER_STREAM, value_parser = parse_amqp_name)]
    super_stream: String,
    /// How many partitions, when the super stream is declared.
    #[arg(long, default_value_t = 3, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=100))]
    partitions: u16,
    /// How many different keys: message i has key user-(i mod N).
    #[arg(long, default_value_t = 8, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    keys: u64,
    /// Retention, when the super stream is declared: messages older than this go.
    #[arg(long, default_value = "1d", value_parser = parse_duration)]
    max_age: Duration,
    #[command(flatten)]
    flags: ProducerFlags<SuperStreamDefaults>,
    #[command(flatten)]
    stream_args: StreamArgs,
    #[command(flatten)]
    rabbit: RabbitArgs,
}

/// 24 messages of 8 users (each of the 3 partitions gets some: user-6 and user-7 hash to
/// partition 0), at once.
#[derive(Debug, Clone, Copy)]
struct SuperStreamDefaults;

impl ProducerDefaults for SuperStreamDefaults {
    const COUNT: u64 = 24;
    const INTERVAL: &'static str = "0";
    const MESSAGE: &'static str = "hello superstream {i} for {key}";
}

/// How long to wait for the last confirms once everything is sent.
const CONFIRM_WAIT: Duration = Duration::from_secs(30);

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let args: Args = mq_common::cli::init();
    mq_common::cli::exit(run(args).await)
}

async fn run(args: Args) -> anyhow::Result<()> {
    let environment = mq_common::stream::connect(&args.rabbit, &args.stream_args).await?;
    mq_common::stream::declare_super(
        &environment,
        &args.super_stream,
        usize::from(args.partitions),
        args.max_age,
    )
    .await?;
    let confirmed = publish(&environment, &args).await?;
    println!(" [.] {confirmed} of {} confirmed", args.flags.count);
    if confirmed < args.flags.count {
        bail!(
            "{} message(s) were not confirmed",
            args.flags.count - confirmed
        );
    }
    Ok(())
}

// ANCHOR: route
/// The routing key of a message: its `key` application property. The client hashes it
/// (murmur3) and takes the partition `hash mod partitions`.
fn key_of(message: &Message) -> String {
    message
        .application_properties()
        .and_then(|properties| properties.get("key"))
        .and_then(|key| String::try_from(key.clone()).ok())
        .unwrap_or_default()
}
// ANCHOR_END: route

// ANCHOR: publish
/// Sends --count messages, message i with key user-(i mod --keys), then waits for their
/// confirms. Returns how many were confirmed.
async fn publish(environment: &Environment, args: &Args) -> anyhow::Result<u64> {
    let flags = &args.flags;
    let mut producer = environment
        .super_stream_producer(RoutingStrategy::HashRoutingStrategy(
            HashRoutingMurmurStrategy {
                routing_extractor: &key_of,
            },
        ))
        .build(&args.super_stream)
        .await
        .with_context(|| format!("a producer on super stream '{}'", args.super_stream))?;
    // Each confirm (or failure) comes back through this channel.
    let (confirms, mut confirmed_rx) = mpsc::unbounded_channel();
    for i in 0..flags.count {
        let key = format!("user-{}", i % args.keys);
        let body = flags.body(i, &key);
        let message = Message::builder()
            .body(body.clone())
            .application_properties()
            .insert("key", key.as_str())
            .message_builder()
            .build();
        let confirms = confirms.clone();
        producer
            .send(message, move |status| {
                let confirms = confirms.clone();
                async move {
                    let _ = confirms.send(status.is_ok_and(|s| s.confirmed()));
                }
            })
            .await
            .with_context(|| format!("sending message {i} to '{}'", args.super_stream))?;
        if !flags.quiet {
            println!("{SENT} '{}' (key {key})", preview(&body));
        }
        flags.pause_after(i).await;
    }
    let mut confirmed = 0;
    for _ in 0..flags.count {
        match tokio::time::timeout(CONFIRM_WAIT, confirmed_rx.recv()).await {
            Ok(Some(ok)) => confirmed += u64::from(ok),
            Ok(None) | Err(_) => break,
        }
    }
    producer.close().await.context("closing the producer")?;
    Ok(confirmed)
}
// ANCHOR_END: publish
