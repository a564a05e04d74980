//! # Exercise `simple`: a queue, a producer, a consumer (chapter: Simple mode)
//!
//! Write the four steps of simple mode with lapin: declare the queue, publish `hello i` to it
//! through the default exchange, consume it with manual acks, and ack each message after
//! printing it. Connecting, flags, the receive loop and printing are given.
//!
//! Run it: `cargo run -p ex-simple -- consume` in one terminal, `cargo run -p ex-simple --
//! publish` in another. Check it: `just check simple`.

use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context;
use clap::{Parser, Subcommand};
use lapin::message::Delivery;
use lapin::options::{
    BasicAckOptions, BasicConsumeOptions, BasicPublishOptions, QueueDeclareOptions,
};
use lapin::types::FieldTable;
use lapin::{BasicProperties, Channel, Consumer};
use mq_common::config::{RabbitArgs, parse_duration};
use mq_common::flags::ConsumerFlags;
use mq_common::output::preview;
use mq_common::rabbit::RabbitMQ;
use mq_common::student::prefixed;

/// Exercise `simple`: publish to a queue, or consume from it.
#[derive(Parser, Debug)]
struct Args {
    #[command(subcommand)]
    role: Role,
    /// The queue (your student name comes first, so classmates don't share it).
    #[arg(long, global = true, default_value_t = prefixed("hello"))]
    queue: String,
    #[command(flatten)]
    rabbit: RabbitArgs,
}

#[derive(Subcommand, Debug)]
enum Role {
    /// Publish `hello 0`, `hello 1`, …
    Publish {
        #[arg(long, default_value_t = 5)]
        count: u64,
    },
    /// Print and ack every message.
    Consume {
        #[arg(long)]
        max_messages: Option<u64>,
        #[arg(long, value_parser = parse_duration)]
        idle_timeout: Option<Duration>,
    },
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let args: Args = mq_common::cli::init();
    mq_common::cli::exit(run(args).await)
}

async fn run(args: Args) -> anyhow::Result<()> {
    let rabbitmq = RabbitMQ::open(&args.rabbit, "exercise simple").await?;
    let channel = rabbitmq.channel();
    declare(channel, &args.queue).await?;
    match args.role {
        Role::Publish { count } => {
            for i in 0..count {
                let body = format!("hello {i}");
                publish(channel, &args.queue, &body).await?;
                println!(" [x] Sent '{body}'");
            }
        }
        Role::Consume {
            max_messages,
            idle_timeout,
        } => {
            let consumer = consume(channel, &args.queue).await?;
            println!(" [*] Waiting for messages. To exit press CTRL+C");
            let mut deliveries =
                rabbitmq.deliveries(consumer, &ConsumerFlags::until_idle(idle_timeout));
            let mut received = 0;
            while max_messages.is_none_or(|max| received < max)
                && let Some(delivery) = deliveries.next().await?
            {
                println!(" [x] Received {}", preview(&delivery.data));
                ack(delivery).await?;
                received += 1;
            }
        }
    }
    rabbitmq.close().await
}

// ANCHOR: task
/// Step 1: declare the queue `queue`, durable (RabbitMQ 4.3 refuses the tutorial's
/// non-durable, non-exclusive queue).
async fn declare(channel: &Channel, queue: &str) -> anyhow::Result<()> {
    // EXERCISE: channel.queue_declare(queue, options with durable: true, arguments); see the Simple mode page
    let options = QueueDeclareOptions {
        durable: true,
        ..QueueDeclareOptions::default()
    };
    channel
        .queue_declare(queue.into(), options, FieldTable::default())
        .await
        .with_context(|| format!("declaring queue '{queue}'"))?;
    Ok(())
    // END EXERCISE
}

/// Step 2: publish `body` to the queue, through the default exchange `""`.
async fn publish(channel: &Channel, queue: &str, body: &str) -> anyhow::Result<()> {
    // EXERCISE: channel.basic_publish(exchange "", routing key = the queue's name, …)
    channel
        .basic_publish(
            "".into(),
            queue.into(),
            BasicPublishOptions::default(),
            body.as_bytes(),
            BasicProperties::default(),
        )
        .await
        .context("publishing")?;
    Ok(())
    // END EXERCISE
}

/// Step 3: start consuming the queue, with manual acks.
async fn consume(channel: &Channel, queue: &str) -> anyhow::Result<Consumer> {
    // EXERCISE: channel.basic_consume(queue, consumer tag "", options with no_ack: false, …)
    channel
        .basic_consume(
            queue.into(),
            "".into(),
            BasicConsumeOptions::default(),
            FieldTable::default(),
        )
        .await
        .with_context(|| format!("consuming from queue '{queue}'"))
    // END EXERCISE
}

/// Step 4: acknowledge a message, once it has been handled.
async fn ack(delivery: Delivery) -> anyhow::Result<()> {
    // EXERCISE: delivery.ack(…): without it, the broker gives the message again later
    delivery
        .ack(BasicAckOptions::default())
        .await
        .context("acknowledging")?;
    Ok(())
    // END EXERCISE
}
// ANCHOR_END: task
