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

use clap::Parser;
use mq_common::config::{RabbitArgs, parse_amqp_name};
use mq_common::flags::ProducerDefaults;
use mq_common::rabbit::{ProducerArgs, RabbitMQ, names};

/// Publish/subscribe: publish 21 messages to a fanout exchange, one per second.
#[derive(Parser, Debug)]
#[command(version)]
struct Args {
    /// The fanout exchange to publish to.
    #[arg(long, default_value = names::PUBSUB_EXCHANGE, value_parser = parse_amqp_name)]
    exchange: String,
    #[command(flatten)]
    producer: ProducerArgs,
    #[command(flatten)]
    rabbit: RabbitArgs,
}

/// The tutorial's producer.go: `for i := 0; i <= 20; i++ { PublishPub(...); Sleep(1s) }`.
const DEFAULTS: ProducerDefaults = ProducerDefaults {
    count: "21",
    interval: "1s",
    message: "订阅模式生产第{i}条数据",
};

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let args: Args = mq_common::cli::init_with(|command| DEFAULTS.apply(command));
    mq_common::cli::exit(run(args).await)
}

async fn run(args: Args) -> anyhow::Result<()> {
    // ANCHOR: main
    let mut rabbitmq = RabbitMQ::pubsub(&args.rabbit, &args.exchange).await?;
    // A fanout exchange ignores routing keys.
    rabbitmq.publish_all(&args.producer, &[]).await?;
    // ANCHOR_END: main
    Ok(())
}
