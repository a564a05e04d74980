//! # rabbit-stream-producer: RabbitMQ Streams, the writing side (official stream tutorials 1 and 2)
//!
//! Teaches: a stream is RabbitMQ's log. Like a Kafka topic, and unlike a queue, it keeps what it
//! receives whatever its consumers do: reading takes nothing away. The producer:
//! - declares the stream with a **retention**: messages older than `--max-age` go, segment by
//!   segment (a stream deletes whole segments, never the one it writes to, so the segments are
//!   kept small here: with the default 500 MB one, a tutorial's stream would never lose a
//!   message);
//! - publishes **with confirms**: each send waits until the broker has the message;
//! - with `--name`, is a **named producer**, and each message carries a **publishing id**
//!   (`--first-id`, then one more per message): the broker remembers the last id it stored for
//!   that name and drops a message whose id is not above it. A producer killed and started
//!   again with the same name and ids sends nothing twice (deduplication).
//!
//! Streams speak their own protocol (port 5553 here, RabbitMQ 4's; the stream client needs
//! RabbitMQ 3.13 or newer). Run it (or `just rabbit-stream`):
//! ```text
//! cargo run -p rabbit-stream-consumer
//! cargo run -p rabbit-stream-producer -- --count 10
//! ```
//!
//! Output:
//! ```text
//!  [x] Sent 'hello stream 0'
//!  ...
//!  [.] 10 of 10 confirmed
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
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use rabbitmq_stream_client::types::Message;
use rabbitmq_stream_client::{Environment, NoDedup, Producer};
use tokio::sync::Semaphore;

/// RabbitMQ Streams: publish --count messages to a stream, with confirms.
#[derive(Parser, Debug)]
#[command(version)]
struct Args {
    /// The stream to publish to (declared if missing).
    #[arg(long, default_value = names::STREAM, value_parser = parse_amqp_name)]
    stream: String,
    /// Name this producer: the broker then drops a message whose publishing id is not above
    /// the last one it stored for that name (deduplication).
    #[arg(long, value_name = "NAME", value_parser = parse_amqp_name)]
    name: Option<String>,
    /// With --name, the first message's publishing id; each next message has one more.
    #[arg(long, default_value_t = 0, value_name = "ID", requires = "name")]
    first_id: u64,
    /// Keep up to N messages on their way, unconfirmed, instead of waiting for each confirm
    /// (the "Going faster" chapter).
    #[arg(long, value_name = "N", conflicts_with = "name", help_heading = "Going faster",
          value_parser = clap::value_parser!(u16).range(1..))]
    confirm_window: Option<u16>,
    /// Retention, when the stream is declared: messages older than this go.
    #[arg(long, default_value = "1d", value_parser = parse_duration)]
    max_age: Duration,
    #[command(flatten)]
    flags: ProducerFlags<StreamDefaults>,
    #[command(flatten)]
    stream_args: StreamArgs,
    #[command(flatten)]
    rabbit: RabbitArgs,
}

/// The official tutorial's producer sends one "Hello, World!"; here ten numbered ones, at once.
#[derive(Debug, Clone, Copy)]
struct StreamDefaults;

impl ProducerDefaults for StreamDefaults {
    const COUNT: u64 = 10;
    const INTERVAL: &'static str = "0";
    const MESSAGE: &'static str = "hello stream {i}";
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let args: Args = mq_common::cli::init();
    mq_common::cli::exit(run(args).await)
}

async fn run(args: Args) -> anyhow::Result<()> {
    let environment = mq_common::stream::connect(&args.rabbit, &args.stream_args).await?;
    mq_common::stream::declare(&environment, &args.stream, args.max_age).await?;
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

// ANCHOR: publish
/// Publishes --count messages, each confirmed before the next; with --name, each with its
/// publishing id. Returns how many were confirmed.
async fn publish(environment: &Environment, args: &Args) -> anyhow::Result<u64> {
    let flags = &args.flags;
    let mut confirmed = 0;
    match &args.name {
        Some(name) => {
            // A named producer: the broker keeps the last publishing id stored for the name.
            let mut producer = environment
                .producer()
                .name(name)
                .build(&args.stream)
                .await
                .with_context(|| format!("a producer named '{name}' on '{}'", args.stream))?;
            for i in 0..flags.count {
                let body = flags.body(i, "");
                let id = args.first_id + i;
                let message = Message::builder()
                    .body(body.clone())
                    .publishing_id(id)
                    .build();
                let status = producer.send_with_confirm(message).await?;
                confirmed += u64::from(status.confirmed());
                if !flags.quiet {
                    println!("{SENT} '{}' (publishing id {id})", preview(&body));
                }
                flags.pause_after(i).await;
            }
            producer.close().await?;
        }
        None if args.confirm_window.is_some_and(|n| n > 1) => {
            let producer = environment.producer().build(&args.stream).await?;
            let window = args.confirm_window.unwrap_or(1);
            confirmed = publish_windowed(&producer, flags, window).await?;
            producer.close().await?;
        }
        None => {
            let producer = environment.producer().build(&args.stream).await?;
            for i in 0..flags.count {
                let body = flags.body(i, "");
                let message = Message::builder().body(body.clone()).build();
                let status = producer.send_with_confirm(message).await?;
                confirmed += u64::from(status.confirmed());
                if !flags.quiet {
                    println!("{SENT} '{}'", preview(&body));
                }
                flags.pause_after(i).await;
            }
            producer.close().await?;
        }
    }
    Ok(confirmed)
}
// ANCHOR_END: publish

// ANCHOR: window
/// Going faster: up to `window` messages on their way at once. A send returns as soon as the
/// message is queued to go; its confirm comes back to a callback, which frees a place in the
/// window. The client sends what is queued in batches: fewer, larger writes.
async fn publish_windowed(
    producer: &Producer<NoDedup>,
    flags: &ProducerFlags<StreamDefaults>,
    window: u16,
) -> anyhow::Result<u64> {
    let places = Arc::new(Semaphore::new(usize::from(window)));
    let confirmed = Arc::new(AtomicU64::new(0));
    for i in 0..flags.count {
        let place = Arc::clone(&places).acquire_owned().await?;
        let counted = Arc::clone(&confirmed);
        let body = flags.body(i, "");
        let message = Message::builder().body(body.clone()).build();
        producer
            .send(message, move |status| async move {
                if status.is_ok_and(|s| s.confirmed()) {
                    counted.fetch_add(1, Ordering::Relaxed);
                }
                drop(place);
            })
            .await?;
        if !flags.quiet {
            println!("{SENT} '{}'", preview(&body));
        }
        flags.pause_after(i).await;
    }
    // Every place free again: every confirm is in (or the broker stopped answering).
    let all = places.acquire_many(u32::from(window));
    if tokio::time::timeout(CONFIRM_WAIT, all).await.is_err() {
        log::warn!("some confirms did not come back within {CONFIRM_WAIT:?}");
    }
    Ok(confirmed.load(Ordering::Relaxed))
}
// ANCHOR_END: window

/// How long to wait for the last confirms of a window.
const CONFIRM_WAIT: Duration = Duration::from_secs(30);
