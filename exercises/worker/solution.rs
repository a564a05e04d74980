//! # Exercise `worker`: fair and lossless dispatch (chapter: Worker mode)
//!
//! Two workers take tasks from one queue. Make the dispatch **fair** (a busy worker gets no new
//! task until it has finished the last one) and **lossless** (a worker that dies mid-task
//! leaves that task to another worker). Two steps: set the prefetch, and ack after the work.
//!
//! Run it: `cargo run -p ex-worker -- work --work 50ms` and `cargo run -p ex-worker -- work`
//! in two terminals, then `cargo run -p ex-worker -- publish --count 20`. Check it:
//! `just check worker`.

use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context;
use clap::{Parser, Subcommand};
use lapin::message::Delivery;
use lapin::options::{
    BasicAckOptions, BasicConsumeOptions, BasicPublishOptions, BasicQosOptions, QueueDeclareOptions,
};
use lapin::types::FieldTable;
use lapin::{BasicProperties, Channel};
use mq_common::config::{RabbitArgs, parse_duration};
use mq_common::flags::ConsumerFlags;
use mq_common::output::preview;
use mq_common::rabbit::RabbitMQ;
use mq_common::student::prefixed;

/// Exercise `worker`: publish tasks, or work on them.
#[derive(Parser, Debug)]
struct Args {
    #[command(subcommand)]
    role: Role,
    /// The task queue (your student name comes first).
    #[arg(long, global = true, default_value_t = prefixed("tasks"))]
    queue: String,
    #[command(flatten)]
    rabbit: RabbitArgs,
}

#[derive(Subcommand, Debug)]
enum Role {
    /// Publish `task 0`, `task 1`, …
    Publish {
        #[arg(long, default_value_t = 20)]
        count: u64,
    },
    /// Take tasks one by one: print, work, print done.
    Work {
        /// How long each task takes (e.g. 50ms).
        #[arg(long, default_value = "10ms", value_parser = parse_duration)]
        work: Duration,
        #[arg(long, value_parser = parse_duration)]
        idle_timeout: Option<Duration>,
    },
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let args: Args = mq_common::cli::init();
    mq_common::cli::exit(run(args).await)
}

async fn run(args: Args) -> anyhow::Result<()> {
    let rabbitmq = RabbitMQ::open(&args.rabbit, "exercise worker").await?;
    let channel = rabbitmq.channel();
    // Durable, as in the chapter: RabbitMQ 4.3 refuses a non-durable, non-exclusive queue.
    let durable = QueueDeclareOptions {
        durable: true,
        ..QueueDeclareOptions::default()
    };
    channel
        .queue_declare(args.queue.as_str().into(), durable, FieldTable::default())
        .await
        .with_context(|| format!("declaring queue '{}'", args.queue))?;
    match args.role {
        Role::Publish { count } => {
            for i in 0..count {
                let body = format!("task {i}");
                channel
                    .basic_publish(
                        "".into(),
                        args.queue.as_str().into(),
                        BasicPublishOptions::default(),
                        body.as_bytes(),
                        BasicProperties::default(),
                    )
                    .await
                    .context("publishing")?;
                println!(" [x] Sent '{body}'");
            }
        }
        Role::Work { work, idle_timeout } => {
            set_prefetch(channel).await?;
            let consumer = channel
                .basic_consume(
                    args.queue.as_str().into(),
                    "".into(),
                    BasicConsumeOptions::default(),
                    FieldTable::default(),
                )
                .await
                .context("consuming")?;
            println!(" [*] Waiting for messages. To exit press CTRL+C");
            let mut deliveries =
                rabbitmq.deliveries(consumer, &ConsumerFlags::until_idle(idle_timeout));
            while let Some(task) = deliveries.next().await? {
                println!(" [x] Received {}", preview(&task.data));
                tokio::time::sleep(work).await; // the work
                println!(" [x] Done {}", preview(&task.data));
                finish(task).await?;
            }
        }
    }
    rabbitmq.close().await
}

// ANCHOR: task
/// Step 1: fair dispatch. The broker may push only one unacknowledged task to this worker.
async fn set_prefetch(channel: &Channel) -> anyhow::Result<()> {
    // EXERCISE: channel.basic_qos(prefetch count, options); see the Worker mode page
    channel
        .basic_qos(1, BasicQosOptions::default())
        .await
        .context("setting the prefetch")
    // END EXERCISE
}

/// Step 2: the task is done; tell the broker, so it can forget it and send the next one.
async fn finish(task: Delivery) -> anyhow::Result<()> {
    // EXERCISE: acknowledge the task (it is called only after the work is done)
    task.ack(BasicAckOptions::default())
        .await
        .context("acknowledging")?;
    Ok(())
    // END EXERCISE
}
// ANCHOR_END: task
