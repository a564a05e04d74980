//! # rabbit-rpc-server: remote procedure call, the server (official RabbitMQ tutorial 6)
//!
//! Teaches: request and reply over queues. A client publishes a request to `rpc_queue` with
//! two properties: `reply_to`, the queue where it waits for the answer, and `correlation_id`,
//! which it uses to match the answer to the request. This server takes one request at a time
//! (prefetch 1), computes `fib(n)`, publishes the answer to the `reply_to` queue with the same
//! `correlation_id`, and only then acks the request: if it dies mid-request, the request goes
//! to another server.
//!
//! Bad input never stops it: a request that is not a number, or `n` outside 0..=93 (fib(94)
//! overflows 64 bits), is answered with `error: …`, and the server takes the next request.
//!
//! Run it (or the server and a client together with `just rabbit-rpc`):
//! ```text
//! cargo run -p rabbit-rpc-server                      # terminal 1
//! cargo run -p rabbit-rpc-client -- --n 30 --n 10     # terminal 2
//! ```
//!
//! Output:
//! ```text
//!  [x] Awaiting RPC requests
//!  [.] fib(30) = 832040
//!  [.] fib(10) = 55
//! ```

use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context;
use clap::Parser;
use lapin::options::{
    BasicAckOptions, BasicConsumeOptions, BasicPublishOptions, BasicQosOptions, QueueDeclareOptions,
};
use lapin::types::FieldTable;
use lapin::{BasicProperties, Channel};
use mq_common::config::{RabbitArgs, parse_amqp_name, parse_duration};
use mq_common::flags::ConsumerFlags;
use mq_common::lines::{AWAITING_RPC, FIB_REPLY};
use mq_common::rabbit::{RabbitMQ, names};

/// RPC server: answer fib(n) requests from a queue, one at a time.
#[derive(Parser, Debug)]
#[command(version)]
struct Args {
    /// The queue the requests arrive on.
    #[arg(long, default_value = names::RPC_QUEUE, value_parser = parse_amqp_name)]
    queue: String,
    /// Exit after answering this many requests.
    #[arg(long, value_name = "N")]
    max_requests: Option<u64>,
    /// Exit when no request has arrived for this long (e.g. 5s, 500ms).
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    idle_timeout: Option<Duration>,
    #[command(flatten)]
    rabbit: RabbitArgs,
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let args: Args = mq_common::cli::init();
    mq_common::cli::exit(run(args).await)
}

// ANCHOR: fib
/// The n-th Fibonacci number, or why there is none. (The official tutorial's recursive
/// version takes seconds for n = 40; this loop answers any n that fits in 64 bits at once.)
fn fib(n: i64) -> Result<u64, String> {
    if !(0..=93).contains(&n) {
        return Err(format!("n must be between 0 and 93, got {n}"));
    }
    if n == 0 {
        return Ok(0);
    }
    let (mut a, mut b) = (0u64, 1u64); // fib(0), fib(1)
    for _ in 1..n {
        (a, b) = (b, a + b);
    }
    Ok(b)
}
// ANCHOR_END: fib

async fn run(args: Args) -> anyhow::Result<()> {
    let rabbitmq = RabbitMQ::open(&args.rabbit, "rpc-server").await?;
    let channel = rabbitmq.channel();
    // ANCHOR: serve
    // Durable: the queue that clients address by name stays, with the requests waiting in it,
    // while servers come and go. (The official tutorial declares it non-durable and
    // non-exclusive, which RabbitMQ 4.3 refuses by default.)
    let durable = QueueDeclareOptions {
        durable: true,
        ..QueueDeclareOptions::default()
    };
    channel
        .queue_declare(args.queue.as_str().into(), durable, FieldTable::default())
        .await
        .with_context(|| format!("declaring queue '{}'", args.queue))?;
    // One request at a time: another server started next to this one gets the next request.
    channel
        .basic_qos(1, BasicQosOptions::default())
        .await
        .context("setting the prefetch")?;
    let consumer = channel
        .basic_consume(
            args.queue.as_str().into(),
            "".into(),
            BasicConsumeOptions::default(),
            FieldTable::default(),
        )
        .await
        .with_context(|| format!("consuming from queue '{}'", args.queue))?;
    println!("{AWAITING_RPC}");

    let mut deliveries =
        rabbitmq.deliveries(consumer, &ConsumerFlags::until_idle(args.idle_timeout));
    let mut answered = 0u64;
    while args.max_requests.is_none_or(|max| answered < max)
        && let Some(request) = deliveries.next().await?
    {
        let text = String::from_utf8_lossy(&request.data);
        let answer = match text.trim().parse::<i64>() {
            Ok(n) => fib(n).map(|value| (n, value)),
            Err(_) => Err(format!("'{text}' is not a number")),
        };
        let reply = match answer {
            Ok((n, value)) => {
                println!("{FIB_REPLY}({n}) = {value}");
                value.to_string()
            }
            Err(reason) => {
                println!(" [!] bad request: {reason}");
                format!("error: {reason}")
            }
        };
        reply_to(channel, &request.properties, &reply).await?;
        // The ack comes after the reply: a server that dies before this line leaves the request
        // in the queue for another server.
        request
            .ack(BasicAckOptions::default())
            .await
            .context("acknowledging a request")?;
        answered += 1;
    }
    // ANCHOR_END: serve
    rabbitmq.close().await?;
    log::info!("answered {answered} request(s)");
    Ok(())
}

// ANCHOR: reply
/// Publishes `reply` to the request's `reply_to` queue (through the default exchange), with the
/// request's `correlation_id`, so the client can tell which request it answers.
async fn reply_to(channel: &Channel, request: &BasicProperties, reply: &str) -> anyhow::Result<()> {
    let Some(reply_to) = request.reply_to() else {
        log::warn!("a request without reply_to: nobody to answer, dropped");
        return Ok(());
    };
    let mut properties = BasicProperties::default().with_content_type("text/plain".into());
    if let Some(id) = request.correlation_id() {
        properties = properties.with_correlation_id(id.clone());
    }
    // A client that has gone away took its exclusive reply queue with it; the default exchange
    // then drops the reply, which is what we want.
    channel
        .basic_publish(
            "".into(),
            reply_to.as_str().into(),
            BasicPublishOptions::default(),
            reply.as_bytes(),
            properties,
        )
        .await
        .context("publishing a reply")?;
    Ok(())
}
// ANCHOR_END: reply

#[cfg(test)]
mod tests {
    use super::fib;

    #[test]
    fn fib_values_and_limits() {
        assert_eq!(fib(0), Ok(0));
        assert_eq!(fib(1), Ok(1));
        assert_eq!(fib(10), Ok(55));
        assert_eq!(fib(30), Ok(832_040));
        assert_eq!(fib(93), Ok(12_200_160_415_121_876_738));
        assert!(fib(94).is_err());
        assert!(fib(-1).is_err());
    }
}
