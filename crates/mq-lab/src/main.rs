//! # lab: the replication lab's tools, on the three-node clusters of `just cluster-up`
//!
//! Teaches: what "acknowledged" is worth when a node dies. Every message has a number; the
//! producers write the broker's answer for each one into a ledger; after the fault the
//! verifier reads everything back and prints one table: sent, acknowledged, present, lost
//! (acknowledged, then missing), duplicated, out of order.
//!
//! `just kafka-replication` and `just rabbit-quorum` run the whole story (scripts/lab.sh);
//! each step is one of these subcommands, or one of Kafka's and RabbitMQ's own tools.

mod kafka;
mod ledger;
mod rabbit;

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::Context as _;
use clap::{Parser, Subcommand};
use mq_common::config::{RabbitArgs, parse_duration};

/// The replication lab: produce numbered messages, kill a node, count what was lost.
#[derive(Parser, Debug)]
#[command(version)]
struct Args {
    #[command(subcommand)]
    command: Command,
}

/// The Kafka cluster's bootstrap list.
#[derive(clap::Args, Debug)]
struct KafkaCluster {
    /// The lab cluster's brokers, comma-separated HOST:PORT (docker/brokers.env).
    #[arg(
        long,
        env = "LAB_KAFKA_BROKERS",
        default_value = "127.0.0.1:19192,127.0.0.1:19292,127.0.0.1:19392"
    )]
    brokers: String,
}

/// The RabbitMQ cluster's nodes, and the user, password and vhost to use on them.
#[derive(clap::Args, Debug)]
struct RabbitCluster {
    /// The lab cluster's nodes, comma-separated HOST:PORT, in the order to try them.
    #[arg(
        long,
        env = "LAB_RABBITMQ_NODES",
        value_delimiter = ',',
        default_value = "127.0.0.1:5681,127.0.0.1:5682,127.0.0.1:5683"
    )]
    nodes: Vec<String>,
    /// The node to try first (1, 2 or 3); the others follow in turn.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u8).range(1..=3))]
    first_node: u8,
    /// Its user, password and vhost are used on every node (`just cluster-up` creates them).
    #[command(flatten)]
    rabbit: RabbitArgs,
}

impl RabbitCluster {
    fn urls(&self) -> anyhow::Result<Vec<String>> {
        let url = self
            .rabbit
            .amqp_url
            .as_deref()
            .context("AMQP_URL is not set: run `just up` to write .env")?;
        rabbit::node_urls(url, &self.nodes)
    }

    fn start(&self) -> usize {
        usize::from(self.first_node - 1)
    }
}

/// What to record a run as.
#[derive(clap::Args, Debug)]
struct Verify {
    /// The run's name in the table.
    #[arg(long)]
    run: String,
    /// Also append the row to this report file (JSON lines; `lab report` prints them).
    #[arg(long)]
    report: Option<PathBuf>,
}

