//! # Exercise `confirms`: account for every message (chapter: Publisher confirms)
//!
//! The producer publishes `--count` messages on a channel in confirm mode and keeps each
//! message's confirm. Settle them: count the ones the broker acked, print a ` [!]` line for
//! every message it nacked or never confirmed (the broker closes the channel over a message
//! larger than its limit: try `--size 16777217`), and fail, so that the exit code is non-zero,
//! if there was any.
//!
//! Run it: `cargo run -p ex-confirms -- --count 10`. Check it: `just check confirms`.

// A starter: until you write the missing lines, some imports and parameters are unused.
#![allow(
    unused_imports,
    unused_variables,
    unused_assignments,
    unreachable_code,
    dead_code
)]

use std::process::ExitCode;

use anyhow::{Context, bail};
use clap::Parser;
use lapin::options::{BasicPublishOptions, ConfirmSelectOptions, QueueDeclareOptions};
use lapin::types::FieldTable;
use lapin::{BasicProperties, Confirmation, PublisherConfirm};
use mq_common::config::RabbitArgs;
use mq_common::rabbit::RabbitMQ;

/// Exercise `confirms`: publish with publisher confirms and report what was not confirmed.
#[derive(Parser, Debug)]
struct Args {
    #[arg(long, default_value_t = 10)]
    count: u64,
    /// Pad each message to this many bytes.
    #[arg(long)]
    size: Option<usize>,
    #[command(flatten)]
    rabbit: RabbitArgs,
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let args: Args = mq_common::cli::init();
    mq_common::cli::exit(run(args).await)
}

async fn run(args: Args) -> anyhow::Result<()> {
    let rabbitmq = RabbitMQ::open(&args.rabbit, "exercise confirms").await?;
    let channel = rabbitmq.channel();
    channel
        .confirm_select(ConfirmSelectOptions::default())
        .await
        .context("turning on confirms")?;
    // A queue of our own, gone with the connection.
    let options = QueueDeclareOptions {
        exclusive: true,
        ..QueueDeclareOptions::default()
    };
    let queue = channel
        .queue_declare("".into(), options, FieldTable::default())
        .await
        .context("declaring a queue")?;
    let mut pending = Vec::new();
    for i in 0..args.count {
        let mut body = format!("message {i}").into_bytes();
        if let Some(size) = args.size {
            body.resize(size.max(body.len()), b'.');
        }
        let published = channel
            .basic_publish(
                "".into(),
                queue.name().as_str().into(),
                BasicPublishOptions::default(),
                &body,
                BasicProperties::default(),
            )
            .await;
        match published {
            Ok(confirm) => pending.push((i, confirm)),
            // The broker closed the channel (it refused an earlier message): stop here.
            Err(err) => {
                println!(" [!] message {i} was not published: {err}");
                break;
            }
        }
    }
    let settled = settle(pending, args.count).await;
    rabbitmq.close().await?;
    settled
}

// ANCHOR: task
/// Waits for the confirm of every published message (`(number, confirm)` pairs), prints
/// ` [!] message <i> not confirmed: <why>` for each one the broker did not ack, then
/// ` [.] <n> of <count> confirmed`, and fails if not all `count` were confirmed.
async fn settle(pending: Vec<(u64, PublisherConfirm)>, count: u64) -> anyhow::Result<()> {
    todo!("await each confirm: Ok(Confirmation::Ack(_)) is confirmed; Nack or Err is not")
}
// ANCHOR_END: task
