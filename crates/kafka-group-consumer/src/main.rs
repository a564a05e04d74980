//! # kafka-group-consumer: consumer groups for real (chapter 2.1, 2.2), on rdkafka
//!
//! Teaches: what the tutorial promises for groups and `kafka-consumer` cannot do. Members of a
//! group **join** it through the broker's group coordinator, which **splits the partitions**
//! between them; when a member leaves or stops sending heartbeats (for `session.timeout.ms`),
//! the group **rebalances** and the survivors take its partitions over (2.1: 失败时自动平衡).
//! This is sarama's `ConsumerGroup`, in Rust, on librdkafka.
//!
//! Each rebalance prints one line: ` [rebalance] assigned [0, 2]`, ` [rebalance] revoked [2]`.
//! Offsets are committed only for messages already handled (at-least-once): after a crash, the
//! next owner of a partition starts after the last committed message, so a message may be
//! handled twice but never skipped.
//!
//! Run it (or the whole story with `just kafka-group`):
//! ```text
//! cargo run -p kafka-group-consumer -- --group g1 --from-beginning    # terminal 1
//! cargo run -p kafka-group-consumer -- --group g1 --from-beginning    # terminal 2
//! cargo run -p kafka-producer -- --count 12                           # terminal 3
//! ```
//!
//! Output:
//! ```text
//!  [rebalance] assigned [0, 1]
//! Partition:0 Offset:0 Key: Value:this is a test log
//! ```

mod context;

use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context as _, bail};
use clap::{Parser, ValueEnum};
use mq_common::config::{KafkaArgs, parse_topic};
use mq_common::flags::ConsumerFlags;
use mq_common::kafka::DEFAULT_TOPIC;
use mq_common::lines::KAFKA_MESSAGE;
use mq_common::output::preview;
use rdkafka::config::ClientConfig;
use rdkafka::consumer::{BaseConsumer, CommitMode, Consumer};
use rdkafka::error::{KafkaError, RDKafkaErrorCode};
use rdkafka::message::Message;

use context::GroupContext;

/// Kafka group consumer: join a group, share its topics' partitions, rebalance as members come and go.
#[derive(Parser, Debug)]
#[command(version)]
struct Args {
    /// A topic to consume; repeat the flag for several.
    #[arg(long = "topic", default_value = DEFAULT_TOPIC, value_parser = parse_topic)]
    topics: Vec<String>,
    /// The consumer group to join.
    #[arg(long, value_parser = parse_group)]
    group: String,
    /// How members join and who assigns the partitions: `consumer`, Kafka 4's rebalance
    /// protocol (KIP-848: the broker's group coordinator assigns, and a member that comes or
    /// goes does not stop the others), `classic` (the group's leader assigns, and every member
    /// stops during a rebalance; the only one before Kafka 4.0), or `auto`: `consumer` where
    /// the broker has it, unless `--strategy` asks for the classic one.
    #[arg(long, value_enum, env = "KAFKA_GROUP_PROTOCOL", default_value_t = GroupProtocol::Auto)]
    group_protocol: GroupProtocol,
    /// With the classic protocol: how the group's leader assigns partitions to members
    /// (default: range).
    #[arg(long, value_enum)]
    strategy: Option<Strategy>,
    /// Start at the oldest message where the group has no committed offset (default: the newest).
    #[arg(long)]
    from_beginning: bool,
    #[command(flatten)]
    flags: ConsumerFlags,
    #[command(flatten)]
    kafka: KafkaArgs,
}

/// `--group-protocol`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum GroupProtocol {
    Auto,
    Classic,
    Consumer,
}

/// The protocol this member joins with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Protocol {
    /// The group's leader, a member, assigns the partitions with `--strategy`.
    Classic(Strategy),
    /// Kafka 4's (KIP-848): the broker's group coordinator assigns the partitions.
    Consumer,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Strategy {
    Range,
    Roundrobin,
    CooperativeSticky,
}

