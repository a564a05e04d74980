//! # rabbit-routing-producer: routing mode, the sending side (tutorial 1.3②, 4. routing)
//!
//! Teaches: routing keys. Each message is published to a `direct` exchange with a routing key;
//! the exchange delivers it to the queues bound with exactly that key.
//!
//! The tutorial opens one connection per key; here one connection and one channel publish with
//! any number of keys, since the key is a property of each message, not of the channel.
//!
//! Run it (or everything at once with `just rabbit-routing`):
//! ```text
//! cargo run -p rabbit-routing-consumer -- --binding-key imooc_one   # terminal 1
//! cargo run -p rabbit-routing-consumer -- --binding-key imooc_two   # terminal 2
//! cargo run -p rabbit-routing-producer                              # terminal 3
//! ```
//!
//! Output, one round per second:
//! ```text
//!  [x] Sent 'hello imooc_one!0' (routing key imooc_one)
//!  [x] Sent 'hello imooc_two!0' (routing key imooc_two)
//! ```

use std::process::ExitCode;

use anyhow::Context;
use clap::Parser;
use lapin::options::{BasicPublishOptions, ConfirmSelectOptions, ExchangeDeclareOptions};
use lapin::types::FieldTable;
use lapin::{BasicProperties, ExchangeKind};
use mq_common::config::{RabbitArgs, parse_amqp_name, parse_routing_key};
use mq_common::flags::{ProducerDefaults, RabbitProducerFlags};
use mq_common::lines::SENT;
use mq_common::output::preview;
use mq_common::rabbit::{RabbitMQ, Summary, names, tuned};

/// Routing: publish 11 rounds, one message per routing key per round, one round per second.
#[derive(Parser, Debug)]
#[command(version)]
struct Args {
    /// The direct exchange to publish to.
    #[arg(long, default_value = names::ROUTING_EXCHANGE, value_parser = parse_amqp_name)]
    exchange: String,
    /// Routing key; repeat the flag for several keys.
    #[arg(long = "key", value_name = "KEY", value_parser = parse_routing_key,
          default_values = ["imooc_one", "imooc_two"])]
    keys: Vec<String>,
    #[command(flatten)]
    producer: RabbitProducerFlags<RoutingDefaults>,
    #[command(flatten)]
    rabbit: RabbitArgs,
}

/// The tutorial's producer.go: `for i := 0; i <= 10; i++ { one.Publish(..); two.Publish(..); Sleep(1s) }`.
#[derive(Debug, Clone, Copy)]
struct RoutingDefaults;

impl ProducerDefaults for RoutingDefaults {
    const COUNT: u64 = 11;
    const INTERVAL: &'static str = "1s";
    const MESSAGE: &'static str = "hello {key}!{i}";
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let args: Args = mq_common::cli::init();
    mq_common::cli::exit(run(args).await)
}

async fn run(args: Args) -> anyhow::Result<()> {
    // A --size over the broker's max_message_size would be sent whole, then refused.
    args.producer.check_size()?;
    let rabbitmq = RabbitMQ::open(&args.rabbit, "routing producer").await?;
    declare(&rabbitmq, &args).await?;
    let mut summary = Summary::default();
    let published = if args.producer.tuned() {
        // --pipeline, --confirm-window: the chapter "Going faster".
        tuned::publish(
            rabbitmq.channel(),
            &args.exchange,
            &args.keys,
            true,
            &args.producer,
            &mut summary,
        )
        .await
    } else {
        publish(&rabbitmq, &args, &mut summary).await
    };
    let total = args.producer.common.count * args.keys.len() as u64;
    rabbitmq
        .finish_publishing(published, &summary, args.producer.confirm, total)
        .await
}

// ANCHOR: declare
/// Declares a `direct` exchange: it delivers a message to the queues bound with a key equal to its routing key. Durable, like the tutorial's, so it outlives a broker restart. A message
/// published before any queue is bound is dropped: start the consumers first.
async fn declare(rabbitmq: &RabbitMQ, args: &Args) -> anyhow::Result<()> {
    let channel = rabbitmq.channel();
    let exchange = args.exchange.as_str();
    channel
        .exchange_declare(
            exchange.into(),
            ExchangeKind::Direct,
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
/// Publishes `--count` rounds, one message per routing key per round, `--interval` apart. With `--confirm`,
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
        for key in &args.keys {
            let body = producer.common.body(i, key);
            let confirm = channel
                .basic_publish(
                    exchange.into(),
                    key.as_str().into(),
                    options,
                    &body,
                    properties.clone(),
                )
                .await
                .with_context(|| format!("publishing to exchange '{exchange}'"))?;
            summary.sent += 1;
            if !producer.common.quiet {
                println!("{SENT} '{}' (routing key {key})", preview(&body));
            }
            if producer.confirm {
                // Wait for the broker's answer to this message before sending the next.
                summary.settle(confirm.await, &body);
            }
        }
        producer.common.pause_after(i).await;
    }
    Ok(())
}
// ANCHOR_END: publish
