//! What librdkafka tells the member: rebalances (the lesson's lines) and its own logs (quiet
//! unless `RUST_LOG` asks for them).

use rdkafka::client::ClientContext;
use rdkafka::config::RDKafkaLogLevel;
use rdkafka::consumer::{BaseConsumer, ConsumerContext, Rebalance};
use rdkafka::error::KafkaError;
use rdkafka::topic_partition_list::TopicPartitionList;

/// The group member's context.
#[derive(Debug)]
pub struct GroupContext;

impl ClientContext for GroupContext {
    /// librdkafka's logs go to `log` at debug level: `RUST_LOG=kafka_group_consumer=debug`
    /// shows them. By default a broker that is down does not print a line every second.
    fn log(&self, level: RDKafkaLogLevel, facility: &str, message: &str) {
        log::debug!("librdkafka {level:?} {facility}: {message}");
    }

    fn error(&self, error: KafkaError, reason: &str) {
        log::debug!("librdkafka error {error}: {reason}");
    }
}

// ANCHOR: rebalance
impl ConsumerContext for GroupContext {
    /// Before partitions are taken away, and before new ones are given.
    fn pre_rebalance(&self, _consumer: &BaseConsumer<Self>, rebalance: &Rebalance<'_>) {
        if let Rebalance::Revoke(partitions) = rebalance {
            println!(" [rebalance] revoked {:?}", ids(partitions));
        }
    }

    /// Once the new assignment is in place.
    fn post_rebalance(&self, _consumer: &BaseConsumer<Self>, rebalance: &Rebalance<'_>) {
        match rebalance {
            Rebalance::Assign(partitions) => {
                println!(" [rebalance] assigned {:?}", ids(partitions))
            }
            Rebalance::Revoke(_) => {}
            Rebalance::Error(err) => log::warn!("rebalance failed: {err}"),
        }
    }
}
// ANCHOR_END: rebalance

/// The partition numbers of a list, sorted.
fn ids(partitions: &TopicPartitionList) -> Vec<i32> {
    let mut ids: Vec<i32> = partitions
        .elements()
        .iter()
        .map(|e| e.partition())
        .collect();
    ids.sort_unstable();
    ids
}
