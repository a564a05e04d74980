//! # rabbit-worker-producer: worker mode, the sending side (tutorial 1.3②, 2. worker)
//!
//! Teaches: a work queue. The producer fills one queue with tasks as fast as it can; several
//! workers (`rabbit-worker-consumer`) share them out, each task going to exactly one worker.
//!
//! Run it (or everything at once with `just rabbit-worker`):
//! ```text
//! cargo run -p rabbit-worker-consumer          # terminal 1
//! cargo run -p rabbit-worker-consumer          # terminal 2
//! cargo run -p rabbit-worker-producer          # terminal 3
//! ```
//!
//! Output:
//! ```text
//!  [x] Sent 'hello 0'
//!  ...
//!  [x] Sent 'hello 99'
//! ```

use std::process::ExitCode;

use clap::Parser;
use mq_common::config::{RabbitArgs, parse_amqp_name};
use mq_common::flags::ProducerDefaults;
use mq_common::rabbit::{ProducerArgs, RabbitMQ, names};

/// Worker mode: publish 100 tasks to one queue, with no pause.
#[derive(Parser, Debug)]
#[command(version)]
struct Args {
    /// The queue the workers consume from.
    #[arg(long, default_value = names::WORKER_QUEUE, value_parser = parse_amqp_name)]
    queue: String,
    #[command(flatten)]
    producer: ProducerArgs,
    #[command(flatten)]
    rabbit: RabbitArgs,
}

/// The tutorial's producer.go: `for i := 0; i < 100; i++ { Publish("hello i") }`.
const DEFAULTS: ProducerDefaults = ProducerDefaults {
    count: "100",
    interval: "0",
    message: "hello {i}",
};

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let args: Args = mq_common::cli::init_with(|command| DEFAULTS.apply(command));
    mq_common::cli::exit(run(args).await)
}

async fn run(args: Args) -> anyhow::Result<()> {
    // ANCHOR: main
    let mut rabbitmq = RabbitMQ::worker(&args.rabbit, &args.queue).await?;
    rabbitmq.publish_all(&args.producer, &[]).await?;
    // ANCHOR_END: main
    Ok(())
}
