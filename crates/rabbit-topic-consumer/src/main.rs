//! # rabbit-topic-consumer: topic mode, the receiving side (tutorial 1.3②, 5. topic)
//!
//! Teaches: binding patterns. A routing key is a list of words separated by dots; in a binding
//! key, `*` matches **exactly one** word and `#` matches **zero or more** words.
//!
//! (The tutorial's text in 1.1② and its consumer's comment say the opposite, "`*` is many
//! words, `#` is one"; its helper's comment has it right.)
//!
//! | binding key       | `imooc.topic88.three` | `imooc.three` | `imooc` |
//! |-------------------|-----------------------|---------------|---------|
//! | `#`               | yes                   | yes           | yes     |
//! | `imooc.#`         | yes                   | yes           | yes     |
//! | `imooc.*.three`   | yes                   | no            | no      |
//! | `imooc.*`         | no                    | yes           | no      |
//!
//! Run it (or everything at once with `just rabbit-topic`):
//! ```text
//! cargo run -p rabbit-topic-consumer -- --binding-key '#'              # terminal 1
//! cargo run -p rabbit-topic-consumer -- --binding-key 'imooc.*.three'  # terminal 2
//! cargo run -p rabbit-topic-producer                                   # terminal 3
//! ```
//!
//! Output in terminal 2 (only the `three`s):
//! ```text
//!  [*] Waiting for messages. To exit press CTRL+C
//!  [x] Received hello imooc.topic88.three!0 (routing key imooc.topic88.three)
//! ```

use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context;
use clap::Parser;
use lapin::options::{
    BasicAckOptions, BasicConsumeOptions, BasicQosOptions, ExchangeDeclareOptions,
    QueueBindOptions, QueueDeclareOptions,
};
use lapin::types::FieldTable;
use lapin::{Consumer, ExchangeKind};
use mq_common::config::{RabbitArgs, parse_amqp_name, parse_binding_key};
use mq_common::flags::RabbitConsumerFlags;
use mq_common::lines::{RECEIVED, WAITING};
use mq_common::output::preview;
use mq_common::rabbit::{Deliveries, RabbitMQ, names, tuned};

/// Topic: receive the messages whose routing key matches a binding pattern.
#[derive(Parser, Debug)]
#[command(version)]
struct Args {
    /// The topic exchange to bind to.
    #[arg(long, default_value = names::TOPIC_EXCHANGE, value_parser = parse_amqp_name)]
    exchange: String,
    /// Binding patterns given as `--binding-key PATTERN`; repeat the flag to bind several. Without any,
    /// `imooc.topic88.three` (the tutorial's).
    #[arg(long = "binding-key", value_name = "PATTERN", value_parser = parse_binding_key)]
    binding_keys: Vec<String>,
    /// More binding patterns, as bare words: `rabbit-topic-consumer --quiet 'lazy.#'`.
    #[arg(value_name = "PATTERN", value_parser = parse_binding_key)]
    keys: Vec<String>,
    #[command(flatten)]
    consumer: RabbitConsumerFlags,
    #[command(flatten)]
    rabbit: RabbitArgs,
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let mut args: Args = mq_common::cli::init();
    args.binding_keys.append(&mut args.keys);
    if args.binding_keys.is_empty() {
        args.binding_keys.push("imooc.topic88.three".to_owned());
    }
    mq_common::cli::exit(run(args).await)
}

async fn run(args: Args) -> anyhow::Result<()> {
    let rabbitmq = RabbitMQ::recovering(&args.rabbit, "topic consumer").await?;
    let consumer = subscribe(&rabbitmq, &args).await?;
    println!("{WAITING}. To exit press CTRL+C");
    let deliveries = rabbitmq.deliveries(consumer, &args.consumer.common);
    let received = if args.consumer.ack_in_runs {
        // --ack-in-runs: the chapter "Going faster".
        let (prefetch, quiet) = (args.consumer.prefetch, args.consumer.common.quiet);
        tuned::consume_acking_in_runs(deliveries, prefetch, Duration::ZERO, quiet).await?
    } else {
        receive(deliveries, &args).await?
    };
    rabbitmq.close().await?;
    log::info!("received {received} message(s)");
    Ok(())
}

// ANCHOR: subscribe
/// Declares the topic exchange and a queue of this consumer's own, binds it once per
/// pattern, sets the prefetch, and starts consuming.
async fn subscribe(rabbitmq: &RabbitMQ, args: &Args) -> anyhow::Result<Consumer> {
    let channel = rabbitmq.channel();
    let exchange = args.exchange.as_str();
    // The same durable exchange the producer declares.
    channel
        .exchange_declare(
            exchange.into(),
            ExchangeKind::Topic,
            ExchangeDeclareOptions {
                durable: true,
                ..ExchangeDeclareOptions::default()
            },
            FieldTable::default(),
        )
        .await
        .with_context(|| format!("declaring exchange '{exchange}'"))?;
    // A queue of this consumer's own: named by the server (""), exclusive to this connection
    // and deleted when it closes. Every consumer has its own, so each gets every message
    // that matches its bindings, instead of competing for them as workers on one queue do.
    let queue = channel
        .queue_declare(
            "".into(),
            QueueDeclareOptions {
                exclusive: true,
                ..QueueDeclareOptions::default()
            },
            FieldTable::default(),
        )
        .await
        .context("declaring this consumer's queue")?;
    // Bound once per pattern: `imooc.*.three` takes `imooc.topic88.three` but not
    // `imooc.topic99.four`; `#` takes everything.
    for pattern in &args.binding_keys {
        channel
            .queue_bind(
                queue.name().clone(),
                exchange.into(),
                pattern.as_str().into(),
                QueueBindOptions::default(),
                FieldTable::default(),
            )
            .await
            .with_context(|| format!("binding to exchange '{exchange}' with '{pattern}'"))?;
    }
    // At most --prefetch unacknowledged messages on their way to this consumer at once.
    channel
        .basic_qos(args.consumer.prefetch, BasicQosOptions::default())
        .await
        .context("setting the prefetch count")?;
    let options = BasicConsumeOptions::default();
    let consumer = channel
        .basic_consume(
            queue.name().clone(),
            "".into(),
            options,
            FieldTable::default(),
        )
        .await
        .context("starting to consume")?;
    Ok(consumer)
}
// ANCHOR_END: subscribe

// ANCHOR: receive
/// Receives until `--max-messages`, `--idle-timeout` or Ctrl+C: print each message,
/// then ack it. Returns how many messages were received.
async fn receive(mut deliveries: Deliveries<'_>, args: &Args) -> anyhow::Result<u64> {
    while let Some(delivery) = deliveries.next().await? {
        if !args.consumer.common.quiet {
            let again = if delivery.redelivered {
                " (redelivered)"
            } else {
                ""
            };
            println!(
                "{RECEIVED} {} (routing key {}){again}",
                preview(&delivery.data),
                delivery.routing_key
            );
        }
        // The ack comes after the message is handled (here: printed), and frees a place in
        // the prefetch window. This queue is exclusive: if this consumer goes, the queue and
        // whatever is in it go too, acked or not. Surviving a consumer's death takes a
        // durable queue that outlives it, as in simple and worker mode.
        let ack = delivery.ack(BasicAckOptions::default()).await;
        deliveries.acked(ack)?;
    }
    Ok(deliveries.received())
}
// ANCHOR_END: receive
