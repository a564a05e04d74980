//! # rabbit-pubsub-producer: publish/subscribe, the sending side (tutorial 1.3②, 3. pub/sub)
//!
//! Teaches: publishing to an exchange instead of a queue. A `fanout` exchange copies every
//! message into every queue bound to it, so every subscriber gets every message.
//!
//! A message published while no subscriber is bound goes nowhere: start the subscribers first.
//! With `--confirm` the producer says so for each such message.
//!
//! Run it (or everything at once with `just rabbit-pubsub`):
//! ```text
//! cargo run -p rabbit-pubsub-consumer          # terminal 1
//! cargo run -p rabbit-pubsub-consumer          # terminal 2
//! cargo run -p rabbit-pubsub-producer          # terminal 3
//! ```
//!
//! Output, one line per second:
//! ```text
//!  [x] Sent '订阅模式生产第0条数据'
//!  ...
//!  [x] Sent '订阅模式生产第20条数据'
//! ```

use std::process::ExitCode;

use anyhow::Context;
use clap::Parser;
use lapin::options::{BasicPublishOptions, ConfirmSelectOptions, ExchangeDeclareOptions};
use lapin::types::FieldTable;
use lapin::{BasicProperties, ExchangeKind};
use mq_common::config::{RabbitArgs, parse_amqp_name};
use mq_common::flags::{ProducerDefaults, RabbitProducerFlags};
use mq_common::lines::SENT;
use mq_common::output::preview;
use mq_common::rabbit::{RabbitMQ, Summary, names, tuned};

/// Publish/subscribe: publish 21 messages to a fanout exchange, one per second.
#[derive(Parser, Debug)]
#[command(version)]
struct Args {
    /// The fanout exchange to publish to.
    #[arg(long, default_value = names::PUBSUB_EXCHANGE, value_parser = parse_amqp_name)]
    exchange: String,
    #[command(flatten)]
    producer: RabbitProducerFlags<PubsubDefaults>,
    #[command(flatten)]
    rabbit: RabbitArgs,
}

/// The tutorial's producer.go: `for i := 0; i <= 20; i++ { PublishPub(...); Sleep(1s) }`.
#[derive(Debug, Clone, Copy)]
struct PubsubDefaults;

impl ProducerDefaults for PubsubDefaults {
    const COUNT: u64 = 21;
    const INTERVAL: &'static str = "1s";
    const MESSAGE: &'static str = "订阅模式生产第{i}条数据";
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let args: Args = mq_common::cli::init();
    mq_common::cli::exit(run(args).await)
}

async fn run(args: Args) -> anyhow::Result<()> {
    // A --size over the broker's max_message_size would be sent whole, then refused.
    args.producer.check_size()?;
    let rabbitmq = RabbitMQ::open(&args.rabbit, "pubsub producer").await?;
    declare(&rabbitmq, &args).await?;
    let mut summary = Summary::default();
    let published = if args.producer.tuned() {
        // --pipeline, --confirm-window: the chapter "Going faster".
        tuned::publish(
            rabbitmq.channel(),
            &args.exchange,
            &[String::new()],
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
/// Declares a `fanout` exchange: it copies every message to every bound queue and ignores routing keys. Durable, like the tutorial's, so it outlives a broker restart. A message
/// published before any queue is bound is dropped: start the consumers first.
async fn declare(rabbitmq: &RabbitMQ, args: &Args) -> anyhow::Result<()> {
    let channel = rabbitmq.channel();
    let exchange = args.exchange.as_str();
    channel
        .exchange_declare(
            exchange.into(),
            ExchangeKind::Fanout,
            ExchangeDeclareOptions {
                durable: true,
                ..ExchangeDeclareOptions::default()
            },
            FieldTable::default(),
        )
        .await
        .with_context(|| format!("declaring exchange '{exchange}'"))?;
    Ok(())
}
// ANCHOR_END: declare

// ANCHOR: publish
/// Publishes `--count` messages, `--interval` apart. With `--confirm`,
/// waits for each message's confirm before the next, and counts the outcome in `summary`.
async fn publish(rabbitmq: &RabbitMQ, args: &Args, summary: &mut Summary) -> anyhow::Result<()> {
    let channel = rabbitmq.channel();
    let producer = &args.producer;
    let exchange = args.exchange.as_str();
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
        // A fanout exchange ignores the routing key: the empty key.
        let confirm = channel
            .basic_publish(
                exchange.into(),
                "".into(),
                options,
                &body,
                properties.clone(),
            )
            .await
            .with_context(|| format!("publishing to exchange '{exchange}'"))?;
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
