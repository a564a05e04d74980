//! # rabbit-pubsub-consumer: a subscriber (tutorial 1.3②, 3. pub/sub)
//!
//! Teaches: subscribing. Each subscriber declares its own queue (server-named, exclusive,
//! deleted when it disconnects) and binds it to the fanout exchange. Because every subscriber
//! has its own queue, they don't compete: each one receives every message.
//!
//! Run two subscribers and a producer (or all at once with `just rabbit-pubsub`):
//! ```text
//! cargo run -p rabbit-pubsub-consumer          # terminal 1
//! cargo run -p rabbit-pubsub-consumer          # terminal 2
//! cargo run -p rabbit-pubsub-producer          # terminal 3
//! ```
//!
//! Output (the same in both terminals):
//! ```text
//!  [*] Waiting for messages. To exit press CTRL+C
//!  [x] Received 订阅模式生产第0条数据 (routing key )
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
use mq_common::config::{RabbitArgs, parse_amqp_name};
use mq_common::flags::RabbitConsumerFlags;
use mq_common::lines::{RECEIVED, WAITING};
use mq_common::output::preview;
use mq_common::rabbit::{Deliveries, RabbitMQ, names, tuned};

/// Publish/subscribe: receive every message published to a fanout exchange.
#[derive(Parser, Debug)]
#[command(version)]
struct Args {
    /// The fanout exchange to subscribe to.
    #[arg(long, default_value = names::PUBSUB_EXCHANGE, value_parser = parse_amqp_name)]
    exchange: String,
    #[command(flatten)]
    consumer: RabbitConsumerFlags,
    #[command(flatten)]
    rabbit: RabbitArgs,
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let args: Args = mq_common::cli::init();
    mq_common::cli::exit(run(args).await)
}

async fn run(args: Args) -> anyhow::Result<()> {
    let rabbitmq = RabbitMQ::recovering(&args.rabbit, "pubsub consumer").await?;
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
/// Declares the fanout exchange and a queue of this consumer's own, binds them, sets the
/// prefetch, and starts consuming.
async fn subscribe(rabbitmq: &RabbitMQ, args: &Args) -> anyhow::Result<Consumer> {
    let channel = rabbitmq.channel();
    let exchange = args.exchange.as_str();
    // The same durable exchange the producer declares.
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
    // A fanout exchange ignores keys: bind once, with the empty key.
    channel
        .queue_bind(
            queue.name().clone(),
            exchange.into(),
            "".into(),
            QueueBindOptions::default(),
            FieldTable::default(),
        )
        .await
        .with_context(|| format!("binding to exchange '{exchange}'"))?;
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
