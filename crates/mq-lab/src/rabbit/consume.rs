//! The lab's RabbitMQ consumer, and what the verifier and the story ask of a queue: can it be
//! used now, and what is in it.

use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::Context as _;
use futures_lite::StreamExt;
use lapin::options::{
    BasicAckOptions, BasicConsumeOptions, BasicGetOptions, BasicQosOptions, QueueDeclareOptions,
};
use lapin::types::FieldTable;

use super::connect_any;
use crate::ledger;

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
