//! The Kafka side of the lab, on rdkafka (librdkafka): a numbered producer whose `acks` you
//! choose, a watcher of a partition's leader and ISR, and the read-back the verifier uses.
//!
//! librdkafka, unlike the `kafka` crate of the tutorial's chapters, asks the cluster for new
//! metadata when a leader dies and sends to the new leader: a producer that rides out a
//! failover needs that.

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context as _, bail};
use rdkafka::Offset;
use rdkafka::client::ClientContext;
use rdkafka::config::{ClientConfig, RDKafkaLogLevel};
use rdkafka::consumer::{BaseConsumer, Consumer, ConsumerContext};
use rdkafka::error::KafkaError;
use rdkafka::message::Message;
use rdkafka::producer::{FutureProducer, FutureRecord};
use rdkafka::topic_partition_list::TopicPartitionList;
use tokio::sync::mpsc;

use crate::ledger::{self, Ledger, Outcome};

/// How the lab producer sends.
#[derive(Debug, Clone)]
pub struct ProduceOptions {
    pub brokers: String,
    pub topic: String,
    /// `0`, `1` or `all`.
    pub acks: String,
    /// librdkafka's `retries`: how often a retriable refusal is sent again. `None`: its default
    /// (as many as fit in `delivery_timeout`).
    pub retries: Option<u32>,
    pub delivery_timeout: Duration,
    pub first: u64,
    pub count: u64,
    pub interval: Duration,
}

/// librdkafka's own logs at debug level (`RUST_LOG=lab=debug` shows them), and one line the
/// first time it loses a broker: it goes on by itself, and the progress lines show the pause.
#[derive(Debug, Default)]
struct Quiet {
    said: AtomicBool,
}

impl ClientContext for Quiet {
    fn log(&self, level: RDKafkaLogLevel, facility: &str, message: &str) {
        log::debug!("librdkafka {level:?} {facility}: {message}");
    }

    fn error(&self, error: KafkaError, reason: &str) {
        log::debug!("librdkafka error {error}: {reason}");
        if !self.said.swap(true, Ordering::Relaxed) {
            println!(
                " [!] librdkafka: {reason}; it asks the cluster for the new leader and resends"
            );
        }
    }
}

// ANCHOR: producer
/// The producer. `acks` is the lesson: `1` is "stored" once the leader has the message in its
/// own log; `all` once every replica in the ISR has it, and only while the ISR has at least
/// `min.insync.replicas` members (else the broker refuses: NOT_ENOUGH_REPLICAS).
fn producer(options: &ProduceOptions) -> anyhow::Result<FutureProducer<Quiet>> {
    let mut config = ClientConfig::new();
    config
        .set("bootstrap.servers", &options.brokers)
        .set("acks", &options.acks)
        // How long a message may wait for its answer, retries included.
        .set(
            "message.timeout.ms",
            options.delivery_timeout.as_millis().to_string(),
        )
        .set("linger.ms", "0");
    if let Some(retries) = options.retries {
        config.set("retries", retries.to_string());
    }
    config
        .create_with_context(Quiet::default())
        .context("creating the producer")
}
// ANCHOR_END: producer

