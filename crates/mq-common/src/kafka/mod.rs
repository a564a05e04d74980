//! Kafka, chapter 2, on `rustfs-kafka`: kafka-rust's maintained line, with kafka-rust's
//! synchronous API. It asks each broker which protocol versions it speaks (ApiVersions) and
//! sends record batches v2, so it works with Kafka 3.x and 4.x alike. (kafka-rust 0.10, the
//! `kafka` crate, sends only the v0 requests that Kafka 4.0 removed, KIP-896.)

use std::net::{TcpStream, ToSocketAddrs};
use std::str::FromStr;
use std::time::{Duration, Instant};

use anyhow::bail;
use rand::Rng;
use rustfs_kafka::client::{FetchOffset, KafkaClient, RequiredAcks};
use rustfs_kafka::error::{KafkaCode, ProtocolError};

use crate::config::KafkaArgs;
use crate::error::Error;

/// The tutorial's topic.
pub const DEFAULT_TOPIC: &str = "web_log";

// ANCHOR: connect
/// Connects to Kafka and loads the cluster's metadata. A broker that does not answer, or one
/// too old for the protocol versions rustfs-kafka needs, gets one line that says what to do.
pub fn connect(args: &KafkaArgs) -> Result<KafkaClient, Error> {
    let brokers = args.kafka_brokers.join(",");
    let mut client = KafkaClient::new(args.kafka_brokers.clone());
    client.set_client_id("mq-tutorial-rs".to_owned());
    client.load_metadata_all().map_err(|source| match source {
        // rustfs-kafka drops a broker whose ApiVersions answer lacks what it needs, and then
        // finds no host: a broker that accepts a connection is one too old for it.
        rustfs_kafka::Error::Connection(_) if answers(&args.kafka_brokers) => Error::KafkaTooOld {
            brokers: brokers.clone(),
        },
        rustfs_kafka::Error::Connection(reason) => Error::KafkaUnreachable {
            brokers: brokers.clone(),
            reason: reason.to_string(),
        },
        rustfs_kafka::Error::Protocol(ProtocolError::UnsupportedVersion)
        | rustfs_kafka::Error::Kafka(KafkaCode::UnsupportedVersion) => Error::KafkaTooOld {
            brokers: brokers.clone(),
        },
        source => Error::Kafka {
            brokers: brokers.clone(),
            source,
        },
    })?;
    Ok(client)
}
// ANCHOR_END: connect

/// Does this cluster run Kafka 4's consumer rebalance protocol (KIP-848)? Asked with
/// ApiVersions: Kafka 4.0 and newer answer ConsumerGroupHeartbeat from version 1. (Kafka 3.9
/// lists version 0 of it, an early access that is off unless the broker is told otherwise.)
pub fn speaks_consumer_protocol(brokers: &[String]) -> Result<bool, Error> {
    let mut client = KafkaClient::new(brokers.to_vec());
    client.set_client_id("mq-tutorial-rs".to_owned());
    let versions = client
        .fetch_api_versions()
        .map_err(|err| Error::KafkaUnreachable {
            brokers: brokers.join(","),
            reason: err.to_string(),
        })?;
    const CONSUMER_GROUP_HEARTBEAT: i16 = 68;
    Ok(versions
        .api_keys
        .iter()
        .any(|api| api.api_key == CONSUMER_GROUP_HEARTBEAT && api.max_version >= 1))
}

/// Does any of `brokers` accept a TCP connection?
fn answers(brokers: &[String]) -> bool {
    brokers.iter().any(|broker| {
        broker.to_socket_addrs().is_ok_and(|mut addrs| {
            addrs.any(|addr| TcpStream::connect_timeout(&addr, Duration::from_secs(2)).is_ok())
        })
    })
}

