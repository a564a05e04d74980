//! The RabbitMQ side of the lab, on lapin: connecting to a cluster through a list of node
//! addresses, and a numbered producer with publisher confirms that moves to a surviving node
//! when its node dies. `consume.rs`: a consumer that does the same, and the read-back.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context as _, bail};
use lapin::Confirmation;
use lapin::options::{
    BasicPublishOptions, ConfirmSelectOptions, QueueDeclareOptions, QueueDeleteOptions,
};
use lapin::types::{AMQPValue, FieldTable};
use lapin::{BasicProperties, Channel};
use mq_common::config::{AmqpUrl, RabbitArgs};
use mq_common::rabbit::RabbitMQ;

use crate::ledger::{self, Ledger, Outcome};

mod consume;

pub use consume::{ConsumeOptions, check, consume, read_back};

/// One URL per node: the user, password and vhost of `url` (AMQP_URL), at each node's address.
pub fn node_urls(url: &str, nodes: &[String]) -> anyhow::Result<Vec<String>> {
    let url = AmqpUrl::parse(url).map_err(anyhow::Error::msg)?;
    Ok(nodes.iter().map(|node| url.at(node)).collect())
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
    let mut unreachable = Vec::new();
    for k in 0..urls.len() {
        let i = (start + k) % urls.len();
        let args = RabbitArgs {
            amqp_url: Some(urls[i].clone()),
        };
        match RabbitMQ::open(&args, name).await {
            Ok(rabbitmq) => return Ok((rabbitmq, i)),
            // A node that is down: try the next. Any other refusal (a wrong password, a
            // missing vhost) would be the same on every node: say it as it is.
            Err(err) => match err.downcast_ref::<mq_common::error::Error>() {
                Some(mq_common::error::Error::RabbitUnreachable { reason, .. }) => {
                    unreachable.push(format!("node {} ({reason})", i + 1));
                }
                _ => return Err(err),
            },
        }
    }
    bail!(
        "no node of the lab's RabbitMQ cluster answers: {}; start it with `just cluster-up`",
        unreachable.join(", ")
    )
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

/// How long the producer waits before it sends a refused message again, and how often it tries.
const RETRY_PAUSE: Duration = Duration::from_millis(200);
const MAX_REFUSALS: u32 = 50;

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
            let mut refusals = 0;
            loop {
                match publish(&channel, &queue.name, n).await {
                    Ok(outcome @ Outcome::Refused(_)) => {
                        // Not taken: send it again, after a pause, on a new channel (one that
                        // first met a quorum queue during its election may go on refusing).
                        ledger.record(n, &outcome)?;
                        refusals += 1;
                        if refusals == MAX_REFUSALS {
                            // The ledgers are flushed as they are dropped.
                            bail!(
                                "queue '{}' refused message {n} {MAX_REFUSALS} times in a row \
                                 ({outcome:?}); does it exist? `--fresh` declares it",
                                queue.name
                            );
                        }
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