impl Strategy {
    /// librdkafka's name for it (`partition.assignment.strategy`).
    fn config(self) -> &'static str {
        match self {
            Strategy::Range => "range",
            Strategy::Roundrobin => "roundrobin",
            Strategy::CooperativeSticky => "cooperative-sticky",
        }
    }
}

/// A group id: not empty, and of the characters Kafka tools show without quoting.
fn parse_group(s: &str) -> Result<String, String> {
    if s.is_empty() || s.len() > 249 {
        return Err("a group name has 1 to 249 characters".to_owned());
    }
    if let Some(c) = s
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || "._-".contains(*c)))
    {
        return Err(format!(
            "'{c}' is not allowed in a group name here: use letters, digits, '.', '_' and '-'"
        ));
    }
    Ok(s.to_owned())
}

fn main() -> ExitCode {
    let args: Args = mq_common::cli::init();
    let stop = Arc::new(AtomicBool::new(false));
    let set = Arc::clone(&stop);
    if let Err(err) = ctrlc::set_handler(move || set.store(true, Ordering::SeqCst)) {
        log::warn!("cannot listen for Ctrl+C ({err}); it will stop the consumer without a commit");
    }
    mq_common::cli::exit(run(&args, &stop))
}

// ANCHOR: config
/// A group member. librdkafka commits in the background every second, but only offsets we
/// *stored*, and we store a message's offset only once it is handled: at-least-once.
fn member(args: &Args, protocol: Protocol) -> anyhow::Result<BaseConsumer<GroupContext>> {
    let mut config = ClientConfig::new();
    match protocol {
        // Kafka 4: the broker assigns the partitions, and keeps the session and heartbeat
        // times (group.consumer.session.timeout.ms, group.consumer.heartbeat.interval.ms in
        // docker/kafka.env: 6 s and 1 s here).
        Protocol::Consumer => config.set("group.protocol", "consumer"),
        Protocol::Classic(strategy) => config
            .set("group.protocol", "classic")
            .set("partition.assignment.strategy", strategy.config())
            // A member that stops sending heartbeats leaves the group after this long (the
            // broker's minimum): then the others take its partitions over.
            .set("session.timeout.ms", "6000")
            .set("heartbeat.interval.ms", "1000"),
    };
    let consumer: BaseConsumer<GroupContext> = config
        .set("bootstrap.servers", args.kafka.kafka_brokers.join(","))
        .set("group.id", &args.group)
        .set(
            "auto.offset.reset",
            if args.from_beginning {
                "earliest"
            } else {
                "latest"
            },
        )
        .set("enable.auto.commit", "true")
        .set("auto.commit.interval.ms", "1000")
        .set("enable.auto.offset.store", "false")
        // librdkafka prefetches into a local queue and, once a partition has
        // queued.min.messages (100,000) waiting, pauses that partition's fetches for
        // fetch.queue.backoff.ms (1 s). A consumer that keeps up spends much of its time in
        // that pause: fetching again after 10 ms took `just bench`'s rate from about 0.5M to 2.1M
        // messages a second here.
        .set("fetch.queue.backoff.ms", "10")
        .create_with_context(GroupContext)
        .context("creating the consumer")?;
    Ok(consumer)
}
// ANCHOR_END: config

/// The protocol to join with: `--group-protocol`, or for `auto` the broker's newest.
fn protocol(args: &Args) -> anyhow::Result<Protocol> {
    let brokers = &args.kafka.kafka_brokers;
    let speaks = || mq_common::kafka::speaks_consumer_protocol(brokers);
    let consumer = match args.group_protocol {
        GroupProtocol::Auto => args.strategy.is_none() && speaks()?,
        GroupProtocol::Classic => false,
        GroupProtocol::Consumer if args.strategy.is_some() => bail!(
            "--strategy is the classic protocol's: with --group-protocol consumer the broker assigns the partitions"
        ),
        GroupProtocol::Consumer if !speaks()? => bail!(
            "the Kafka broker at {} has no consumer rebalance protocol (KIP-848, Kafka 4.0 and newer): use --group-protocol classic",
            brokers.join(",")
        ),
        GroupProtocol::Consumer => true,
    };
    Ok(if consumer {
        Protocol::Consumer
    } else {
        Protocol::Classic(args.strategy.unwrap_or(Strategy::Range))
    })
}

