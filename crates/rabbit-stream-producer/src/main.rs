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
use mq_common::output::preview;
use mq_common::rabbit::names;
use mq_common::stream::StreamArgs;
use rabbitmq_stream_client::Environment;
use rabbitmq_stream_client::types::Message;

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
                    println!(" [x] Sent '{}' (publishing id {id})", preview(&body));
                }
                flags.pause_after(i).await;
            }
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
                    println!(" [x] Sent '{}'", preview(&body));
                }
                flags.pause_after(i).await;
            }
            producer.close().await?;
        }
    }
    Ok(confirmed)
}
// ANCHOR_END: publish
