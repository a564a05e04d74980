//! # rabbit-superstream-consumer: RabbitMQ super streams, the reading side
//!
//! Teaches: **single active consumer**, RabbitMQ's counterpart of a Kafka consumer group.
//! Consumers that subscribe to a super stream under one **name** form a group: the broker
//! makes one of them the active consumer of each partition, and spreads the partitions among
//! them (three consumers, three partitions: one each). The others wait. When the active one
//! goes (Ctrl+C, a crash, `kill -9`), the broker makes another one active, and asks it where
//! to start: this consumer answers "after the offset stored under the group's name", so it
//! goes on where the last one stored, and reads again only what was handled but not yet stored.
//!
//! Offsets are stored on the broker (`store_offset`), one per partition, every --store-every
//! messages, and when the consumer stops or gives a partition up. The stream protocol does
//! not answer a store, so the consumer asks the offset back (`query_offset`) before it says
//! it stored it. And after a failover the broker starts at the beginning of the chunk (a batch
//! of messages) that holds the offset asked for: the consumer skips what comes before it.
//!
//! Run three of them, then the producer (or `just rabbit-superstream`):
//! ```text
//! cargo run -p rabbit-superstream-consumer      # three times, in three terminals
//! cargo run -p rabbit-superstream-producer
//! ```
//!
//! Output:
//! ```text
//!  [*] Waiting for messages from super stream 'hello-superstream' as 'superstream-app'. To exit press CTRL+C
//!  [*] active on hello-superstream-1: nothing stored yet, from the first
//!  [x] Received 'hello superstream 1 for user-1' (key user-1, partition hello-superstream-1, offset 0)
//! ```

use std::collections::BTreeMap;
use std::process::ExitCode;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use anyhow::Context;
use clap::Parser;
use futures_lite::StreamExt;
use mq_common::config::{RabbitArgs, parse_amqp_name, parse_duration};
use mq_common::flags::ConsumerFlags;
use mq_common::lines::{RECEIVED, WAITING};
use mq_common::output::preview;
use mq_common::rabbit::names;
use mq_common::stream::StreamArgs;
use rabbitmq_stream_client::error::ClientError;
use rabbitmq_stream_client::types::{
    Delivery, OffsetSpecification, ResponseCode, SuperStreamConsumer,
};
use rabbitmq_stream_client::{Client, Environment, MessageContext};

/// RabbitMQ super streams: one of a group of consumers (one name), each partition read by one
/// of them at a time.
#[derive(Parser, Debug)]
#[command(version)]
struct Args {
    /// The super stream to read (declared if missing).
    #[arg(long, default_value = names::SUPER_STREAM, value_parser = parse_amqp_name)]
    super_stream: String,
    /// The group's name: consumers of one name share the partitions, and their offsets are
    /// stored under it.
    #[arg(long, default_value = names::SUPER_STREAM_CONSUMER, value_name = "NAME", value_parser = parse_amqp_name)]
    name: String,
    /// Store a partition's offset after each message whose offset + 1 is a multiple of N.
    #[arg(long, default_value_t = 10, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    store_every: u64,
    /// How many partitions, when the super stream is declared.
    #[arg(long, default_value_t = 3, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=100))]
    partitions: u16,
    /// Retention, when the super stream is declared: messages older than this go.
    #[arg(long, default_value = "1d", value_parser = parse_duration)]
    max_age: Duration,
    #[command(flatten)]
    flags: ConsumerFlags,
    #[command(flatten)]
    stream_args: StreamArgs,
    #[command(flatten)]
    rabbit: RabbitArgs,
}

/// Per partition this consumer is active on: the last offset it handled, and the first offset
/// it asked for.
#[derive(Debug, Default)]
struct Partitions {
    handled: BTreeMap<String, u64>,
    start: BTreeMap<String, u64>,
}

type Handled = Arc<Mutex<Partitions>>;

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let args: Args = mq_common::cli::init();
    mq_common::cli::exit(run(args).await)
}

async fn run(args: Args) -> anyhow::Result<()> {
    let environment = mq_common::stream::connect(&args.rabbit, &args.stream_args).await?;
    mq_common::stream::declare_super(
        &environment,
        &args.super_stream,
        usize::from(args.partitions),
        args.max_age,
    )
    .await?;
    let handled = Handled::default();
    let mut consumer = subscribe(&environment, &args, handled.clone()).await?;
    println!(
        "{WAITING} from super stream '{}' as '{}'. To exit press CTRL+C",
        args.super_stream, args.name
    );
    let received = consume(&mut consumer, &args, &handled).await;
    let client = consumer.client();
    // What this consumer still holds is stored before it goes, so the next one starts after it.
    let last: Vec<(String, u64)> = lock(&handled).handled.clone().into_iter().collect();
    for (partition, offset) in last {
        store(&client, &args.name, &partition, offset).await?;
    }
    let closed = consumer.handle().close().await;
    let received = received?;
    closed.context("closing the consumer")?;
    println!(" [.] received {received}");
    Ok(())
}

fn lock(handled: &Handled) -> std::sync::MutexGuard<'_, Partitions> {
    handled.lock().unwrap_or_else(PoisonError::into_inner)
}

