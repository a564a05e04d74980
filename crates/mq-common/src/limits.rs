//! The largest message each broker takes, so that a producer refuses a larger `--size` at once,
//! before it builds the body or sends a byte. Sent anyway, a body of 1 GB would take its time
//! and memory to reach RabbitMQ, only to be refused there; Kafka would close the connection.
//!
//! A broker's limit is its own setting, which a client cannot ask for (RabbitMQ shows it to
//! administrators only), so the limit is given here: by default, what the tutorial's brokers run
//! with; `--max-message-size` (or `RABBITMQ_MAX_MESSAGE_SIZE`) and `--max-message-bytes` (or
//! `KAFKA_MAX_MESSAGE_BYTES`) for a broker set otherwise. A body the broker refuses all the
//! same still gets the broker's own reason.

use crate::error::Error;

/// docker/rabbitmq.conf, which both ways of running the tutorial's RabbitMQ (native and compose,
/// 3.10 and 4) use: its `max_message_size` is the limit by default.
const RABBITMQ_CONF: &str = include_str!("../../../docker/rabbitmq.conf");

/// RabbitMQ 4.0's default `max_message_size` (16 MiB; 128 MiB before 4.0).
const RABBITMQ_DEFAULT: usize = 16 * 1024 * 1024;

/// Kafka's default `message.max.bytes` (1 MiB and 12 bytes), which docker/kafka.env leaves.
pub const KAFKA_MESSAGE_MAX_BYTES: usize = 1_048_588;

/// The `max_message_size` of docker/rabbitmq.conf (RabbitMQ 4's default if it sets none).
pub fn rabbitmq_max_message_size() -> usize {
    RABBITMQ_CONF
        .lines()
        .filter_map(|line| line.split_once('='))
        .find(|(key, _)| key.trim() == "max_message_size")
        .and_then(|(_, value)| value.trim().parse().ok())
        .unwrap_or(RABBITMQ_DEFAULT)
}

/// The largest message RabbitMQ takes.
#[derive(clap::Args, Debug, Clone)]
pub struct RabbitLimit {
    /// The broker's max_message_size (its rabbitmq.conf), in bytes: a larger --size is refused
    /// before anything is sent. The default is docker/rabbitmq.conf's, which the tutorial's
    /// RabbitMQ runs with.
    #[arg(long, value_name = "BYTES", env = "RABBITMQ_MAX_MESSAGE_SIZE",
          default_value_t = rabbitmq_max_message_size())]
    pub max_message_size: usize,
}

impl RabbitLimit {
    /// A body of `size` bytes (`--size`), against the broker's limit.
    pub fn check(&self, size: Option<usize>) -> Result<(), Error> {
        check(
            size,
            self.max_message_size,
            "RabbitMQ's max_message_size",
            || {
                if self.max_message_size == rabbitmq_max_message_size() {
                    "set in docker/rabbitmq.conf (a broker of your own: its rabbitmq.conf; then pass \
                 its value with --max-message-size)"
                    .to_owned()
                } else {
                    "as --max-message-size (or RABBITMQ_MAX_MESSAGE_SIZE) says; the broker's \
                 rabbitmq.conf sets it"
                        .to_owned()
                }
            },
        )
    }
}

/// The largest message Kafka takes.
#[derive(clap::Args, Debug, Clone)]
pub struct KafkaLimit {
    /// The broker's message.max.bytes (its server.properties; a topic may lower it with
    /// max.message.bytes), in bytes: a larger --size is refused before anything is sent.
    #[arg(long, value_name = "BYTES", env = "KAFKA_MAX_MESSAGE_BYTES",
          default_value_t = KAFKA_MESSAGE_MAX_BYTES)]
    pub max_message_bytes: usize,
}

impl KafkaLimit {
    /// A body of `size` bytes (`--size`), against the broker's limit.
    pub fn check(&self, size: Option<usize>) -> Result<(), Error> {
        check(
            size,
            self.max_message_bytes,
            "Kafka's message.max.bytes",
            || {
                if self.max_message_bytes == KAFKA_MESSAGE_MAX_BYTES {
                    "Kafka's default, which docker/kafka.env keeps (a broker of your own: its \
                 server.properties; then pass its value with --max-message-bytes)"
                        .to_owned()
                } else {
                    "as --max-message-bytes (or KAFKA_MAX_MESSAGE_BYTES) says; the broker's \
                 server.properties sets it"
                        .to_owned()
                }
            },
        )
    }
}

fn check(
    size: Option<usize>,
    limit: usize,
    setting: &'static str,
    where_set: impl FnOnce() -> String,
) -> Result<(), Error> {
    match size {
        Some(size) if size > limit => Err(Error::MessageTooLarge {
            size,
            limit,
            mib: format!("{:.1} MiB", limit as f64 / (1024.0 * 1024.0)),
            setting,
            where_set: where_set(),
        }),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The file sets it (tests/rabbit.rs sends one byte over it to see the broker refuse).
    #[test]
    fn the_tutorials_limit_comes_from_its_rabbitmq_conf() {
        assert!(RABBITMQ_CONF.contains(&format!(
            "max_message_size = {}",
            rabbitmq_max_message_size()
        )));
    }

    #[test]
    fn a_larger_body_is_refused_with_the_limit_and_where_it_is_set() {
        let limit = RabbitLimit {
            max_message_size: rabbitmq_max_message_size(),
        };
        assert!(limit.check(None).is_ok());
        assert!(limit.check(Some(rabbitmq_max_message_size())).is_ok());
        let err = limit
            .check(Some(999_999_999))
            .expect_err("over the limit")
            .to_string();
        assert!(
            err.contains(
                "--size 999999999 is over RabbitMQ's max_message_size, 16777216 bytes (16.0 MiB)"
            ) && err.contains("docker/rabbitmq.conf"),
            "{err}"
        );
        let kafka = KafkaLimit {
            max_message_bytes: 100,
        };
        let err = kafka.check(Some(101)).expect_err("over").to_string();
        assert!(
            err.contains("Kafka's message.max.bytes, 100 bytes")
                && err.contains("--max-message-bytes"),
            "{err}"
        );
    }
}
