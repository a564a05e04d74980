//! # Exercise `routing`: receive only the keys you bind (chapter: Routing)
//!
//! A direct exchange delivers a message to every queue bound with exactly its routing key.
//! Declare the direct exchange, and bind the consumer's queue once for each `--binding-key`.
//!
//! Run it: `cargo run -p ex-routing -- consume --binding-key info --binding-key warning`, then
//! `cargo run -p ex-routing -- publish --key error` (and `--key info`). Check it:
//! `just check routing`.

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
use clap::{Parser, Subcommand};
use lapin::options::{
    BasicConsumeOptions, BasicPublishOptions, ExchangeDeclareOptions, QueueBindOptions,
    QueueDeclareOptions,
};
use lapin::types::FieldTable;
use lapin::{BasicProperties, Channel, ExchangeKind};
use mq_common::config::{RabbitArgs, parse_duration};
use mq_common::flags::ConsumerFlags;
use mq_common::output::preview;
use mq_common::rabbit::RabbitMQ;
use mq_common::student::prefixed;

/// Exercise `routing`: publish with a routing key, or consume the keys you bind.
#[derive(Parser, Debug)]
struct Args {
    #[command(subcommand)]
    role: Role,
    /// The direct exchange (your student name comes first).
    #[arg(long, global = true, default_value_t = prefixed("logs"))]
    exchange: String,
    #[command(flatten)]
    rabbit: RabbitArgs,
}

#[derive(Subcommand, Debug)]
enum Role {
    /// Publish `<key> 0`, `<key> 1`, … with routing key `--key`.
    Publish {
        #[arg(long, default_value = "info")]
        key: String,
        #[arg(long, default_value_t = 3)]
        count: u64,
    },
    /// Print the messages whose routing key is one of the binding keys.
    Consume {
        #[arg(long = "binding-key", required = true)]
        binding_keys: Vec<String>,
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
    let rabbitmq = RabbitMQ::open(&args.rabbit, "exercise routing").await?;
    let channel = rabbitmq.channel();
    declare_exchange(channel, &args.exchange).await?;
    match args.role {
        Role::Publish { key, count } => {
            for i in 0..count {
                let body = format!("{key} {i}");
                channel
                    .basic_publish(
                        args.exchange.as_str().into(),
                        key.as_str().into(),
                        BasicPublishOptions::default(),
                        body.as_bytes(),
                        BasicProperties::default(),
                    )
                    .await
                    .context("publishing")?;
                println!(" [x] Sent '{body}' (routing key {key})");
            }
        }
        Role::Consume {
            binding_keys,
            idle_timeout,
        } => {
            let options = QueueDeclareOptions {
                exclusive: true,
                ..QueueDeclareOptions::default()
            };
            let queue = channel
                .queue_declare("".into(), options, FieldTable::default())
                .await
                .context("declaring a queue")?;
            let queue = queue.name().to_string();
            bind(channel, &queue, &args.exchange, &binding_keys).await?;
            let no_ack = BasicConsumeOptions {
                no_ack: true,
                ..BasicConsumeOptions::default()
            };
            let consumer = channel
                .basic_consume(
                    queue.as_str().into(),
                    "".into(),
                    no_ack,
                    FieldTable::default(),
                )
                .await
                .context("consuming")?;
            println!(" [*] Waiting for messages. To exit press CTRL+C");
            let mut deliveries =
                rabbitmq.deliveries(consumer, &ConsumerFlags::until_idle(idle_timeout));
            while let Some(delivery) = deliveries.next().await? {
                println!(
                    " [x] Received {} (routing key {})",
                    preview(&delivery.data),
                    delivery.routing_key
                );
            }
        }
    }
    rabbitmq.close().await
}

// ANCHOR: task
/// Step 1: the exchange, of kind direct (both sides declare it; declaring is idempotent).
async fn declare_exchange(channel: &Channel, exchange: &str) -> anyhow::Result<()> {
    todo!("channel.exchange_declare(exchange, ExchangeKind::…, options, arguments)")
}

/// Step 2: bind `queue` to the exchange once per binding key.
async fn bind(
    channel: &Channel,
    queue: &str,
    exchange: &str,
    binding_keys: &[String],
) -> anyhow::Result<()> {
    todo!("for each key: channel.queue_bind(queue, exchange, key, options, arguments)")
}
// ANCHOR_END: task
