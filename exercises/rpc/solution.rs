//! # Exercise `rpc`: the client's half of RPC (chapter: RPC)
//!
//! The client sends every request (`--n`, repeatable) to the server's queue before the first
//! reply comes back, so the replies may come in any order. Write its two missing pieces:
//! - [`reply_queue`]: the queue the server sends the replies to. Only this client reads it,
//!   and it should go away with the client: let the broker name it, and make it exclusive.
//! - [`matching`]: which request a reply answers. Each request carries its own correlation
//!   id; the reply comes back with the same one. A reply whose id is not one of ours is
//!   skipped: a second answer to a request already answered (a server that died after replying
//!   and before its ack), or one the checker sends to see that it is skipped. (A reply to an
//!   earlier run cannot come: each run has a new exclusive reply queue.)
//!
//! Run it: `just rabbit-rpc server --queue $USER-rpc` in one terminal, then
//! `cargo run -p ex-rpc -- --queue $USER-rpc --n 30 --n 10`. Check it: `just check rpc`.

use std::collections::HashMap;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, bail};
use clap::Parser;
use futures_lite::StreamExt;
use lapin::message::Delivery;
use lapin::options::{BasicConsumeOptions, BasicPublishOptions, QueueDeclareOptions};
use lapin::types::FieldTable;
use lapin::{BasicProperties, Channel};
use mq_common::config::{RabbitArgs, parse_amqp_name};
use mq_common::rabbit::RabbitMQ;
use mq_common::student::prefixed;

/// Exercise `rpc`: ask the server for fib(n), every request in flight at once.
#[derive(Parser, Debug)]
struct Args {
    /// Ask for fib(N); repeat for several requests.
    #[arg(long = "n", value_name = "N", default_value = "30")]
    n: Vec<u32>,
    /// The server's queue (your student name comes first).
    #[arg(long, default_value_t = prefixed("rpc"), value_parser = parse_amqp_name)]
    queue: String,
    /// Give up when no reply has come for this long, in seconds.
    #[arg(long, default_value_t = 10)]
    timeout: u64,
    #[command(flatten)]
    rabbit: RabbitArgs,
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let args: Args = mq_common::cli::init();
    mq_common::cli::exit(run(args).await)
}

async fn run(args: Args) -> anyhow::Result<()> {
    let rabbitmq = RabbitMQ::open(&args.rabbit, "exercise rpc").await?;
    let channel = rabbitmq.channel();
    let reply_to = reply_queue(channel).await?;
    println!(" [*] replies come to {reply_to}");
    let mut replies = channel
        .basic_consume(
            reply_to.as_str().into(),
            "".into(),
            BasicConsumeOptions {
                no_ack: true,
                ..BasicConsumeOptions::default()
            },
            FieldTable::default(),
        )
        .await
        .context("consuming the reply queue")?;
    // Every request first, each with its own correlation id.
    let mut pending: HashMap<String, u32> = HashMap::new();
    for (i, n) in args.n.iter().enumerate() {
        let id = format!("{}-{i}", std::process::id());
        let properties = BasicProperties::default()
            .with_reply_to(reply_to.as_str().into())
            .with_correlation_id(id.as_str().into());
        channel
            .basic_publish(
                "".into(),
                args.queue.as_str().into(),
                BasicPublishOptions::default(),
                n.to_string().as_bytes(),
                properties,
            )
            .await
            .with_context(|| format!("requesting fib({n})"))?;
        println!(" [x] Requesting fib({n})");
        pending.insert(id, *n);
    }
    // Then the replies, in whatever order they come.
    while !pending.is_empty() {
        let next = tokio::time::timeout(Duration::from_secs(args.timeout), replies.next()).await;
        let reply = match next {
            Ok(Some(reply)) => reply.context("receiving a reply")?,
            Ok(None) => bail!("the broker cancelled the reply consumer"),
            Err(_) => bail!(
                "no reply within {} s for {} request(s): is the server running on '{}'?",
                args.timeout,
                pending.len(),
                args.queue
            ),
        };
        match matching(&reply, &mut pending) {
            Some(n) => println!(" [.] fib({n}) = {}", String::from_utf8_lossy(&reply.data)),
            None => println!(" [?] skipped a reply that answers none of our requests"),
        }
    }
    rabbitmq.close().await
}

// ANCHOR: task
/// Declares the reply queue and returns its name.
async fn reply_queue(channel: &Channel) -> anyhow::Result<String> {
    // EXERCISE: queue_declare("" so that the broker names it, with exclusive: true); return its name()
    let queue = channel
        .queue_declare(
            "".into(),
            QueueDeclareOptions {
                exclusive: true,
                ..QueueDeclareOptions::default()
            },
            FieldTable::default(),
        )
        .await
        .context("declaring the reply queue")?;
    Ok(queue.name().to_string())
    // END EXERCISE
}

/// The request `reply` answers, taken out of `pending`; `None` if it answers none of them.
fn matching(reply: &Delivery, pending: &mut HashMap<String, u32>) -> Option<u32> {
    // EXERCISE: read reply.properties.correlation_id(), and remove that id from pending
    let id = reply.properties.correlation_id().as_ref()?;
    pending.remove(id.as_str())
    // END EXERCISE
}
// ANCHOR_END: task
