//! # lab: the replication lab's tools, on the three-node clusters of `just cluster-up`
//!
//! Teaches: what "acknowledged" is worth when a node dies. Every message has a number; the
//! producers write the broker's answer for each one into a ledger; after the fault the
//! verifier reads everything back and prints one table: sent, acknowledged, present, lost
//! (acknowledged, then missing), duplicated, out of order.
//!
//! `just kafka-replication` and `just rabbit-quorum` run the whole story (scripts/lab.sh);
//! each step is one of these subcommands, or one of Kafka's and RabbitMQ's own tools.

mod cli;
mod kafka;
mod ledger;
mod rabbit;

use std::path::Path;

use anyhow::Context as _;
use cli::{Args, Command, Verify};

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
            high_watermark,
            timeout,
            cluster,
        } => {
            let until = match (leader_other_than, isr, high_watermark) {
                (Some(old), _, _) => kafka::Until::LeaderOtherThan(old),
                (None, Some(mut isr), _) => {
                    isr.sort_unstable();
                    kafka::Until::Isr(isr)
                }
                (None, None, Some(offset)) => kafka::Until::HighWatermark(offset),
                (None, None, None) => {
                    anyhow::bail!("give --leader-other-than, --isr or --high-watermark")
                }
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
