//! # Exercise `topic`: the pattern puzzle (chapter: Topic)
//!
//! The producer sends one message with each routing key of [`KEYS`]. Write the binding
//! patterns (in [`patterns`]) so that the consumer receives **exactly** these keys, no more,
//! no fewer:
//! - every key whose first word is `lazy`, however many words follow;
//! - every key of exactly three words whose last word is `rabbit`.
//!
//! Remember: `*` matches exactly one word, `#` matches zero or more words.
//!
//! Run it: `cargo run -p ex-topic -- consume`, then `cargo run -p ex-topic -- publish`.
//! Check it: `just check topic` (the real broker decides).

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
use lapin::{BasicProperties, ExchangeKind};
use mq_common::config::{RabbitArgs, parse_duration};
use mq_common::flags::ConsumerFlags;
use mq_common::rabbit::RabbitMQ;
use mq_common::student::prefixed;

/// The routing keys the producer sends, one message each.
pub const KEYS: [&str; 9] = [
    "quick.orange.rabbit",
    "lazy.orange.elephant",
    "quick.orange.fox",
    "lazy.brown.fox",
    "lazy.pink.rabbit",
    "quick.brown.fox",
    "orange",
    "quick.orange.new.rabbit",
    "lazy.orange.male.rabbit",
];

// ANCHOR: task
/// Your answer: the binding patterns of the consumer's queue.
fn patterns() -> Vec<&'static str> {
    todo!("return the patterns, e.g. vec![\"a.*\", \"b.#\"]; see the table on the exercise's page")
}
// ANCHOR_END: task

/// Exercise `topic`: publish every key of the table, or consume with your patterns.
#[derive(Parser, Debug)]
struct Args {
    #[command(subcommand)]
    role: Role,
    /// The topic exchange (your student name comes first).
    #[arg(long, global = true, default_value_t = prefixed("animals"))]
    exchange: String,
    #[command(flatten)]
    rabbit: RabbitArgs,
}

#[derive(Subcommand, Debug)]
enum Role {
    /// Publish one message per key of the table.
    Publish,
    /// Bind your patterns and print what arrives.
    Consume {
        #[arg(long, default_value = "3s", value_parser = parse_duration)]
        idle_timeout: Duration,
    },
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let args: Args = mq_common::cli::init();
    mq_common::cli::exit(run(args).await)
}

async fn run(args: Args) -> anyhow::Result<()> {
    let rabbitmq = RabbitMQ::open(&args.rabbit, "exercise topic").await?;
    let channel = rabbitmq.channel();
    let exchange = args.exchange.as_str();
    channel
        .exchange_declare(
            exchange.into(),
            ExchangeKind::Topic,
            ExchangeDeclareOptions::default(),
            FieldTable::default(),
        )
        .await
        .with_context(|| format!("declaring exchange '{exchange}'"))?;
    match args.role {
        Role::Publish => {
            for key in KEYS {
                channel
                    .basic_publish(
                        exchange.into(),
                        key.into(),
                        BasicPublishOptions::default(),
                        key.as_bytes(),
                        BasicProperties::default(),
                    )
                    .await
                    .context("publishing")?;
                println!(" [x] Sent (routing key {key})");
            }
        }
        Role::Consume { idle_timeout } => {
            let options = QueueDeclareOptions {
                exclusive: true,
                ..QueueDeclareOptions::default()
            };
            let queue = channel
                .queue_declare("".into(), options, FieldTable::default())
                .await
                .context("declaring a queue")?;
            for pattern in patterns() {
                channel
                    .queue_bind(
                        queue.name().clone(),
                        exchange.into(),
                        pattern.into(),
                        QueueBindOptions::default(),
                        FieldTable::default(),
                    )
                    .await
                    .with_context(|| format!("binding pattern '{pattern}'"))?;
                println!(" [*] Bound pattern {pattern}");
            }
            let no_ack = BasicConsumeOptions {
                no_ack: true,
                ..BasicConsumeOptions::default()
            };
            let consumer = channel
                .basic_consume(
                    queue.name().clone(),
                    "".into(),
                    no_ack,
                    FieldTable::default(),
                )
                .await
                .context("consuming")?;
            println!(" [*] Waiting for messages. To exit press CTRL+C");
            let mut deliveries =
                rabbitmq.deliveries(consumer, &ConsumerFlags::until_idle(Some(idle_timeout)));
            while let Some(delivery) = deliveries.next().await? {
                println!(" [x] Received (routing key {})", delivery.routing_key);
            }
        }
    }
    rabbitmq.close().await
}
