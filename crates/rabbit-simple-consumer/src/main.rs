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

use clap::Parser;
use mq_common::config::{RabbitArgs, parse_amqp_name};
use mq_common::rabbit::{ConsumeOptions, ConsumerArgs, Mode, RabbitMQ, names};

/// Simple mode: print every message of one queue.
#[derive(Parser, Debug)]
#[command(version)]
struct Args {
    /// The queue to consume from.
    #[arg(long, default_value = names::SIMPLE_QUEUE, value_parser = parse_amqp_name)]
    queue: String,
    /// The tutorial's behaviour: the broker forgets each message as it sends it, so messages
    /// in flight are lost if this consumer dies (`--prefetch` does not apply).
    #[arg(long)]
    auto_ack: bool,
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
    let rabbitmq = RabbitMQ::recovering(&args.rabbit, Mode::Simple, &args.queue).await?;
    let options = ConsumeOptions {
        auto_ack: args.auto_ack,
        ..ConsumeOptions::from_args(&args.consumer)
    };
    rabbitmq.consume(&[], &options).await?;
    // ANCHOR_END: main
    Ok(())
}
