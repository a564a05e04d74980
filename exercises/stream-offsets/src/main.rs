//! # Exercise `stream-offsets`: keep your place on the broker (chapter: RabbitMQ Streams)
//!
//! Reading a stream takes nothing away, so a consumer that stops and starts again must know
//! where it was. A named consumer can keep that on the broker: it stores the offset of each
//! message it has handled (`store_offset`), and, started again, asks for it (`query_offset`)
//! and goes on after it. Store **after** handling: a consumer killed in the middle then
//! handles at most the one message it was working on again, and loses none.
//!
//! On RabbitMQ 4 (`just up-rabbitmq4`). Run it: `cargo run -p rabbit-stream-producer --
//! --stream <you>-events --count 20`, then `cargo run -p ex-stream-offsets -- --max-messages 5`
//! twice. Check it: `just check stream-offsets`.

// A starter: until you write the missing lines, some imports and parameters are unused.
#![allow(
    unused_imports,
    unused_variables,
    unused_assignments,
    unreachable_code,
    dead_code
)]

use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context;
use clap::Parser;
use futures_lite::StreamExt;
use mq_common::config::{RabbitArgs, parse_amqp_name, parse_duration};
use mq_common::output::preview;
use mq_common::stream::StreamArgs;
use mq_common::student::prefixed;
use rabbitmq_stream_client::Environment;
use rabbitmq_stream_client::types::OffsetSpecification;

/// Exercise `stream-offsets`: read a stream under a name, going on where the name stopped.
#[derive(Parser, Debug)]
struct Args {
    /// The stream (your student name comes first).
    #[arg(long, default_value_t = prefixed("events"), value_parser = parse_amqp_name)]
    stream: String,
    /// The consumer's name: its offset is stored under it (your student name comes first).
    #[arg(long, default_value_t = prefixed("reader"), value_parser = parse_amqp_name)]
    name: String,
    /// How long handling one message takes.
    #[arg(long, default_value = "0", value_parser = parse_duration)]
    work: Duration,
    #[arg(long)]
    max_messages: Option<u64>,
    #[arg(long, default_value = "3s", value_parser = parse_duration)]
    idle_timeout: Duration,
    #[command(flatten)]
    stream_args: StreamArgs,
    #[command(flatten)]
    rabbit: RabbitArgs,
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let args: Args = mq_common::cli::init();
    mq_common::cli::exit(run(&args).await)
}

/// Where a consumer of this name goes on: after the offset stored under the name, or from the
/// first message when none is stored yet.
async fn start_of(environment: &Environment, args: &Args) -> anyhow::Result<OffsetSpecification> {
    // ANCHOR: task
    todo!(
        "build a consumer named args.name, ask it query_offset(), close it; Ok(n) means start at Offset(n + 1), an error means First"
    )
    // ANCHOR_END: task
}

async fn run(args: &Args) -> anyhow::Result<()> {
    let environment = mq_common::stream::connect(&args.rabbit, &args.stream_args).await?;
    mq_common::stream::declare(&environment, &args.stream, Duration::from_secs(86_400)).await?;
    let start = start_of(&environment, args).await?;
    let mut consumer = environment
        .consumer()
        .name(&args.name)
        .offset(start)
        .build(&args.stream)
        .await
        .with_context(|| format!("reading stream '{}'", args.stream))?;
    println!(
        " [*] Waiting for messages from '{}' as '{}'. To exit press CTRL+C",
        args.stream, args.name
    );
    let mut handled = 0u64;
    while args.max_messages.is_none_or(|max| handled < max) {
        let delivery = match tokio::time::timeout(args.idle_timeout, consumer.next()).await {
            Err(_) | Ok(None) => break,
            Ok(Some(delivery)) => delivery.context("reading the stream")?,
        };
        let offset = delivery.offset();
        tokio::time::sleep(args.work).await; // handling the message
        println!(
            "Handled offset {offset}: {}",
            preview(delivery.message().data().unwrap_or_default())
        );
        handled += 1;
        // ANCHOR: store
        // The message is handled: keep that on the broker, so a restart goes on after it.
        todo!("consumer.store_offset(offset)")
        // ANCHOR_END: store
    }
    consumer
        .handle()
        .close()
        .await
        .context("closing the consumer")?;
    Ok(())
}
