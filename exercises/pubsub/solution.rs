//! # Exercise `pubsub`: every subscriber gets every message (chapter: Publish/subscribe)
//!
//! A fanout exchange copies each message into every queue bound to it. Give each subscriber a
//! queue of its own: **exclusive** (only this connection uses it, and it goes away with it) and
//! **server-named** (declare it with the name `""` and the broker picks one), then bind it.
//!
//! Run it: `cargo run -p ex-pubsub -- subscribe` in two terminals, then
//! `cargo run -p ex-pubsub -- publish`. Check it: `just check pubsub`.

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

/// Exercise `pubsub`: publish to a fanout exchange, or subscribe to it.
#[derive(Parser, Debug)]
struct Args {
    #[command(subcommand)]
    role: Role,
    /// The fanout exchange (your student name comes first).
    #[arg(long, global = true, default_value_t = prefixed("news"))]
    exchange: String,
    #[command(flatten)]
    rabbit: RabbitArgs,
}

#[derive(Subcommand, Debug)]
enum Role {
    /// Publish `news 0`, `news 1`, …
    Publish {
        #[arg(long, default_value_t = 10)]
        count: u64,
    },
    /// Print every message published from now on.
    Subscribe {
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
    let rabbitmq = RabbitMQ::open(&args.rabbit, "exercise pubsub").await?;
    let channel = rabbitmq.channel();
    channel
        .exchange_declare(
            args.exchange.as_str().into(),
            ExchangeKind::Fanout,
            ExchangeDeclareOptions::default(),
            FieldTable::default(),
        )
        .await
        .with_context(|| format!("declaring exchange '{}'", args.exchange))?;
    match args.role {
        Role::Publish { count } => {
            for i in 0..count {
                let body = format!("news {i}");
                channel
                    .basic_publish(
                        args.exchange.as_str().into(),
                        "".into(),
                        BasicPublishOptions::default(),
                        body.as_bytes(),
                        BasicProperties::default(),
                    )
                    .await
                    .context("publishing")?;
                println!(" [x] Sent '{body}'");
            }
        }
        Role::Subscribe {
            max_messages,
            idle_timeout,
        } => {
            let queue = bind_own_queue(channel, &args.exchange).await?;
            println!(" [*] Bound queue {queue} to {}", args.exchange);
            let consumer = channel
                .basic_consume(
                    queue.as_str().into(),
                    "".into(),
                    BasicConsumeOptions {
                        no_ack: true,
                        ..BasicConsumeOptions::default()
                    },
                    FieldTable::default(),
                )
                .await
                .context("consuming")?;
            println!(" [*] Waiting for messages. To exit press CTRL+C");
            let mut deliveries =
                rabbitmq.deliveries(consumer, &ConsumerFlags::until_idle(idle_timeout));
            let mut received = 0;
            while max_messages.is_none_or(|max| received < max)
                && let Some(delivery) = deliveries.next().await?
            {
                println!(" [x] Received {}", preview(&delivery.data));
                received += 1;
            }
        }
    }
    rabbitmq.close().await
}

// ANCHOR: task
/// Declares this subscriber's own queue (exclusive, named by the server), binds it to the
/// fanout exchange, and returns the name the server gave it.
async fn bind_own_queue(channel: &Channel, exchange: &str) -> anyhow::Result<String> {
    // EXERCISE: queue_declare("" with exclusive: true), then queue_bind(its name, exchange, key "")
    let options = QueueDeclareOptions {
        exclusive: true,
        ..QueueDeclareOptions::default()
    };
    let queue = channel
        .queue_declare("".into(), options, FieldTable::default())
        .await
        .context("declaring a queue")?;
    channel
        .queue_bind(
            queue.name().clone(),
            exchange.into(),
            "".into(),
            QueueBindOptions::default(),
            FieldTable::default(),
        )
        .await
        .context("binding")?;
    Ok(queue.name().to_string())
    // END EXERCISE
}
// ANCHOR_END: task
