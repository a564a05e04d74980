//! The RabbitMQ side of the lab, on lapin: connecting to a cluster through a list of node
//! addresses, a numbered producer with publisher confirms that moves to a surviving node when
//! its node dies, a consumer that does the same, and the read-back the verifier uses.

use std::collections::BTreeMap;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context as _, bail};
use futures_lite::StreamExt;
use lapin::Confirmation;
use lapin::options::{
    BasicAckOptions, BasicConsumeOptions, BasicGetOptions, BasicPublishOptions, BasicQosOptions,
    ConfirmSelectOptions, QueueDeclareOptions, QueueDeleteOptions,
};
use lapin::types::{AMQPValue, FieldTable};
use lapin::{BasicProperties, Channel};
use mq_common::config::RabbitArgs;
use mq_common::rabbit::RabbitMQ;

use crate::ledger::{self, Ledger, Outcome};

/// One URL per node: the user, password and vhost of `url` (AMQP_URL), at each node's address.
pub fn node_urls(url: &str, nodes: &[String]) -> anyhow::Result<Vec<String>> {
    let (scheme, rest) = url
        .split_once("://")
        .context("AMQP_URL is not a URL (amqp://USER:PASSWORD@HOST:PORT/VHOST)")?;
    let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let userinfo = authority
        .rsplit_once('@')
        .map(|(user, _)| format!("{user}@"))
        .unwrap_or_default();
    Ok(nodes
        .iter()
        .map(|node| format!("{scheme}://{userinfo}{node}{path}"))
        .collect())
}

// ANCHOR: connect_any
/// Connects to the first node of the cluster that answers, trying the addresses in order from
/// `start`. lapin connects to one address; the list, and moving on along it, are ours.
/// Returns the connection and the index of its node.
pub async fn connect_any(
    urls: &[String],
    start: usize,
    name: &str,
) -> anyhow::Result<(RabbitMQ, usize)> {
    let mut failures = Vec::new();
    for k in 0..urls.len() {
        let i = (start + k) % urls.len();
        let args = RabbitArgs {
            amqp_url: Some(urls[i].clone()),
        };
        match RabbitMQ::open(&args, name).await {
            Ok(rabbitmq) => return Ok((rabbitmq, i)),
            Err(err) => failures.push(format!("node {}: {err:#}", i + 1)),
        }
    }
    bail!("no node of the cluster answers: {}", failures.join("; "))
}
// ANCHOR_END: connect_any

/// A queue the producer declares.
#[derive(Debug, Clone)]
pub struct LabQueue {
    pub name: String,
    pub quorum: bool,
}

// ANCHOR: declare
/// Declares the lab's queues on the node the producer is connected to, afresh. A classic
/// queue lives on that node; a quorum queue has a member on every node (three here), and its
/// first leader is that node too.
async fn declare(channel: &Channel, queues: &[LabQueue]) -> anyhow::Result<()> {
    for queue in queues {
        let name = queue.name.as_str();
        channel
            .queue_delete(name.into(), QueueDeleteOptions::default())
            .await
            .with_context(|| format!("deleting queue '{name}'"))?;
        let mut arguments = FieldTable::default();
        if queue.quorum {
            arguments.insert(
                "x-queue-type".into(),
                AMQPValue::LongString("quorum".into()),
            );
        }
        channel
            .queue_declare(
                name.into(),
                QueueDeclareOptions {
                    durable: true,
                    ..QueueDeclareOptions::default()
                },
                arguments,
            )
            .await
            .with_context(|| format!("declaring queue '{name}'"))?;
    }
    Ok(())
}
// ANCHOR_END: declare

/// How the lab producer sends.
#[derive(Debug, Clone)]
pub struct ProduceOptions {
    pub urls: Vec<String>,
    pub queues: Vec<LabQueue>,
    pub first: u64,
    pub count: u64,
    pub interval: Duration,
    pub ledger_dir: PathBuf,
    /// Delete and declare the queues first (else they must exist).
    pub fresh: bool,
}

/// The ledger of one queue.
pub fn ledger_path(dir: &Path, queue: &str) -> PathBuf {
    dir.join(format!("{queue}.ledger"))
}

/// How long the producer waits before it sends a refused message again.
const RETRY_PAUSE: Duration = Duration::from_millis(200);

/// How long the producer waits for one confirm before it counts the connection as gone.
const CONFIRM_TIMEOUT: Duration = Duration::from_secs(30);