/// Sends `count` numbered messages, one every `interval`, and writes each answer to the ledger.
pub async fn produce(options: &ProduceOptions, ledger_path: &Path) -> anyhow::Result<()> {
    // A cluster that is not up at all is a mistake to say at once, not 30 s of refusals.
    drop(metadata_client(&options.brokers)?);
    let producer = producer(options)?;
    let mut ledger = Ledger::open(ledger_path)?;
    let (answers, mut answered) = mpsc::unbounded_channel();
    let started = Instant::now();
    let mut last_progress = Instant::now();
    println!(
        " [*] sending {} messages ({}..={}) to '{}' with acks={}",
        options.count,
        options.first,
        options.first + options.count - 1,
        options.topic,
        options.acks
    );
    // ANCHOR: send
    for n in options.first..options.first + options.count {
        let body = ledger::body(n);
        let record: FutureRecord<'_, (), str> = FutureRecord::to(&options.topic).payload(&body);
        // Queued in librdkafka; the answer comes later, through the delivery future.
        match producer.send_result(record) {
            Ok(delivery) => {
                let answers = answers.clone();
                tokio::spawn(async move {
                    let outcome = match delivery.await {
                        Ok(Ok(_stored)) => Outcome::Acked,
                        Ok(Err((err, _message))) => Outcome::Refused(err.to_string()),
                        Err(_cancelled) => Outcome::Unknown("producer closed".to_owned()),
                    };
                    let _ = answers.send((n, outcome));
                });
            }
            Err((err, _record)) => ledger.record(n, &Outcome::Refused(err.to_string()))?,
        }
        // ANCHOR_END: send
        while let Ok((n, outcome)) = answered.try_recv() {
            ledger.record(n, &outcome)?;
        }
        if last_progress.elapsed() >= Duration::from_secs(1) {
            progress(&ledger, n + 1 - options.first, started);
            last_progress = Instant::now();
        }
        if !options.interval.is_zero() {
            tokio::time::sleep(options.interval).await;
        }
    }
    drop(answers);
    // Every message gets its answer within message.timeout.ms.
    while let Some((n, outcome)) = answered.recv().await {
        ledger.record(n, &outcome)?;
    }
    progress(&ledger, options.count, started);
    ledger.finish()
}

fn progress(ledger: &Ledger, sent: u64, started: Instant) {
    println!(
        " [.] {:5.1}s  sent {sent}, acknowledged {}, refused {}, no answer {}",
        started.elapsed().as_secs_f64(),
        ledger.acked,
        ledger.refused,
        ledger.unknown
    );
}

/// For the clients that only ask and read (the watcher, the verifier): librdkafka's logs and
/// errors at debug level only. A cluster that does not answer is one error line of ours.
#[derive(Debug, Default)]
struct Silent;

impl ClientContext for Silent {
    fn log(&self, level: RDKafkaLogLevel, facility: &str, message: &str) {
        log::debug!("librdkafka {level:?} {facility}: {message}");
    }

    fn error(&self, error: KafkaError, reason: &str) {
        log::debug!("librdkafka error {error}: {reason}");
    }
}

impl ConsumerContext for Silent {}

/// A partition's leader and in-sync replicas, as the cluster's metadata says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Replicas {
    pub leader: i32,
    pub isr: Vec<i32>,
}

/// A client for the cluster's metadata, once a node has answered: a wait, a leader or a
/// read-back that cannot ask the cluster fails at once instead of looking like "not yet".
fn metadata_client(brokers: &str) -> anyhow::Result<BaseConsumer<Silent>> {
    let client: BaseConsumer<Silent> = ClientConfig::new()
        .set("bootstrap.servers", brokers)
        .create_with_context(Silent)
        .context("creating a metadata client")?;
    answers(&client, brokers)?;
    Ok(client)
}

/// Does any node of `brokers` answer a metadata request within 5 s?
fn answers(client: &BaseConsumer<Silent>, brokers: &str) -> anyhow::Result<()> {
    match client.fetch_metadata(None, Duration::from_secs(5)) {
        Ok(_) => Ok(()),
        Err(err) => bail!(
            "no node of the lab's Kafka cluster answers at {brokers} ({err}); start it with \
             `just cluster-up`"
        ),
    }
}

/// Partition 0 of `topic`: its leader (-1 while it has none) and ISR.
fn replicas(client: &BaseConsumer<Silent>, topic: &str) -> anyhow::Result<Replicas> {
    let metadata = client
        .fetch_metadata(Some(topic), Duration::from_secs(5))
        .context("asking the cluster for metadata")?;
    let partition = metadata
        .topics()
        .iter()
        .find(|t| t.name() == topic)
        .and_then(|t| t.partitions().iter().find(|p| p.id() == 0))
        .with_context(|| format!("topic '{topic}' has no partition 0"))?;
    let mut isr = partition.isr().to_vec();
    isr.sort_unstable();
    Ok(Replicas {
        leader: partition.leader(),
        isr,
    })
}