// ANCHOR: ensure_topic
/// Loads `topic`'s metadata and returns its partition ids, once every partition has a leader
/// that answers.
///
/// With `create`, asking for the topic by name makes a broker with `auto.create.topics.enable`
/// create it. (The producer loads metadata for *all* topics, which never creates one: without
/// this step the first send fails with UnknownTopicOrPartition.)
///
/// A brand-new topic, whoever created it, is not ready at once: see [`until_topic_ready`].
pub fn ensure_topic(
    client: &mut KafkaClient,
    topic: &str,
    create: bool,
) -> anyhow::Result<Vec<i32>> {
    until_topic_ready(topic, || topic_partitions(client, topic, create))
}

/// One attempt of [`ensure_topic`]: `topic`'s partition ids if every partition has a leader
/// that answers, or an error that [`until_topic_ready`] retries if it has not yet. For a
/// caller that retries a larger step itself (`kafka-consumer` retries creating its
/// consumer), so that the waits do not nest.
pub fn topic_partitions(
    client: &mut KafkaClient,
    topic: &str,
    create: bool,
) -> anyhow::Result<Vec<i32>> {
    if create {
        client.load_metadata(&[topic])?;
    } else {
        client.load_metadata_all()?;
    }
    let topics = client.topics();
    let Some(partitions) = topics.partitions(topic) else {
        if create {
            return Err(not_ready().into());
        }
        bail!(
            "topic '{topic}' does not exist: run the producer first (it creates the topic) \
             or create it with `just kafka-topic {topic} 3`"
        );
    };
    let ids: Vec<i32> = partitions.iter().map(|p| p.id()).collect();
    let leaders = partitions.available_ids().len();
    if ids.is_empty() || leaders != ids.len() {
        return Err(not_ready().into());
    }
    // The metadata may name a leader that has not taken the partition over yet; asking
    // each leader for its newest offset proves that it serves the partition.
    client.fetch_offsets(&[topic], FetchOffset::Latest)?;
    Ok(ids)
}
// ANCHOR_END: ensure_topic

/// How long a new topic may take until each of its partitions has a working leader.
const LEADER_WAIT: Duration = Duration::from_secs(10);

/// Runs `attempt` until it succeeds, for at most [`LEADER_WAIT`], while it fails only because
/// `topic` is not ready yet.
///
/// Right after a topic is created, the controller has picked a leader for each partition, but
/// the broker takes a moment to act on it: requests fail with LeaderNotAvailable,
/// NotLeaderForPartition or UnknownTopicOrPartition. That is not an error, just too early, so
/// this reloads (each `attempt` starts over) with a short backoff and says once that it waits.
pub fn until_topic_ready<T>(
    topic: &str,
    mut attempt: impl FnMut() -> anyhow::Result<T>,
) -> anyhow::Result<T> {
    let deadline = Instant::now() + LEADER_WAIT;
    let mut backoff = Duration::from_millis(50);
    let mut waiting = false;
    loop {
        match attempt() {
            Err(err) if is_not_ready(&err) => {
                if Instant::now() >= deadline {
                    bail!(
                        "topic '{topic}' still has no working leader after {}s ({err:#}); \
                         is the broker healthy? (just status)",
                        LEADER_WAIT.as_secs()
                    );
                }
                if !waiting {
                    log::info!("waiting for topic '{topic}' to get a leader");
                    waiting = true;
                }
                std::thread::sleep(backoff);
                backoff = (backoff * 2).min(Duration::from_millis(500));
            }
            result => return result,
        }
    }
}

/// The error that [`ensure_topic`] reports for a partition without a leader in the metadata.
fn not_ready() -> rustfs_kafka::Error {
    rustfs_kafka::Error::Kafka(KafkaCode::LeaderNotAvailable)
}

