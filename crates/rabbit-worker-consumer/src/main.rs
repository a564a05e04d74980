//! # rabbit-worker-consumer: worker mode, one of the competing workers (tutorial 1.3②, 2. worker)
//!
//! Teaches: how a queue shares work between consumers, and how to do it without losing tasks.
//!
//! A queue always hands each message to exactly one of its consumers; no "syncronize" switch is
//! needed for that (the tutorial's 1.1② says otherwise). What the tutorial's `ConsumeWorker`
//! gets wrong is the rest:
//! - **manual ack, after the work**: with auto-ack the broker forgets a task the moment it
//!   sends it, so a worker that crashes mid-task loses it. Here the ack comes after the work;
//!   if the worker dies first, the broker gives the task to another worker.
//! - **prefetch 1, for fair dispatch**: without a prefetch limit the broker pushes tasks
//!   round-robin as fast as it can, so a slow worker piles up a backlog while a fast one
//!   idles. With prefetch 1 a worker gets its next task only after acking the last.
//!
//! `--auto-ack` runs the tutorial's version, for comparison.
//!
//! Run two workers and a producer (or all at once with `just rabbit-worker`):
//! ```text
//! cargo run -p rabbit-worker-consumer -- --work 50ms   # terminal 1
//! cargo run -p rabbit-worker-consumer                 # terminal 2
//! cargo run -p rabbit-worker-producer                 # terminal 3
//! ```
//!
//! Output (each worker prints only its own share):
//! ```text
//!  [*] Waiting for messages. To exit press CTRL+C
//!  [x] Received hello 0 (routing key ziyiWorker)
//!  [x] Received hello 2 (routing key ziyiWorker)
//! ```

use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use mq_common::config::{RabbitArgs, parse_amqp_name, parse_duration};
use mq_common::rabbit::{ConsumeOptions, ConsumerArgs, Mode, RabbitMQ, names};

/// Worker mode: take tasks from a shared queue, ack each after the work, one at a time.
#[derive(Parser, Debug)]
#[command(version)]
struct Args {
    /// The queue to take tasks from.
    #[arg(long, default_value = names::WORKER_QUEUE, value_parser = parse_amqp_name)]
    queue: String,
    /// Simulated work per task, done before the ack (e.g. 50ms, 1s).
    #[arg(long, default_value = "0", value_name = "DURATION", value_parser = parse_duration)]
    work: Duration,
    /// The tutorial's behaviour: auto-ack and no prefetch limit. Tasks in flight are lost
    /// if this worker dies, and a slow worker gets as many tasks as a fast one.
    #[arg(long)]
    auto_ack: bool,
    #[command(flatten)]
    consumer: ConsumerArgs,
    #[command(flatten)]
    rabbit: RabbitArgs,
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    // Fair dispatch: a worker holds at most one unacknowledged task.
    let args: Args = mq_common::cli::init_with(|command| {
        command.mut_arg("prefetch", |arg| arg.default_value("1"))
    });
    mq_common::cli::exit(run(args).await)
}

async fn run(args: Args) -> anyhow::Result<()> {
    // ANCHOR: main
    let options = ConsumeOptions {
        auto_ack: args.auto_ack,
        work: args.work,
        ..ConsumeOptions::from_args(&args.consumer)
    };
    let rabbitmq = RabbitMQ::recovering(&args.rabbit, Mode::Worker, &args.queue).await?;
    rabbitmq.consume(&[], &options).await?;
    // ANCHOR_END: main
    Ok(())
}