/// What to wait for.
#[derive(Debug, Clone)]
pub enum Until {
    /// A leader that is not this node (after it was killed).
    LeaderOtherThan(i32),
    /// Exactly these in-sync replicas.
    Isr(Vec<i32>),
    /// A high watermark of at least this offset: every in-sync replica has the messages below.
    HighWatermark(i64),
}

/// Polls the metadata until `until` holds, printing what changes and how long it took.
pub fn wait(brokers: &str, topic: &str, until: &Until, timeout: Duration) -> anyhow::Result<()> {
    let client = metadata_client(brokers)?;
    let started = Instant::now();
    let mut last: Option<Replicas> = None;
    loop {
        if let Until::HighWatermark(target) = until {
            // The leader moves the high watermark up as the in-sync followers copy.
            if let Ok((_, high)) = client.fetch_watermarks(topic, 0, Duration::from_secs(5))
                && high >= *target
            {
                println!(
                    " [.] {:4.1}s  {topic}/0: high watermark {high}: every in-sync replica has the messages below it",
                    started.elapsed().as_secs_f64()
                );
                return Ok(());
            }
        }
        // While a leader is being replaced, a metadata request may fail: try again.
        else if let Ok(now) = replicas(&client, topic) {
            let done = match until {
                Until::LeaderOtherThan(old) => now.leader >= 0 && now.leader != *old,
                Until::Isr(isr) => &now.isr == isr,
                Until::HighWatermark(_) => false,
            };
            if last.as_ref() != Some(&now) || done {
                println!(
                    " [.] {:4.1}s  {topic}/0: leader {}, ISR {:?}",
                    started.elapsed().as_secs_f64(),
                    if now.leader < 0 {
                        "none".to_owned()
                    } else {
                        now.leader.to_string()
                    },
                    now.isr
                );
            }
            if done {
                return Ok(());
            }
            last = Some(now);
        }
        if started.elapsed() >= timeout {
            bail!("gave up after {timeout:?}: {until:?} did not happen on {topic}/0");
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// The leader of partition 0, for the scenario scripts (`lab kafka-leader`).
pub fn leader(brokers: &str, topic: &str) -> anyhow::Result<i32> {
    let client = metadata_client(brokers)?;
    let now = replicas(&client, topic)?;
    if now.leader < 0 {
        bail!("{topic}/0 has no leader right now");
    }
    Ok(now.leader)
}

/// Every lab number in `topic`, partition by partition from the oldest offset to the end.
pub fn read_back(brokers: &str, topic: &str) -> anyhow::Result<Vec<u64>> {
    let consumer: BaseConsumer<Silent> = ClientConfig::new()
        .set("bootstrap.servers", brokers)
        .set("group.id", "mq-lab-verify")
        .set("enable.auto.commit", "false")
        .create_with_context(Silent)
        .context("creating the verifier's consumer")?;
    answers(&consumer, brokers)?;
    let metadata = consumer
        .fetch_metadata(Some(topic), Duration::from_secs(10))
        .context("asking the cluster for metadata")?;
    let partitions: Vec<i32> = metadata
        .topics()
        .iter()
        .filter(|t| t.name() == topic)
        .flat_map(|t| t.partitions().iter().map(|p| p.id()))
        .collect();
    if partitions.is_empty() {
        bail!("topic '{topic}' does not exist");
    }
    let mut numbers = Vec::new();
    for partition in partitions {
        let (low, high) = consumer
            .fetch_watermarks(topic, partition, Duration::from_secs(10))
            .with_context(|| format!("reading the offsets of {topic}/{partition}"))?;
        if high <= low {
            continue;
        }
        let mut assignment = TopicPartitionList::new();
        assignment.add_partition_offset(topic, partition, Offset::Offset(low))?;
        consumer.assign(&assignment).context("assigning")?;
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if Instant::now() >= deadline {
                bail!("{topic}/{partition}: did not reach offset {high} within 30 s");
            }
            let Some(message) = consumer.poll(Duration::from_millis(200)) else {
                continue;
            };
            let message = message.context("reading back")?;
            if let Some(n) = message.payload().and_then(ledger::number) {
                numbers.push(n);
            }
            if message.offset() + 1 >= high {
                break;
            }
        }
    }
    Ok(numbers)
}
