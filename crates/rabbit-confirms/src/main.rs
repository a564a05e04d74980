//! # rabbit-confirms: publisher confirms, three strategies (official RabbitMQ tutorial 7)
//!
//! Teaches: how a producer learns that the broker has taken responsibility for a message. On a
//! channel in confirm mode the broker acks every message once it is routed to its queues (for
//! a persistent message in a durable queue: written to disk, in the broker's next batch), or
//! nacks it when it cannot. A confirm says nothing about consumers: it is the broker's promise,
//! not a delivery receipt.
//!
//! Three ways to wait for the confirms, each timed here on its own channel:
//! - **individual**: publish, wait for its confirm, publish the next. Simple, and one round trip
//!   per message;
//! - **batch**: publish `--batch-size` messages, then wait for their confirms. One round trip
//!   per batch; a failure is known only per batch;
//! - **async**: publish without waiting; a separate task takes each confirm as it comes back.
//!   As fast as the broker goes, and the task still learns the fate of every message.
//!
//! Every message is accounted for: confirmed, nacked, returned (with the mandatory flag, a
//! message that no queue takes comes back as a basic.return before its ack) or not confirmed
//! at all, for instance because the broker closed the channel over a message larger than its
//! `max_message_size`. The exit code is 0 only if every message reached a queue.
//!
//! Run it (or `just rabbit-confirms`):
//! ```text
//! cargo run -p rabbit-confirms
//! cargo run -p rabbit-confirms -- --strategy batch --batch-size 500 --count 20000
//! cargo run -p rabbit-confirms -- --strategy individual --count 10 --unroutable 2
//! ```
//!
//! Output:
//! ```text
//! strategy     messages   seconds     msg/s  confirmed  nacked  returned  not confirmed  not sent
//! individual       5000      1.92      2604       5000       0         0              0         0
//! ```

use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use clap::{Parser, ValueEnum};
use lapin::options::{BasicPublishOptions, ConfirmSelectOptions, QueueDeclareOptions};
use lapin::types::FieldTable;
use lapin::{BasicProperties, Channel, PublisherConfirm};
use mq_common::config::{RabbitArgs, parse_amqp_name};
use mq_common::flags::{ProducerDefaults, ProducerFlags};
use mq_common::limits::RabbitLimit;
use mq_common::rabbit::{RabbitMQ, Summary};

/// Publisher confirms: publish --count messages with each strategy and compare.
#[derive(Parser, Debug)]
#[command(version)]
struct Args {
    /// Which way to wait for the confirms (all three, one after the other, by default).
    #[arg(long, value_enum)]
    strategy: Option<Strategy>,
    /// Publish to this durable queue (declared if missing) instead of a server-named queue of
    /// this run's own, e.g. to read the messages with `rabbit-simple-consumer --queue NAME`.
    #[arg(long, value_name = "NAME", value_parser = parse_amqp_name)]
    queue: Option<String>,
    /// Messages per batch, for the batch strategy.
    #[arg(long, default_value_t = 100, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=100_000))]
    batch_size: u64,
    /// Send this many of the messages with a routing key that no queue has: with the mandatory
    /// flag, the broker returns them.
    #[arg(long, default_value_t = 0, value_name = "N")]
    unroutable: u64,
    #[command(flatten)]
    flags: ProducerFlags<ConfirmsDefaults>,
    #[command(flatten)]
    limit: RabbitLimit,
    #[command(flatten)]
    rabbit: RabbitArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Strategy {
    Individual,
    Batch,
    Async,
}

impl Strategy {
    fn name(self) -> &'static str {
        match self {
            Strategy::Individual => "individual",
            Strategy::Batch => "batch",
            Strategy::Async => "async",
        }
    }
}

/// The official tutorial publishes 50,000 messages; 10,000 keep the individual strategy short.
#[derive(Debug, Clone, Copy)]
struct ConfirmsDefaults;

impl ProducerDefaults for ConfirmsDefaults {
    const COUNT: u64 = 10000;
    const INTERVAL: &'static str = "0";
    const MESSAGE: &'static str = "message {i}";
}

