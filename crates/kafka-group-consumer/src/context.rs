//! What librdkafka tells the member: rebalances (the lesson's lines) and its own logs (quiet
//! unless `RUST_LOG` asks for them).

use mq_common::lines::{ASSIGNED, REVOKED};
use rdkafka::client::ClientContext;
use rdkafka::config::RDKafkaLogLevel;
use rdkafka::consumer::{BaseConsumer, Consumer, ConsumerContext, Rebalance, RebalanceProtocol};
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
            println!("{REVOKED} {:?}", ids(partitions));
        }
    }

    /// Once the new assignment is in place: all the partitions this member now reads. (The
    /// classic protocol hands each member its whole assignment; Kafka 4's consumer protocol
    /// only what changed, the partitions added or revoked.)
    fn post_rebalance(&self, consumer: &BaseConsumer<Self>, rebalance: &Rebalance<'_>) {
        match rebalance {
            // An incremental assignment of nothing changes nothing: no line.
            Rebalance::Assign(partitions)
                if partitions.count() == 0
                    && matches!(
                        consumer.rebalance_protocol(),
                        RebalanceProtocol::Cooperative
                    ) => {}
            Rebalance::Assign(partitions) => {
                let now = consumer
                    .assignment()
                    .map_or_else(|_| ids(partitions), |all| ids(&all));
                println!("{ASSIGNED} {now:?}");
            }
            // Kafka 4's protocol revokes some partitions and leaves the others in place.
            Rebalance::Revoke(_) => {
                if let Ok(all) = consumer.assignment()
                    && all.count() > 0
                {
                    println!("{ASSIGNED} {:?}", ids(&all));
                }
            }
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