// ANCHOR: publish
/// Publishes one persistent message to `queue` and waits for the broker's answer.
/// `Err` means there is no answer: the connection or channel is gone.
async fn publish(channel: &Channel, queue: &str, n: u64) -> anyhow::Result<Outcome> {
    let properties = BasicProperties::default().with_delivery_mode(2); // persistent
    let options = BasicPublishOptions {
        mandatory: true, // a message no queue takes comes back instead of vanishing
        ..BasicPublishOptions::default()
    };
    let body = ledger::body(n);
    let confirm = channel
        .basic_publish(
            "".into(),
            queue.into(),
            options,
            body.as_bytes(),
            properties,
        )
        .await?;
    let answer = tokio::time::timeout(CONFIRM_TIMEOUT, confirm)
        .await
        .context("no confirm within 30 s")??;
    Ok(match answer {
        Confirmation::Ack(None) => Outcome::Acked,
        Confirmation::Ack(Some(returned)) => {
            Outcome::Refused(format!("returned: {}", returned.reply_text.as_str()))
        }
        Confirmation::Nack(_) => Outcome::Refused("nacked".to_owned()),
        Confirmation::NotRequested => Outcome::Unknown("confirms are off".to_owned()),
    })
}
// ANCHOR_END: publish

/// Sends `count` numbered messages to each queue, one confirm at a time; when the node goes
/// away, connects to the next one and sends the unanswered message again.
pub async fn produce(options: &ProduceOptions) -> anyhow::Result<()> {
    let mut ledgers = BTreeMap::new();
    for queue in &options.queues {
        ledgers.insert(
            queue.name.clone(),
            Ledger::open(&ledger_path(&options.ledger_dir, &queue.name))?,
        );
    }
    let (mut rabbitmq, mut node) = connect_any(&options.urls, 0, "lab producer").await?;
    println!(" [*] connected to node {}", node + 1);
    if options.fresh {
        declare(rabbitmq.channel(), &options.queues).await?;
    }
    let mut channel = confirming_channel(&rabbitmq).await?;
    let started = Instant::now();
    let mut last_progress = Instant::now();
    let last = options.first + options.count - 1;
    println!(
        " [*] sending {} persistent messages ({}..={last}) to each of {}, with confirms",
        options.count,
        options.first,
        names(&options.queues)
    );
    // ANCHOR: resend
    for n in options.first..=last {
        for queue in &options.queues {
            let ledger = ledgers.get_mut(&queue.name).context("a ledger per queue")?;
            loop {
                match publish(&channel, &queue.name, n).await {
                    Ok(outcome @ Outcome::Refused(_)) => {
                        // Not taken: send it again, after a pause, on a new channel (one that
                        // first met a quorum queue during its election may go on refusing).
                        ledger.record(n, &outcome)?;
                        tokio::time::sleep(RETRY_PAUSE).await;
                        let _ = channel.close(200, "refused".into()).await;
                        channel = confirming_channel(&rabbitmq).await?;
                    }
                    Ok(outcome) => {
                        ledger.record(n, &outcome)?;
                        break;
                    }
                    Err(err) => {
                        // No answer: the message may be stored or not. Write that down, move
                        // to the next node, and send it again (a duplicate, if it was stored).
                        ledger.record(n, &Outcome::Unknown(err.to_string()))?;
                        println!(" [!] node {} is gone ({err})", node + 1);
                        (rabbitmq, node) =
                            connect_any(&options.urls, node + 1, "lab producer").await?;
                        channel = confirming_channel(&rabbitmq).await?;
                        println!(" [*] reconnected to node {}", node + 1);
                    }
                }
            }
        }
        // ANCHOR_END: resend
        if last_progress.elapsed() >= Duration::from_secs(1) || n == last {
            let acked: u64 = ledgers.values().map(|l| l.acked).sum();
            println!(
                " [.] {:5.1}s  message {n} of {last}, confirms so far: {acked}",
                started.elapsed().as_secs_f64()
            );
            last_progress = Instant::now();
        }
        if !options.interval.is_zero() {
            tokio::time::sleep(options.interval).await;
        }
    }
    for (queue, ledger) in ledgers {
        println!(
            " [*] {queue}: acknowledged {}, refused {}, no answer {}",
            ledger.acked, ledger.refused, ledger.unknown
        );
        ledger.finish()?;
    }
    rabbitmq.close().await
}

/// A new channel with publisher confirms on.
async fn confirming_channel(rabbitmq: &RabbitMQ) -> anyhow::Result<Channel> {
    let channel = rabbitmq.create_channel().await?;
    channel
        .confirm_select(ConfirmSelectOptions::default())
        .await
        .context("turning on publisher confirms")?;
    Ok(channel)
}

fn names(queues: &[LabQueue]) -> String {
    queues
        .iter()
        .map(|q| {
            format!(
                "'{}' ({})",
                q.name,
                if q.quorum { "quorum" } else { "classic" }
            )
        })
        .collect::<Vec<_>>()
        .join(" and ")
}

/// How the lab consumer reads.
#[derive(Debug, Clone)]
pub struct ConsumeOptions {
    pub urls: Vec<String>,
    /// The node to try first (0-based).
    pub start: usize,
    pub queue: String,
    pub prefetch: u16,
    /// Pretend work per message, so that a fault lands in the middle of the run.
    pub work: Duration,
    /// Stop after this long without a message.
    pub idle_timeout: Duration,
    /// Where the numbers received (and acknowledged) go, one per line.
    pub out: PathBuf,
}