#[derive(Subcommand, Debug)]
enum Command {
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
    /// Wait until partition 0 of a topic has another leader, or exactly the ISR given.
    KafkaWait {
        #[arg(long)]
        topic: String,
        /// Wait for a leader other than this node.
        #[arg(long, conflicts_with = "isr", required_unless_present = "isr")]
        leader_other_than: Option<i32>,
        /// Wait for exactly these in-sync replicas, comma-separated.
        #[arg(long, value_delimiter = ',')]
        isr: Option<Vec<i32>>,
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

fn main() -> ! {
    let args: Args = mq_common::cli::init();
    // The clients that are async (lapin, rdkafka's FutureProducer) run on this runtime; the
    // blocking rdkafka calls (metadata, the read-back) run outside it. It lives until the
    // process exits: lapin's I/O may still be on it when an error ends the program.
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(err) => mq_common::cli::exit(Err(err).context("starting the Tokio runtime")),
    };
    mq_common::cli::exit(run(args, &runtime))
}

fn run(args: Args, runtime: &tokio::runtime::Runtime) -> anyhow::Result<()> {
    match args.command {
        Command::KafkaProduce {
            topic,
            acks,
            retries,
            delivery_timeout,
            first,
            count,
            interval,
            ledger,
            cluster,
        } => {
            let options = kafka::ProduceOptions {
                brokers: cluster.brokers,
                topic,
                acks,
                retries,
                delivery_timeout,
                first,
                count,
                interval,
            };
            runtime.block_on(kafka::produce(&options, &ledger))
        }
        Command::KafkaWait {
            topic,
            leader_other_than,
            isr,
            timeout,
            cluster,
        } => {
            let until = match (leader_other_than, isr) {
                (Some(old), _) => kafka::Until::LeaderOtherThan(old),
                (None, Some(mut isr)) => {
                    isr.sort_unstable();
                    kafka::Until::Isr(isr)
                }
                (None, None) => anyhow::bail!("give --leader-other-than or --isr"),
            };
            kafka::wait(&cluster.brokers, &topic, &until, timeout)
        }
        Command::KafkaLeader { topic, cluster } => {
            println!("{}", kafka::leader(&cluster.brokers, &topic)?);
            Ok(())
        }
        Command::KafkaVerify {
            topic,
            ledger,
            group_output,
            verify,
            cluster,
        } => {
            let entries = ledger::read(&ledger)?;
            let read = kafka::read_back(&cluster.brokers, &topic)?;
            let tally = ledger::tally(&verify.run, &entries, &read);
            finish(&tally, &verify)?;
            if let Some(path) = group_output {
                group_received(&path, &entries)?;
            }
            Ok(())
        }
        Command::RabbitProduce {
            classic,
            quorum,
            first,
            count,
            interval,
            ledger_dir,
            fresh,
            cluster,
        } => {
            let queues: Vec<rabbit::LabQueue> = classic
                .into_iter()
                .map(|name| rabbit::LabQueue {
                    name,
                    quorum: false,
                })
                .chain(
                    quorum
                        .into_iter()
                        .map(|name| rabbit::LabQueue { name, quorum: true }),
                )
                .collect();
            anyhow::ensure!(
                !queues.is_empty(),
                "give at least one --classic or --quorum queue"
            );
            let options = rabbit::ProduceOptions {
                urls: cluster.urls()?,
                queues,
                first,
                count,
                interval,
                ledger_dir,
                fresh,
            };
            runtime.block_on(rabbit::produce(&options))
        }
        Command::RabbitConsume {
            queue,
            out,
            prefetch,
            work,
            idle_timeout,
            cluster,
        } => {
            let options = rabbit::ConsumeOptions {
                urls: cluster.urls()?,
                start: cluster.start(),
                queue,
                prefetch,
                work,
                idle_timeout,
                out,
            };
            runtime.block_on(rabbit::consume(&options))
        }
        Command::RabbitCheck { queues, cluster } => {
            runtime.block_on(rabbit::check(&cluster.urls()?, cluster.start(), &queues))
        }
        Command::RabbitVerify {
            queue,
            ledger_dir,
            consumed,
            verify,
            cluster,
        } => {
            let entries = ledger::read(&rabbit::ledger_path(&ledger_dir, &queue))?;
            // What a consumer took off the queue first, then what is left in it.
            let mut read = match &consumed {
                Some(path) => ledger::read_numbers(path)?,
                None => Vec::new(),
            };
            read.extend(runtime.block_on(rabbit::read_back(
                &cluster.urls()?,
                cluster.start(),
                &queue,
            ))?);
            let tally = ledger::tally(&verify.run, &entries, &read);
            finish(&tally, &verify)
        }
        Command::Report { file } => {
            ledger::print_table(&ledger::read_report(&file)?);
            Ok(())
        }
    }
}

/// Prints the row, and appends it to the report file if there is one.
fn finish(tally: &ledger::Tally, verify: &Verify) -> anyhow::Result<()> {
    ledger::print_table(std::slice::from_ref(tally));
    if let Some(report) = &verify.report {
        tally.append_to(report)?;
    }
    Ok(())
}

/// What kafka-group-consumer received (its `Value:lab-N` lines), against the acknowledged.
fn group_received(path: &Path, entries: &ledger::Entries) -> anyhow::Result<()> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let received: std::collections::BTreeSet<u64> = text
        .lines()
        .filter_map(|line| ledger::number(line.rsplit_once("Value:")?.1.as_bytes()))
        .collect();
    let missing = entries.acked.difference(&received).count();
    println!(
        "group consumer: received {} distinct message(s); of the {} acknowledged, {missing} missing",
        received.len(),
        entries.acked.len()
    );
    Ok(())
}