// One connection; the async strategy's confirm task shares the one thread (see
// `mq_common::rabbit`).
#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let args: Args = mq_common::cli::init();
    mq_common::cli::exit(run(args).await)
}

/// Message `i`'s body, from `--message` and `--size`.
fn body(args: &Args, i: u64) -> Vec<u8> {
    mq_common::output::body(&args.flags.message, i, "", args.flags.size)
}

/// What one strategy publishes to, and how: a channel in confirm mode and its own queue.
struct Target {
    channel: Channel,
    queue: String,
    args: Arc<Args>,
}

impl Target {
    async fn open(rabbitmq: &RabbitMQ, args: &Arc<Args>) -> anyhow::Result<Self> {
        // ANCHOR: confirm_select
        let channel = rabbitmq.create_channel().await?;
        channel
            .confirm_select(ConfirmSelectOptions::default())
            .await
            .context("turning on publisher confirms")?;
        // ANCHOR_END: confirm_select
        // A server-named queue of our own: 30 students on one broker do not collide, and it
        // goes away with the connection. With --queue, a durable queue that a consumer reads.
        let (name, options) = match &args.queue {
            Some(name) => (
                name.as_str(),
                QueueDeclareOptions {
                    durable: true,
                    ..QueueDeclareOptions::default()
                },
            ),
            None => (
                "",
                QueueDeclareOptions {
                    exclusive: true,
                    ..QueueDeclareOptions::default()
                },
            ),
        };
        let queue = channel
            .queue_declare(name.into(), options, FieldTable::default())
            .await
            .with_context(|| format!("declaring queue '{name}'"))?;
        Ok(Self {
            channel,
            queue: queue.name().to_string(),
            args: Arc::clone(args),
        })
    }

    // ANCHOR: publish
    fn body(&self, i: u64) -> Vec<u8> {
        body(&self.args, i)
    }

    /// Publishes message `i` with the mandatory flag; the first `--unroutable` go to a routing
    /// key that no queue has.
    async fn publish(&self, i: u64) -> anyhow::Result<PublisherConfirm> {
        let routing_key = if i < self.args.unroutable {
            "no-queue-has-this-key"
        } else {
            self.queue.as_str()
        };
        let options = BasicPublishOptions {
            mandatory: true,
            ..BasicPublishOptions::default()
        };
        let confirm = self
            .channel
            .basic_publish(
                "".into(),
                routing_key.into(),
                options,
                &self.body(i),
                BasicProperties::default(),
            )
            .await
            .with_context(|| format!("publishing message {i}"))?;
        if !self.args.flags.interval.is_zero() {
            tokio::time::sleep(self.args.flags.interval).await;
        }
        Ok(confirm)
    }
    // ANCHOR_END: publish
}

// ANCHOR: individual
/// Publish one message, wait for its confirm, then the next.
async fn individually(target: &Target, summary: &mut Summary) -> anyhow::Result<()> {
    for i in 0..target.args.flags.count {
        let confirm = target.publish(i).await?;
        summary.sent += 1;
        summary.settle_with(confirm.await, || target.body(i));
    }
    Ok(())
}
// ANCHOR_END: individual

// ANCHOR: batch
/// Publish a batch, then wait for every confirm in it.
async fn in_batches(target: &Target, summary: &mut Summary) -> anyhow::Result<()> {
    let mut batch = Vec::new();
    let mut published = Ok(());
    for i in 0..target.args.flags.count {
        match target.publish(i).await {
            Ok(confirm) => batch.push((i, confirm)),
            Err(err) => {
                published = Err(err);
                break;
            }
        }
        summary.sent += 1;
        if batch.len() as u64 == target.args.batch_size {
            for (i, confirm) in batch.drain(..) {
                summary.settle_with(confirm.await, || target.body(i));
            }
        }
    }
    // The last, partial batch (or what was published before a failure).
    for (i, confirm) in batch {
        summary.settle_with(confirm.await, || target.body(i));
    }
    published
}
// ANCHOR_END: batch