// ANCHOR: consume
/// Consumes `queue` with manual acks, writing down each number once it is acked. When the
/// consumer is cancelled (its queue moved) or the connection dies, it starts again, on the same
/// node if that one still answers, else on the next one.
pub async fn consume(options: &ConsumeOptions) -> anyhow::Result<()> {
    let file = std::fs::File::create(&options.out)
        .with_context(|| format!("creating {}", options.out.display()))?;
    let mut out = BufWriter::new(file);
    let mut received = 0u64;
    let mut node = options.start;
    let mut last_message = Instant::now();
    let mut last_progress = Instant::now();
    'connect: while last_message.elapsed() < options.idle_timeout {
        let (rabbitmq, at) = connect_any(&options.urls, node, "lab consumer").await?;
        node = at;
        let channel = rabbitmq.channel();
        channel
            .basic_qos(options.prefetch, BasicQosOptions::default())
            .await
            .context("setting the prefetch")?;
        let mut consumer = match channel
            .basic_consume(
                options.queue.as_str().into(),
                "".into(),
                BasicConsumeOptions::default(),
                FieldTable::default(),
            )
            .await
        {
            Ok(consumer) => consumer,
            Err(err) => {
                // The queue has no leader right now (an election): try again shortly.
                println!(" [!] cannot consume on node {} yet: {err}", node + 1);
                let _ = rabbitmq.close().await;
                tokio::time::sleep(Duration::from_secs(1)).await;
                continue 'connect;
            }
        };
        println!(" [*] consuming '{}' on node {}", options.queue, node + 1);
        loop {
            let next = tokio::time::timeout(Duration::from_millis(500), consumer.next()).await;
            let delivery = match next {
                Err(_quiet) if last_message.elapsed() >= options.idle_timeout => {
                    rabbitmq.close().await?;
                    break 'connect;
                }
                Err(_quiet) => continue,
                Ok(Some(Ok(delivery))) => delivery,
                Ok(Some(Err(err))) => {
                    println!(" [!] the consumer on node {} stopped: {err}", node + 1);
                    node += 1; // this node may be the one that died
                    continue 'connect;
                }
                Ok(None) => {
                    println!(" [!] the broker cancelled the consumer; consuming again");
                    // Closing hands back what this channel had not acked.
                    let _ = rabbitmq.close().await;
                    continue 'connect;
                }
            };
            tokio::time::sleep(options.work).await;
            if let Err(err) = delivery.ack(BasicAckOptions::default()).await {
                // Not acked: the broker delivers it again, here or elsewhere.
                println!(" [!] ack failed on node {}: {err}", node + 1);
                let _ = rabbitmq.close().await;
                continue 'connect;
            }
            if let Some(n) = ledger::number(&delivery.data) {
                writeln!(out, "{n}")?;
            }
            received += 1;
            last_message = Instant::now();
            if last_progress.elapsed() >= Duration::from_secs(1) {
                println!(" [.] received {received} on node {}", node + 1);
                last_progress = Instant::now();
            }
        }
    }
    // ANCHOR_END: consume
    println!(
        " [*] received {received}; nothing more for {:?}",
        options.idle_timeout
    );
    out.flush().context("writing the received numbers")
}

/// Whether each queue can be used now, and how many messages it holds: one line per queue.
pub async fn check(urls: &[String], start: usize, queues: &[String]) -> anyhow::Result<()> {
    let (rabbitmq, node) = connect_any(urls, start, "lab check").await?;
    for queue in queues {
        // A failed passive declare closes its channel: one channel per queue.
        let channel = rabbitmq.create_channel().await?;
        match channel
            .queue_declare(
                queue.as_str().into(),
                QueueDeclareOptions {
                    passive: true,
                    ..QueueDeclareOptions::default()
                },
                FieldTable::default(),
            )
            .await
        {
            Ok(found) => println!(
                " [*] {queue} (seen from node {}): available, {} message(s) ready",
                node + 1,
                found.message_count()
            ),
            Err(err) => println!(
                " [!] {queue} (seen from node {}): unavailable: {err}",
                node + 1
            ),
        }
    }
    rabbitmq.close().await
}

/// Takes every message off `queue` (basic.get and ack until it is empty): their numbers.
pub async fn read_back(urls: &[String], start: usize, queue: &str) -> anyhow::Result<Vec<u64>> {
    let (rabbitmq, node) = connect_any(urls, start, "lab verify").await?;
    let channel = rabbitmq.channel();
    let mut numbers = Vec::new();
    loop {
        let got = channel
            .basic_get(queue.into(), BasicGetOptions::default())
            .await
            .with_context(|| format!("reading '{queue}' on node {}", node + 1))?;
        let Some(message) = got else { break };
        if let Some(n) = ledger::number(&message.delivery.data) {
            numbers.push(n);
        }
        message
            .delivery
            .ack(BasicAckOptions::default())
            .await
            .context("acking")?;
    }
    rabbitmq.close().await?;
    Ok(numbers)
}
