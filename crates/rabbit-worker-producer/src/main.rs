//! # rabbit-worker-producer: worker mode, the sending side (tutorial 1.3②, 2. worker)
//!
//! Teaches: a work queue. The producer fills one queue with tasks as fast as it can; several
//! workers (`rabbit-worker-consumer`) share them out, each task going to exactly one worker.
//!
//! Run it (or everything at once with `just rabbit-worker`):
//! ```text
//! cargo run -p rabbit-worker-consumer          # terminal 1
//! cargo run -p rabbit-worker-consumer          # terminal 2
//! cargo run -p rabbit-worker-producer          # terminal 3
//! ```
//!
//! Output:
//! ```text
//!  [x] Sent 'hello 0'
//!  ...
//!  [x] Sent 'hello 99'
//! ```

use std::process::ExitCode;

use anyhow::Context;
use clap::Parser;
use lapin::BasicProperties;
use lapin::options::{BasicPublishOptions, ConfirmSelectOptions, QueueDeclareOptions};
use lapin::types::FieldTable;
use mq_common::config::{RabbitArgs, parse_amqp_name};
use mq_common::flags::{ProducerDefaults, RabbitProducerFlags};
use mq_common::lines::SENT;
use mq_common::output::preview;
use mq_common::rabbit::{RabbitMQ, Summary, names, tuned};

/// Worker mode: publish 100 tasks to one queue, with no pause.
#[derive(Parser, Debug)]
#[command(version)]
struct Args {
    /// The queue to publish tasks to.
    #[arg(long, default_value = names::WORKER_QUEUE, value_parser = parse_amqp_name)]
    queue: String,
    #[command(flatten)]
    producer: RabbitProducerFlags<WorkerDefaults>,
    #[command(flatten)]
    rabbit: RabbitArgs,
}

/// The tutorial's producer.go: `for i := 0; i < 100; i++ { Publish("hello i") }`.
#[derive(Debug, Clone, Copy)]
struct WorkerDefaults;

impl ProducerDefaults for WorkerDefaults {
    const COUNT: u64 = 100;
    const INTERVAL: &'static str = "0";
    const MESSAGE: &'static str = "hello {i}";
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let args: Args = mq_common::cli::init();
    mq_common::cli::exit(run(args).await)
}

async fn run(args: Args) -> anyhow::Result<()> {
    // A --size over the broker's max_message_size would be sent whole, then refused.
    args.producer.check_size()?;
    let rabbitmq = RabbitMQ::open(&args.rabbit, "worker producer").await?;
    declare(&rabbitmq, &args).await?;
    let mut summary = Summary::default();
    let published = if args.producer.tuned() {
        // --pipeline, --confirm-window: the chapter "Going faster".
        tuned::publish(
            rabbitmq.channel(),
            "",
            std::slice::from_ref(&args.queue),
            false,
            &args.producer,
            &mut summary,
        )
        .await
    } else {
        publish(&rabbitmq, &args, &mut summary).await
    };
    let total = args.producer.common.count;
    rabbitmq
        .finish_publishing(published, &summary, args.producer.confirm, total)
        .await
}

// ANCHOR: declare
/// Declares the queue, as the consumer does too: whichever starts first creates it, and
/// messages published before any consumer starts wait in it. It is **durable**: it outlives a
/// broker restart (RabbitMQ 4.3 refuses the tutorial's non-durable, non-exclusive queue).
async fn declare(rabbitmq: &RabbitMQ, args: &Args) -> anyhow::Result<()> {
    let channel = rabbitmq.channel();
    let queue = args.queue.as_str();
    channel
        .queue_declare(
            queue.into(),
            QueueDeclareOptions {
                durable: true,
                ..QueueDeclareOptions::default()
            },
            FieldTable::default(),
        )
        .await
        .with_context(|| format!("declaring queue '{queue}'"))?;
    Ok(())
}
// ANCHOR_END: declare

// ANCHOR: publish
/// Publishes `--count` messages, `--interval` apart. With `--confirm`,
/// waits for each message's confirm before the next, and counts the outcome in `summary`.
async fn publish(rabbitmq: &RabbitMQ, args: &Args, summary: &mut Summary) -> anyhow::Result<()> {
    let channel = rabbitmq.channel();
    let producer = &args.producer;
    let queue = args.queue.as_str();
    if producer.confirm {
        // Publisher confirms: from now on the broker acks (or nacks) every message once it
        // has taken responsibility for it (for a persistent message: written it to disk).
        channel
            .confirm_select(ConfirmSelectOptions::default())
            .await
            .context("turning on publisher confirms")?;
    }
    // With confirms, `mandatory` asks the broker to hand back a message that no queue takes,
    // instead of dropping it silently.
    let options = BasicPublishOptions {
        mandatory: producer.confirm,
        ..BasicPublishOptions::default()
    };
    // --persistent: delivery mode 2, kept on disk by a durable queue across a broker restart.
    let delivery_mode = if producer.persistent { 2 } else { 1 };
    let properties = BasicProperties::default()
        .with_content_type("text/plain".into())
        .with_delivery_mode(delivery_mode);
    for i in 0..producer.common.count {
        let body = producer.common.body(i, "");
        // The default exchange ("") delivers to the queue named by the routing key.
        let confirm = channel
            .basic_publish("".into(), queue.into(), options, &body, properties.clone())
            .await
            .with_context(|| format!("publishing to queue '{queue}'"))?;
        summary.sent += 1;
        if !producer.common.quiet {
            println!("{SENT} '{}'", preview(&body));
        }
        if producer.confirm {
            // Wait for the broker's answer to this message before sending the next.
            summary.settle(confirm.await, &body);
        }
        producer.common.pause_after(i).await;
    }
    Ok(())
}
// ANCHOR_END: publish
