//! # rabbit-simple-producer: simple mode, the sending side (tutorial 1.3②, 1. simple)
//!
//! Teaches: the simplest path a message can take. The producer declares a queue and publishes
//! to it through the default exchange (`""`), whose routing key is the queue's name. The queue
//! holds each message until a consumer takes it, so it does not matter who starts first.
//!
//! Run it in two terminals (or both at once with `just rabbit-simple`):
//! ```text
//! cargo run -p rabbit-simple-consumer
//! cargo run -p rabbit-simple-producer
//! ```
//!
//! Output, one line every 2 s:
//! ```text
//!  [x] Sent 'hello 0'
//!  [x] Sent 'hello 1'
//!  ...
//!  [x] Sent 'hello 4'
//! ```

use std::process::ExitCode;

use clap::Parser;
use mq_common::config::{RabbitArgs, parse_amqp_name};
use mq_common::flags::ProducerDefaults;
use mq_common::rabbit::{ProducerArgs, RabbitMQ, names};

/// Simple mode: publish `hello 0` … `hello 4` to one queue, one every 2 s.
#[derive(Parser, Debug)]
#[command(version)]
struct Args {
    /// The queue to publish to.
    #[arg(long, default_value = names::SIMPLE_QUEUE, value_parser = parse_amqp_name)]
    queue: String,
    #[command(flatten)]
    producer: ProducerArgs,
    #[command(flatten)]
    rabbit: RabbitArgs,
}

/// The tutorial's producer.go: `for i := 0; i < 5; i++ { time.Sleep(2s); Publish("hello i") }`.
const DEFAULTS: ProducerDefaults = ProducerDefaults {
    count: "5",
    interval: "2s",
    message: "hello {i}",
};

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let args: Args = mq_common::cli::init_with(|command| DEFAULTS.apply(command));
    mq_common::cli::exit(run(args).await)
}

async fn run(args: Args) -> anyhow::Result<()> {
    // ANCHOR: main
    let mut rabbitmq = RabbitMQ::simple(&args.rabbit, &args.queue).await?;
    rabbitmq.publish_all(&args.producer, &[]).await?;
    // ANCHOR_END: main
    Ok(())
}