// ANCHOR: subscribe
/// Joins the group `--name` on the super stream: one subscription per partition, each with
/// single active consumer on, and `on_update` to answer the broker when it makes this
/// consumer active on a partition, or takes a partition away.
async fn subscribe(
    environment: &Environment,
    args: &Args,
    handled: Handled,
) -> anyhow::Result<SuperStreamConsumer> {
    environment
        .super_stream_consumer()
        .name(&args.name)
        .enable_single_active_consumer(true)
        .offset(OffsetSpecification::First)
        .consumer_update(move |active, context| on_update(active, context, handled.clone()))
        .build(&args.super_stream)
        .await
        .with_context(|| format!("reading super stream '{}'", args.super_stream))
}
// ANCHOR_END: subscribe

// ANCHOR: failover
/// The broker's question when it makes this consumer the active one of a partition
/// (`active` = 1): where to start? After the offset the group stored, or from the first
/// message if none is stored. When it takes the partition away (`active` = 0), what was
/// handled is stored first, so the next active consumer goes on from there.
async fn on_update(active: u8, context: MessageContext, handled: Handled) -> OffsetSpecification {
    let (name, partition, client) = (context.name(), context.stream(), context.client());
    if active == 1 {
        return match client.query_offset(name, &partition).await {
            Ok(stored) => {
                println!(" [*] active on {partition}: going on after stored offset {stored}");
                lock(&handled).start.insert(partition, stored + 1);
                OffsetSpecification::Offset(stored + 1)
            }
            Err(ClientError::RequestError(ResponseCode::OffsetNotFound)) => {
                println!(" [*] active on {partition}: nothing stored yet, from the first");
                OffsetSpecification::First
            }
            Err(err) => {
                // Reading again is safe; skipping is not.
                println!(" [!] active on {partition}: no stored offset ({err}), from the first");
                OffsetSpecification::First
            }
        };
    }
    let last = lock(&handled).handled.remove(&partition);
    if let Some(offset) = last
        && let Err(err) = store(&client, &name, &partition, offset).await
    {
        println!(" [!] could not store offset {offset} on {partition}: {err:#}");
    }
    println!(" [*] no longer active on {partition}");
    // An inactive consumer receives nothing: the broker ignores this answer.
    OffsetSpecification::Next
}
// ANCHOR_END: failover

// ANCHOR: store
/// Stores `offset` as the group's position on `partition`, then asks it back: the stream
/// protocol does not answer a store, and the line below must be true.
async fn store(client: &Client, name: &str, partition: &str, offset: u64) -> anyhow::Result<()> {
    client
        .store_offset(name, partition, offset)
        .await
        .with_context(|| format!("storing offset {offset} on {partition}"))?;
    let stored = client
        .query_offset(name.to_owned(), partition)
        .await
        .with_context(|| format!("reading back the offset stored on {partition}"))?;
    println!(" [.] stored offset {stored} on {partition}");
    Ok(())
}
// ANCHOR_END: store

// ANCHOR: consume
/// Prints each message with its key, partition and offset until --max-messages,
/// --idle-timeout or Ctrl+C, storing the partition's offset every --store-every.
async fn consume(
    consumer: &mut SuperStreamConsumer,
    args: &Args,
    handled: &Handled,
) -> anyhow::Result<u64> {
    let mut shutdown = Box::pin(mq_common::shutdown::signal());
    let idle = args.flags.idle_timeout.unwrap_or(Duration::MAX);
    let client = consumer.client();
    let mut received = 0;
    loop {
        let next = tokio::select! {
            () = &mut shutdown => break,
            next = tokio::time::timeout(idle, consumer.next()) => next,
        };
        let delivery = match next {
            Err(_) => {
                println!(" [*] nothing more for {idle:?}");
                break;
            }
            Ok(None) => break,
            Ok(Some(delivery)) => delivery.context("reading the super stream")?,
        };
        let (partition, offset) = (delivery.stream().clone(), delivery.offset());
        // After a failover the broker starts at the beginning of the chunk that holds the
        // offset asked for (seen on RabbitMQ 4.0.5): what comes before it is skipped here.
        if lock(handled)
            .start
            .get(&partition)
            .is_some_and(|&start| offset < start)
        {
            continue;
        }
        if !args.flags.quiet {
            println!(
                "{RECEIVED} '{}' (key {}, partition {partition}, offset {offset})",
                preview(delivery.message().data().unwrap_or_default()),
                key_of(&delivery)
            );
        }
        received += 1;
        lock(handled).handled.insert(partition.clone(), offset);
        if (offset + 1) % args.store_every == 0 {
            store(&client, &args.name, &partition, offset).await?;
        }
        if args.flags.enough(received) {
            break;
        }
    }
    Ok(received)
}
// ANCHOR_END: consume

/// The message's `key` application property, as the producer set it.
fn key_of(delivery: &Delivery) -> String {
    delivery
        .message()
        .application_properties()
        .and_then(|properties| properties.get("key"))
        .and_then(|key| String::try_from(key.clone()).ok())
        .unwrap_or_else(|| "-".to_owned())
}