// ANCHOR: async
/// Publish without waiting; a task takes each confirm as it comes back.
async fn asynchronously(target: &Target, summary: &mut Summary) -> anyhow::Result<()> {
    let (confirms, mut incoming) =
        tokio::sync::mpsc::unbounded_channel::<(u64, PublisherConfirm)>();
    let args = Arc::clone(&target.args);
    let settler = tokio::spawn(async move {
        let mut settled = Summary::default();
        while let Some((i, confirm)) = incoming.recv().await {
            settled.settle_with(confirm.await, || body(&args, i));
        }
        settled
    });
    let mut published = Ok(());
    let mut sent = 0;
    for i in 0..target.args.flags.count {
        match target.publish(i).await {
            Ok(confirm) => {
                sent += 1;
                // The receiving task lives until we drop `confirms`, so this cannot fail.
                let _ = confirms.send((i, confirm));
            }
            Err(err) => {
                published = Err(err);
                break;
            }
        }
    }
    drop(confirms); // no more confirms: the task ends once it has settled the last one
    *summary = settler.await.context("the confirm task failed")?;
    summary.sent = sent;
    published
}
// ANCHOR_END: async

/// One strategy's row of the table.
struct Row {
    strategy: &'static str,
    took: Duration,
    summary: Summary,
    /// Why publishing stopped early, if it did.
    stopped: Option<anyhow::Error>,
}

async fn run(args: Args) -> anyhow::Result<()> {
    // A --size over the broker's max_message_size would be sent whole, then refused.
    args.limit.check(args.flags.size)?;
    let args = Arc::new(args);
    let rabbitmq = RabbitMQ::open(&args.rabbit, "confirms").await?;
    let strategies = match args.strategy {
        Some(one) => vec![one],
        None => vec![Strategy::Individual, Strategy::Batch, Strategy::Async],
    };
    let mut rows = Vec::new();
    for strategy in strategies {
        // Its own channel: a channel the broker closed (a refused message) ends only this row.
        let target = Target::open(&rabbitmq, &args).await?;
        let mut summary = Summary::default();
        let started = Instant::now();
        let outcome = match strategy {
            Strategy::Individual => individually(&target, &mut summary).await,
            Strategy::Batch => in_batches(&target, &mut summary).await,
            Strategy::Async => asynchronously(&target, &mut summary).await,
        };
        let name = strategy.name();
        let row = Row {
            strategy: name,
            took: started.elapsed(),
            summary,
            stopped: outcome.err(),
        };
        if let Some(err) = &row.stopped {
            println!(
                " [!] {name}: stopped after {} of {} messages: {err:#}",
                row.summary.sent, args.flags.count
            );
        }
        rows.push(row);
        // The channel may already be closed by the broker; closing the connection closes it.
        let _ = target.channel.close(200, "bye".into()).await;
    }
    rabbitmq.close().await?;
    print_table(&rows, args.flags.count);
    let lost: u64 = rows
        .iter()
        .map(|r| args.flags.count - r.summary.confirmed + r.summary.returned)
        .sum();
    if lost > 0 {
        bail!(
            "{lost} message(s) did not reach a queue (nacked, returned, not confirmed or not sent); see the lines marked [!]"
        );
    }
    Ok(())
}

fn print_table(rows: &[Row], count: u64) {
    println!(
        "{:<12} {:>8} {:>9} {:>9} {:>10} {:>7} {:>9} {:>14} {:>9}",
        "strategy",
        "messages",
        "seconds",
        "msg/s",
        "confirmed",
        "nacked",
        "returned",
        "not confirmed",
        "not sent"
    );
    for row in rows {
        let s = &row.summary;
        let seconds = row.took.as_secs_f64();
        let rate = if seconds > 0.0 {
            s.sent as f64 / seconds
        } else {
            0.0
        };
        println!(
            "{:<12} {:>8} {:>9.2} {:>9.0} {:>10} {:>7} {:>9} {:>14} {:>9}",
            row.strategy,
            count,
            seconds,
            rate,
            s.confirmed,
            s.nacked,
            s.returned,
            // Published, and then neither acked nor nacked (the channel or connection went
            // away first): each was printed with its reason.
            s.unconfirmed,
            // Never published: publishing stopped early (the line above the table says why).
            count - s.sent
        );
    }
}