fn run(args: &Args, stop: &AtomicBool) -> anyhow::Result<()> {
    let protocol = protocol(args)?;
    match protocol {
        Protocol::Consumer => println!(
            " [group] consumer protocol: the broker's group coordinator assigns the partitions"
        ),
        Protocol::Classic(_) => println!(
            " [group] classic protocol: the group's leader (a member) assigns the partitions"
        ),
    }
    let consumer = member(args, protocol)?;
    check_topics(&consumer, args)?;
    let topics: Vec<&str> = args.topics.iter().map(String::as_str).collect();
    consumer.subscribe(&topics).context("subscribing")?;

    // ANCHOR: poll
    let mut received = 0u64;
    let mut last_message = Instant::now();
    while !stop.load(Ordering::SeqCst) && !args.flags.enough(received) {
        // librdkafka sends the group's heartbeats from its own thread. Polling serves the
        // rebalance callbacks (context.rs), and proves this member alive to the group: one
        // that does not poll for `max.poll.interval.ms` (300 s by default) is removed from it.
        let Some(message) = consumer.poll(Duration::from_millis(100)) else {
            if let Some(idle) = args.flags.idle_timeout
                && last_message.elapsed() >= idle
            {
                log::info!("no message for {idle:?}, exiting");
                break;
            }
            continue;
        };
        let message = match message {
            Ok(message) => message,
            // A broker went away (a node of a cluster died, or the one broker restarts):
            // librdkafka reconnects, and finds each partition's new leader, by itself.
            Err(KafkaError::MessageConsumption(
                code
                @ (RDKafkaErrorCode::BrokerTransportFailure | RDKafkaErrorCode::AllBrokersDown),
            )) => {
                log::warn!("{code}; librdkafka reconnects and carries on");
                continue;
            }
            Err(err) => return Err(err).context("receiving"),
        };
        if !args.flags.quiet {
            println!(
                "{KAFKA_MESSAGE}{} Offset:{} Key:{} Value:{}",
                message.partition(),
                message.offset(),
                preview(message.key().unwrap_or_default()),
                preview(message.payload().unwrap_or_default())
            );
        }
        // Handled: now, and only now, its offset may be committed.
        consumer
            .store_offset_from_message(&message)
            .context("storing the offset")?;
        received += 1;
        last_message = Instant::now();
    }
    // ANCHOR_END: poll
    // The background commits may already have stored everything: then there is nothing left.
    match consumer.commit_consumer_state(CommitMode::Sync) {
        Ok(()) | Err(KafkaError::ConsumerCommit(RDKafkaErrorCode::NoOffset)) => {}
        Err(err) => return Err(err).context("committing the group's offsets"),
    }
    log::info!("received {received} message(s)");
    Ok(())
}

/// Fails with one clear line if the brokers cannot be reached or a topic does not exist (a
/// subscription to a missing topic would only wait).
fn check_topics(consumer: &BaseConsumer<GroupContext>, args: &Args) -> anyhow::Result<()> {
    let brokers = args.kafka.kafka_brokers.join(",");
    for topic in &args.topics {
        let metadata = consumer
            .fetch_metadata(Some(topic), Duration::from_secs(5))
            .map_err(|err| {
                anyhow::anyhow!(
                    "Kafka at {brokers} is not reachable ({err}); is it running? `just up`"
                )
            })?;
        let found = metadata.topics().iter().find(|t| t.name() == topic);
        match found {
            Some(t) if t.error().is_none() && !t.partitions().is_empty() => {}
            _ => bail!(
                "topic '{topic}' does not exist: produce to it first, or create it with `just kafka-topic {topic}`"
            ),
        }
    }
    Ok(())
}
