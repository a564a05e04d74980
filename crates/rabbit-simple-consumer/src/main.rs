//! # rabbit-simple-consumer: simple mode, the receiving side (tutorial 1.3②, 1. simple)
//!
//! Teaches: consuming from a named queue. The consumer declares the same queue as the producer
//! (declaring is idempotent) and receives its messages in order.
//!
//! Unlike the tutorial, it acknowledges each message after printing it instead of using
//! auto-ack: a message is only gone from the queue once it has really been handled, and
//! `--max-messages` never swallows messages it did not print.
//!
//! Run it in two terminals (or both at once with `just rabbit-simple`):
//! ```text
//! cargo run -p rabbit-simple-consumer
//! cargo run -p rabbit-simple-producer
//! ```
//!
//! Output:
//! ```text
//!  [*] Waiting for messages. To exit press CTRL+C
//!  [x] Received hello 0 (routing key ziyiSimple)
//!  [x] Received hello 1 (routing key ziyiSimple)
//! ```

use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context;
use clap::Parser;
use lapin::Consumer;
use lapin::options::{BasicAckOptions, BasicConsumeOptions, BasicQosOptions, QueueDeclareOptions};
use lapin::types::FieldTable;
use mq_common::config::{RabbitArgs, parse_amqp_name};
use mq_common::flags::RabbitConsumerFlags;
use mq_common::lines::{RECEIVED, WAITING};
use mq_common::output::preview;
use mq_common::rabbit::{Deliveries, RabbitMQ, names, tuned};

/// Simple mode: print every message of one queue.
#[derive(Parser, Debug)]
#[command(version)]
struct Args {
    /// The queue to consume from.
    #[arg(long, default_value = names::SIMPLE_QUEUE, value_parser = parse_amqp_name)]
    queue: String,
    /// The tutorial's behaviour: the broker forgets each message as it sends it, so messages
    /// in flight are lost if this consumer dies (`--prefetch` does not apply).
    #[arg(long, conflicts_with = "ack_in_runs")]
    auto_ack: bool,
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
    let rabbitmq = RabbitMQ::recovering(&args.rabbit, "simple consumer").await?;
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
/// Declares the queue, sets the prefetch, and starts consuming.
async fn subscribe(rabbitmq: &RabbitMQ, args: &Args) -> anyhow::Result<Consumer> {
    let channel = rabbitmq.channel();
    let queue = args.queue.as_str();
    // The same durable queue the producer declares: whichever starts first creates it.
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
    // At most --prefetch unacknowledged messages on their way to this consumer at once.
    if !args.auto_ack {
        channel
            .basic_qos(args.consumer.prefetch, BasicQosOptions::default())
            .await
            .context("setting the prefetch count")?;
    }
    let options = BasicConsumeOptions {
        no_ack: args.auto_ack,
        ..BasicConsumeOptions::default()
    };
    let consumer = channel
        .basic_consume(queue.into(), "".into(), options, FieldTable::default())
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
        // The ack comes after the message is handled (here: printed). Until the broker has
        // it, the message is still the broker's: if this consumer dies first, the broker
        // delivers it again to the queue's next consumer, marked redelivered.
        if !args.auto_ack {
            let ack = delivery.ack(BasicAckOptions::default()).await;
            deliveries.acked(ack)?;
        }
    }
    Ok(deliveries.received())
}
// ANCHOR_END: receive