/// Does `err` only say that a new topic is not ready yet?
fn is_not_ready(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        let code = match cause.downcast_ref::<rustfs_kafka::Error>() {
            Some(rustfs_kafka::Error::Kafka(code)) => code,
            Some(rustfs_kafka::Error::TopicPartitionError { error_code, .. }) => error_code,
            Some(rustfs_kafka::Error::BrokerRequestError { source, .. }) => match &**source {
                rustfs_kafka::Error::Kafka(code) => code,
                _ => return false,
            },
            _ => return false,
        };
        matches!(
            code,
            KafkaCode::LeaderNotAvailable
                | KafkaCode::NotLeaderForPartition
                | KafkaCode::UnknownTopicOrPartition
        )
    })
}

/// `--acks 0|1|all`: how many replicas must have the message before the broker answers.
pub fn parse_acks(s: &str) -> Result<RequiredAcks, String> {
    match s {
        "0" => Ok(RequiredAcks::None),
        "1" => Ok(RequiredAcks::One),
        "all" | "-1" => Ok(RequiredAcks::All),
        _ => Err(format!("'{s}' is not an acks setting; use 0, 1 or all")),
    }
}

// ANCHOR: random_partitioner
/// sarama's `NewRandomPartitioner`, which the tutorial's producer uses: a partition picked at
/// random among those that have a leader, for every message, key or no key. The producer sets
/// it on each record (`Record::with_partition`), so it knows where each message went and can
/// send again exactly what a partition refused. (rustfs-kafka's `DefaultPartitioner` hashes
/// the key, and goes round-robin without one.)
pub fn random_partition(client: &KafkaClient, topic: &str) -> Option<i32> {
    let topics = client.topics();
    let ids = topics.partitions(topic)?.available_ids();
    if ids.is_empty() {
        return None;
    }
    Some(ids[rand::rng().random_range(0..ids.len())])
}
// ANCHOR_END: random_partitioner

// ANCHOR: member
/// `--member I/N`: this consumer is member I of N in its group, and takes the partitions p
/// with p % N == I - 1.
///
/// kafka-rust has no group membership protocol (JoinGroup/SyncGroup/Heartbeat): it only
/// stores the group's offsets. So the split is static. sarama's `ConsumerGroup` instead joins
/// the group, and the group coordinator rebalances the partitions whenever a member comes or
/// goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Member {
    pub index: u32,
    pub of: u32,
}

impl Member {
    pub fn partitions(self, all: &[i32]) -> Vec<i32> {
        all.iter()
            .copied()
            .filter(|p| p.rem_euclid(self.of as i32) as u32 == self.index - 1)
            .collect()
    }
}

impl FromStr for Member {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        let usage = || format!("'{s}' is not a member; write I/N, e.g. 1/2 for the first of two");
        let (index, of) = s.split_once('/').ok_or_else(usage)?;
        let index: u32 = index.trim().parse().map_err(|_| usage())?;
        let of: u32 = of.trim().parse().map_err(|_| usage())?;
        if of == 0 || index == 0 || index > of {
            return Err(format!("member {index}/{of}: I must be between 1 and N"));
        }
        Ok(Self { index, of })
    }
}
// ANCHOR_END: member

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn acks() {
        assert!(matches!(parse_acks("all"), Ok(RequiredAcks::All)));
        assert!(matches!(parse_acks("1"), Ok(RequiredAcks::One)));
        assert!(matches!(parse_acks("0"), Ok(RequiredAcks::None)));
        assert!(parse_acks("7").is_err());
    }

    #[test]
    fn members_split_partitions_disjointly() {
        let all = [0, 1, 2, 3, 4];
        let one: Member = "1/2".parse().expect("a well-formed response");
        let two: Member = "2/2".parse().expect("a well-formed response");
        assert_eq!(one.partitions(&all), vec![0, 2, 4]);
        assert_eq!(two.partitions(&all), vec![1, 3]);
        assert!("3/2".parse::<Member>().is_err());
        assert!("0/2".parse::<Member>().is_err());
        assert!("1/0".parse::<Member>().is_err());
        assert!("x".parse::<Member>().is_err());
    }
}
