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

use clap::Parser;
use mq_common::config::{RabbitArgs, parse_amqp_name};
use mq_common::rabbit::{ConsumeOptions, ConsumerArgs, Mode, RabbitMQ, names};

/// Publish/subscribe: receive every message published to a fanout exchange.
#[derive(Parser, Debug)]
#[command(version)]
struct Args {
    /// The fanout exchange to subscribe to.
    #[arg(long, default_value = names::PUBSUB_EXCHANGE, value_parser = parse_amqp_name)]
    exchange: String,
    #[command(flatten)]
    consumer: ConsumerArgs,
    #[command(flatten)]
    rabbit: RabbitArgs,
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let args: Args = mq_common::cli::init();
    mq_common::cli::exit(run(args).await)
}

async fn run(args: Args) -> anyhow::Result<()> {
    // ANCHOR: main
    let rabbitmq = RabbitMQ::recovering(&args.rabbit, Mode::PubSub, &args.exchange).await?;
    rabbitmq
        .consume(&[], &ConsumeOptions::from_args(&args.consumer))
        .await?;
    // ANCHOR_END: main
    Ok(())
}
