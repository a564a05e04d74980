//! # rabbit-rpc-client: remote procedure call, the client (official RabbitMQ tutorial 6)
//!
//! Teaches: how a client gets its answer back. It declares its own **reply queue** (exclusive:
//! server-named, only this connection may use it, deleted when it disconnects) and consumes
//! it. Each request it publishes to `rpc_queue` carries `reply_to` (that queue) and a fresh
//! `correlation_id`; each reply comes back with the same id, so the client can match replies
//! to requests even when several are in flight, or when they come back out of order.
//!
//! A reply with an id it does not know (for instance one meant for an earlier run of this
//! client) is logged and ignored. If no reply comes for `--timeout`, the client gives up: the
//! server is not running, or is stuck. Its requests then expire from the queue, so a server
//! started later does not work for nobody.
//!
//! Run it (or the server and a client together with `just rabbit-rpc`):
//! ```text
//! cargo run -p rabbit-rpc-server                          # terminal 1
//! cargo run -p rabbit-rpc-client -- --n 30 --n 10 --n 5   # terminal 2
//! ```
//!
//! Output:
//! ```text
//!  [x] Requesting fib(30)
//!  [x] Requesting fib(10)
//!  [.] fib(30) = 832040
//!  [.] fib(10) = 55
//! ```

use std::collections::HashMap;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, bail};
use clap::Parser;
use futures_lite::StreamExt;
use lapin::options::{BasicConsumeOptions, BasicPublishOptions, QueueDeclareOptions};
use lapin::types::FieldTable;
use lapin::{BasicProperties, Consumer};
use mq_common::config::{RabbitArgs, parse_amqp_name, parse_duration};
use mq_common::lines::FIB_REPLY;
use mq_common::output::preview;
use mq_common::rabbit::{RabbitMQ, names};

/// RPC client: ask the server for fib(n), several requests in flight, replies matched by id.
#[derive(Parser, Debug)]
#[command(version)]
struct Args {
    /// Ask for fib(N); repeat for several requests, all sent before the first reply arrives.
    #[arg(
        long = "n",
        value_name = "N",
        default_value = "30",
        allow_negative_numbers = true
    )]
    n: Vec<i64>,
    /// Send the list of --n this many times.
    #[arg(long, default_value_t = 1, value_name = "TIMES")]
    count: u64,
    /// Give up when no reply has come for this long (e.g. 10s, 500ms).
    #[arg(long, default_value = "10s", value_name = "DURATION", value_parser = parse_duration)]
    timeout: Duration,
    /// The queue the server takes requests from.
    #[arg(long, default_value = names::RPC_QUEUE, value_parser = parse_amqp_name)]
    queue: String,
    /// Don't print a line per request and reply (for benchmarks).
    #[arg(long)]
    quiet: bool,
    #[command(flatten)]
    rabbit: RabbitArgs,
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let args: Args = mq_common::cli::init();
    mq_common::cli::exit(run(args).await)
}

async fn run(args: Args) -> anyhow::Result<()> {
    let rabbitmq = RabbitMQ::open(&args.rabbit, "rpc-client").await?;
    let channel = rabbitmq.channel();
    // ANCHOR: reply_queue
    // The reply queue: the server names it, it is ours alone, and it goes when we go.
    let reply_queue = channel
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
    // Replies are not acked: losing one only means this client times out.
    let replies = channel
        .basic_consume(
            reply_queue.name().as_str().into(),
            "".into(),
            BasicConsumeOptions {
                no_ack: true,
                ..BasicConsumeOptions::default()
            },
            FieldTable::default(),
        )
        .await
        .context("consuming the reply queue")?;
    // ANCHOR_END: reply_queue

    // ANCHOR: request
    // Every request first, each with its own correlation id; then the replies, in any order.
    let run_id: u32 = rand::random();
    let mut pending: HashMap<String, i64> = HashMap::new();
    let requests = (0..args.count).flat_map(|_| args.n.iter().copied());
    for (i, n) in requests.enumerate() {
        let correlation_id = format!("{run_id:08x}-{i}");
        let properties = BasicProperties::default()
            .with_reply_to(reply_queue.name().clone())
            .with_correlation_id(correlation_id.as_str().into())
            // A request nobody answers in time expires instead of waiting in the queue.
            .with_expiration(args.timeout.as_millis().to_string().into());
        channel
            .basic_publish(
                "".into(),
                args.queue.as_str().into(),
                BasicPublishOptions::default(),
                n.to_string().as_bytes(),
                properties,
            )
            .await
            .with_context(|| format!("publishing the request for fib({n})"))?;
        if !args.quiet {
            println!(" [x] Requesting fib({n})");
        }
        pending.insert(correlation_id, n);
    }
    // ANCHOR_END: request
    let failed = receive_replies(replies, &mut pending, &args).await;
    rabbitmq.close().await?;
    match failed? {
        0 => Ok(()),
        failed => bail!("the server refused {failed} request(s)"),
    }
}

// ANCHOR: replies
/// Waits for a reply to every pending request, matching each by its correlation id. Returns how
/// many the server answered with an error.
async fn receive_replies(
    mut replies: Consumer,
    pending: &mut HashMap<String, i64>,
    args: &Args,
) -> anyhow::Result<u64> {
    let mut failed = 0;
    while !pending.is_empty() {
        let reply = match tokio::time::timeout(args.timeout, replies.next()).await {
            Ok(Some(reply)) => reply.context("receiving a reply")?,
            Ok(None) => bail!("the broker cancelled the reply consumer"),
            Err(_) => bail!(
                "no reply within {:?} for {} request(s): is rabbit-rpc-server running? (`just rabbit-rpc server`)",
                args.timeout,
                pending.len()
            ),
        };
        let id = reply
            .properties
            .correlation_id()
            .as_ref()
            .map(|id| id.to_string());
        let Some(n) = id.as_ref().and_then(|id| pending.remove(id)) else {
            // Not one of ours (a late reply to an earlier run, or a stray message): skip it.
            log::warn!(
                "ignoring a reply with unknown correlation id {id:?}: '{}'",
                preview(&reply.data)
            );
            continue;
        };
        let text = String::from_utf8_lossy(&reply.data);
        if text.starts_with("error: ") {
            failed += 1;
            println!(" [!] fib({n}): {text}");
        } else if !args.quiet {
            println!("{FIB_REPLY}({n}) = {text}");
        }
    }
    Ok(failed)
}
// ANCHOR_END: replies
