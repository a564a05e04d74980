//! # rabbit-stream-consumer: RabbitMQ Streams, the reading side (official stream tutorials 1 and 2)
//!
//! Teaches: reading a stream takes nothing away, so a consumer says **where to start**, as a
//! Kafka consumer does: `first` (the oldest message the stream keeps), `last` (the last chunk
//! written), `next` (only what comes after it subscribes) or an offset. And it can keep its
//! place **on the broker**: a named consumer stores the offset of the last message it handled
//! (`store_offset`) and, started again, asks for it (`query_offset`) and goes on after it. Two
//! consumers of one stream each read every message: nothing is shared out as in a queue.
//!
//! Run it (or `just rabbit-stream`):
//! ```text
//! cargo run -p rabbit-stream-consumer -- --offset first
//! cargo run -p rabbit-stream-consumer -- --name reader    # resumes after its stored offset
//! ```
//!
//! Output:
//! ```text
//!  [*] Waiting for messages from 'hello-stream' (from the first). To exit press CTRL+C
//!  [x] Received 'hello stream 0' (offset 0)
//! ```

use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context;
use clap::Parser;
use futures_lite::StreamExt;
use mq_common::config::{RabbitArgs, parse_amqp_name, parse_duration};
use mq_common::flags::ConsumerFlags;
use mq_common::lines::{RECEIVED, WAITING};
use mq_common::output::preview;
use mq_common::rabbit::names;
use mq_common::stream::StreamArgs;
use rabbitmq_stream_client::types::OffsetSpecification;
use rabbitmq_stream_client::{Consumer, Environment};

/// RabbitMQ Streams: read a stream from where you choose, or from where you stopped.
#[derive(Parser, Debug)]
#[command(version)]
struct Args {
    /// The stream to read.
    #[arg(long, default_value = names::STREAM, value_parser = parse_amqp_name)]
    stream: String,
    /// Where to start: first, last, next, or an offset. Default: first, or, with --name, after
    /// the offset stored under that name.
    #[arg(long, value_name = "first|last|next|N", value_parser = parse_start)]
    offset: Option<Start>,
    /// Name this consumer: it stores its offset on the broker under this name, and starts after
    /// the stored one when no --offset is given (server-side offset tracking).
    #[arg(long, value_name = "NAME", value_parser = parse_amqp_name)]
    name: Option<String>,
    /// With --name, store the offset after every N messages (and when it stops).
    #[arg(long, default_value_t = 100, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    store_every: u64,
    /// Retention, when the stream is declared: messages older than this go.
    #[arg(long, default_value = "1d", value_parser = parse_duration)]
    max_age: Duration,
    #[command(flatten)]
    flags: ConsumerFlags,
    #[command(flatten)]
    stream_args: StreamArgs,
    #[command(flatten)]
    rabbit: RabbitArgs,
}

/// Where a consumer starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Start {
    First,
    Last,
    Next,
    Offset(u64),
}

fn parse_start(s: &str) -> Result<Start, String> {
    match s {
        "first" => Ok(Start::First),
        "last" => Ok(Start::Last),
        "next" => Ok(Start::Next),
        n => n
            .parse()
            .map(Start::Offset)
            .map_err(|_| format!("'{n}' is not first, last, next or an offset (a number)")),
    }
}

impl Start {
    fn spec(self) -> OffsetSpecification {
        match self {
            Self::First => OffsetSpecification::First,
            Self::Last => OffsetSpecification::Last,
            Self::Next => OffsetSpecification::Next,
            Self::Offset(n) => OffsetSpecification::Offset(n),
        }
    }

    fn describe(self) -> String {
        match self {
            Self::First => "from the first".to_owned(),
            Self::Last => "from the last chunk".to_owned(),
            Self::Next => "from the next message".to_owned(),
            Self::Offset(n) => format!("from offset {n}"),
        }
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let args: Args = mq_common::cli::init();
    mq_common::cli::exit(run(args).await)
}

async fn run(args: Args) -> anyhow::Result<()> {
    let environment = mq_common::stream::connect(&args.rabbit, &args.stream_args).await?;
    mq_common::stream::declare(&environment, &args.stream, args.max_age).await?;
    let start = match (args.offset, &args.name) {
        (Some(start), _) => start,
        (None, Some(name)) => resume_point(&environment, &args.stream, name).await?,
        (None, None) => Start::First,
    };
    let mut consumer = subscribe(&environment, &args, start).await?;
    println!(
        "{WAITING} from '{}' ({}). To exit press CTRL+C",
        args.stream,
        start.describe()
    );
    let received = consume(&mut consumer, &args).await;
    let closed = consumer.handle().close().await;
    let received = received?;
    closed.context("closing the consumer")?;
    println!(" [.] received {received}");
    Ok(())
}

// ANCHOR: resume
/// Where a named consumer goes on: after the offset stored under its name, or from the first
/// message if none is stored yet.
async fn resume_point(
    environment: &Environment,
    stream: &str,
    name: &str,
) -> anyhow::Result<Start> {
    // The stored offset is asked through a consumer of that name.
    let probe = environment
        .consumer()
        .name(name)
        .offset(OffsetSpecification::Next)
        .build(stream)
        .await
        .with_context(|| format!("reading stream '{stream}'"))?;
    let stored = probe.query_offset().await;
    probe.handle().close().await.context("closing the probe")?;
    Ok(match stored {
        Ok(offset) => {
            println!(" [*] '{name}' stored offset {offset}: going on after it");
            Start::Offset(offset + 1)
        }
        Err(_) => Start::First,
    })
}
// ANCHOR_END: resume

// ANCHOR: subscribe
/// A consumer of the stream from `start`, named when --name is given.
async fn subscribe(
    environment: &Environment,
    args: &Args,
    start: Start,
) -> anyhow::Result<Consumer> {
    let mut builder = environment.consumer().offset(start.spec());
    if let Some(name) = &args.name {
        builder = builder.name(name);
    }
    builder
        .build(&args.stream)
        .await
        .with_context(|| format!("reading stream '{}'", args.stream))
}
// ANCHOR_END: subscribe

// ANCHOR: consume
/// Prints each message with its offset until --max-messages, --idle-timeout or Ctrl+C; a named
/// consumer stores its offset every --store-every messages and when it stops.
async fn consume(consumer: &mut Consumer, args: &Args) -> anyhow::Result<u64> {
    let mut shutdown = Box::pin(mq_common::shutdown::signal());
    let idle = args.flags.idle_timeout.unwrap_or(Duration::MAX);
    let (mut received, mut last) = (0, None);
    loop {
        let next = tokio::select! {
            () = &mut shutdown => break,
            next = tokio::time::timeout(idle, consumer.next()) => next,
        };
        let delivery = match next {
            Err(_) => {
                println!(" [*] nothing more for {idle:?}");
                break;
            }
            Ok(None) => break,
            Ok(Some(delivery)) => delivery.context("reading the stream")?,
        };
        let offset = delivery.offset();
        let body = delivery.message().data().unwrap_or_default();
        if !args.flags.quiet {
            println!("{RECEIVED} '{}' (offset {offset})", preview(body));
        }
        received += 1;
        last = Some(offset);
        if args.name.is_some() && received % args.store_every == 0 {
            consumer
                .store_offset(offset)
                .await
                .context("storing the offset")?;
        }
        if args.flags.enough(received) {
            break;
        }
    }
    if let (Some(name), Some(offset)) = (&args.name, last) {
        consumer
            .store_offset(offset)
            .await
            .context("storing the offset")?;
        println!(" [.] stored offset {offset} for '{name}'");
    }
    Ok(received)
}
// ANCHOR_END: consume
