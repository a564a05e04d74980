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

use anyhow::Context;
use clap::Parser;
use lapin::Consumer;
use lapin::options::{BasicAckOptions, BasicConsumeOptions, BasicQosOptions, QueueDeclareOptions};
use lapin::types::FieldTable;
use mq_common::config::{RabbitArgs, parse_amqp_name, parse_duration};
use mq_common::flags::{ConsumerDefaults, RabbitConsumerFlags};
use mq_common::lines::{RECEIVED, WAITING};
use mq_common::output::preview;
use mq_common::rabbit::{Deliveries, RabbitMQ, names, tuned};

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
    #[arg(long, conflicts_with = "ack_in_runs")]
    auto_ack: bool,
    #[command(flatten)]
    consumer: RabbitConsumerFlags<FairDispatch>,
    #[command(flatten)]
    rabbit: RabbitArgs,
}

// ANCHOR: fair
/// Fair dispatch: a worker holds at most one unacknowledged task (`--prefetch 1`).
#[derive(Debug, Clone, Copy)]
struct FairDispatch;

impl ConsumerDefaults for FairDispatch {
    const PREFETCH: u16 = 1;
}
// ANCHOR_END: fair

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let args: Args = mq_common::cli::init();
    mq_common::cli::exit(run(args).await)
}

async fn run(args: Args) -> anyhow::Result<()> {
    let rabbitmq = RabbitMQ::recovering(&args.rabbit, "worker consumer").await?;
    let consumer = subscribe(&rabbitmq, &args).await?;
    println!("{WAITING}. To exit press CTRL+C");
    let deliveries = rabbitmq.deliveries(consumer, &args.consumer.common);
    let received = if args.consumer.ack_in_runs {
        // --ack-in-runs: the chapter "Going faster".
        let (prefetch, quiet) = (args.consumer.prefetch, args.consumer.common.quiet);
        tuned::consume_acking_in_runs(deliveries, prefetch, args.work, quiet).await?
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
    // Fair dispatch: the broker pushes at most --prefetch (1) unacknowledged tasks to this
    // worker, so a busy worker gets no new task until it has acked the last one. Prefetch
    // means nothing with auto-ack: the broker counts a message as done as it sends it.
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
/// Receives until `--max-messages`, `--idle-timeout` or Ctrl+C: print each message, do its work,
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
        if !args.work.is_zero() {
            tokio::time::sleep(args.work).await; // the "work" of a worker
        }
        // The ack comes after the work: until the broker has it, the message is still the
        // broker's, and if this consumer dies first, the broker gives it to another.
        if !args.auto_ack {
            let ack = delivery.ack(BasicAckOptions::default()).await;
            deliveries.acked(ack)?;
        }
    }
    Ok(deliveries.received())
}
// ANCHOR_END: receive
