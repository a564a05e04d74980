//! The `lab` command line: one subcommand per step of a story, and the clusters' addresses.

use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context as _;
use clap::{Parser, Subcommand};
use mq_common::config::{RabbitArgs, parse_duration};

use crate::rabbit;

/// The replication lab: produce numbered messages, kill a node, count what was lost.
#[derive(Parser, Debug)]
#[command(version)]
pub struct Args {
    #[command(subcommand)]
    pub command: Command,
}

/// The Kafka cluster's bootstrap list.
#[derive(clap::Args, Debug)]
pub struct KafkaCluster {
    /// The lab cluster's brokers, comma-separated HOST:PORT (docker/brokers.env).
    #[arg(
        long,
        env = "LAB_KAFKA_BROKERS",
        default_value = "127.0.0.1:19192,127.0.0.1:19292,127.0.0.1:19392"
    )]
    pub brokers: String,
}

/// The RabbitMQ cluster's nodes, and the user, password and vhost to use on them.
#[derive(clap::Args, Debug)]
pub struct RabbitCluster {
    /// The lab cluster's nodes, comma-separated HOST:PORT, in the order to try them.
    #[arg(
        long,
        env = "LAB_RABBITMQ_NODES",
        value_delimiter = ',',
        default_value = "127.0.0.1:5681,127.0.0.1:5682,127.0.0.1:5683"
    )]
    pub nodes: Vec<String>,
    /// The node to try first (1, 2 or 3); the others follow in turn.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u8).range(1..=3))]
    pub first_node: u8,
    /// Its user, password and vhost are used on every node (`just cluster-up` creates them).
    #[command(flatten)]
    pub rabbit: RabbitArgs,
}

impl RabbitCluster {
    pub fn urls(&self) -> anyhow::Result<Vec<String>> {
        let url = self
            .rabbit
            .amqp_url
            .as_deref()
            .context("AMQP_URL is not set: run `just up` to write .env")?;
        rabbit::node_urls(url, &self.nodes)
    }

    pub fn start(&self) -> usize {
        usize::from(self.first_node - 1)
    }
}

/// What to record a run as.
#[derive(clap::Args, Debug)]
pub struct Verify {
    /// The run's name in the table.
    #[arg(long)]
    pub run: String,
    /// Also append the row to this report file (JSON lines; `lab report` prints them).
    #[arg(long)]
    pub report: Option<PathBuf>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Send numbered messages with the acks you choose; write each answer to a ledger.
    KafkaProduce {
        #[arg(long)]
        topic: String,
        /// 0, 1 or all.
        #[arg(long, value_parser = ["0", "1", "all"])]
        acks: String,
        /// Times a retriable refusal is retried (librdkafka's default: until the delivery timeout).
        #[arg(long)]
        retries: Option<u32>,
        /// How long a message may wait for its answer, retries included.
        #[arg(long, default_value = "30s", value_parser = parse_duration)]
        delivery_timeout: Duration,
        #[arg(long, default_value_t = 1)]
        first: u64,
        #[arg(long, default_value_t = 1000)]
        count: u64,
        #[arg(long, default_value = "2ms", value_parser = parse_duration)]
        interval: Duration,
        /// The ledger: each answer is added to it.
        #[arg(long)]
        ledger: PathBuf,
        #[command(flatten)]
        cluster: KafkaCluster,
    },
    /// Wait until partition 0 of a topic has another leader, exactly the ISR given, or a high
    /// watermark this high.
    #[command(group = clap::ArgGroup::new("until").required(true).multiple(false))]
    KafkaWait {
        #[arg(long)]
        topic: String,
        /// Wait for a leader other than this node.
        #[arg(long, group = "until")]
        leader_other_than: Option<i32>,
        /// Wait for exactly these in-sync replicas, comma-separated.
        #[arg(long, value_delimiter = ',', group = "until")]
        isr: Option<Vec<i32>>,
        /// Wait until the high watermark reaches this offset (the ISR has every message below).
        #[arg(long, group = "until")]
        high_watermark: Option<i64>,
        #[arg(long, default_value = "60s", value_parser = parse_duration)]
        timeout: Duration,
        #[command(flatten)]
        cluster: KafkaCluster,
    },
    /// Print the node that leads partition 0 of a topic.
    KafkaLeader {
        #[arg(long)]
        topic: String,
        #[command(flatten)]
        cluster: KafkaCluster,
    },
    /// Read a topic back and set it beside the ledger: one row of the table.
    KafkaVerify {
        #[arg(long)]
        topic: String,
        #[arg(long)]
        ledger: PathBuf,
        /// What kafka-group-consumer printed: also count what it received.
        #[arg(long)]
        group_output: Option<PathBuf>,
        #[command(flatten)]
        verify: Verify,
        #[command(flatten)]
        cluster: KafkaCluster,
    },
    /// Send numbered persistent messages to classic and quorum queues with confirms, moving to
    /// another node if this one dies.
    RabbitProduce {
        /// A classic durable queue (it lives on the node the producer connects to first).
        #[arg(long)]
        classic: Vec<String>,
        /// A quorum queue (a member on every node).
        #[arg(long)]
        quorum: Vec<String>,
        #[arg(long, default_value_t = 1)]
        first: u64,
        #[arg(long, default_value_t = 1000)]
        count: u64,
        #[arg(long, default_value = "0s", value_parser = parse_duration)]
        interval: Duration,
        /// One ledger per queue goes here (QUEUE.ledger).
        #[arg(long)]
        ledger_dir: PathBuf,
        /// Delete and declare the queues first; without it they must exist.
        #[arg(long)]
        fresh: bool,
        #[command(flatten)]
        cluster: RabbitCluster,
    },
    /// Consume a queue with manual acks, writing each number received to a file.
    RabbitConsume {
        #[arg(long)]
        queue: String,
        #[arg(long)]
        out: PathBuf,
        #[arg(long, default_value_t = 50)]
        prefetch: u16,
        /// Pretend work per message.
        #[arg(long, default_value = "0s", value_parser = parse_duration)]
        work: Duration,
        #[arg(long, default_value = "10s", value_parser = parse_duration)]
        idle_timeout: Duration,
        #[command(flatten)]
        cluster: RabbitCluster,
    },
    /// Say whether each queue can be used now, and how many messages it holds.
    RabbitCheck {
        #[arg(long = "queue", required = true)]
        queues: Vec<String>,
        #[command(flatten)]
        cluster: RabbitCluster,
    },
    /// Take a queue's messages off, and set them (with what a consumer took) beside the ledger.
    RabbitVerify {
        #[arg(long)]
        queue: String,
        #[arg(long)]
        ledger_dir: PathBuf,
        /// Numbers a consumer took off the queue before (`rabbit-consume --out`).
        #[arg(long)]
        consumed: Option<PathBuf>,
        #[command(flatten)]
        verify: Verify,
        #[command(flatten)]
        cluster: RabbitCluster,
    },
    /// Print the rows of a report file as one table.
    Report { file: PathBuf },
}
