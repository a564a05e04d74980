//! The flags that every producer and every consumer takes, RabbitMQ and Kafka alike, declared
//! once. Each binary adds its own (`--confirm`, `--prefetch`, `--acks`, `--group`…) beside them
//! with `#[command(flatten)]`.

use std::time::Duration;

use crate::config::parse_duration;

/// What every producer takes: how many messages, how often, what text.
///
/// The defaults differ per chapter (the tutorial's simple producer sends one message, its
/// topic producer 11 rounds a second apart), so each binary sets them with [`ProducerDefaults`].
#[derive(clap::Args, Debug, Clone)]
pub struct ProduceFlags {
    /// How many messages to send (per routing key, for RabbitMQ's routing and topic modes).
    #[arg(long, value_name = "N")]
    pub count: u64,
    /// Pause between messages (e.g. 2s, 500ms, 0).
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub interval: Duration,
    /// Message text: {i} is replaced by the message number, {key} by the routing key (RabbitMQ)
    /// or the message key (Kafka's --key).
    #[arg(long, value_name = "TEMPLATE")]
    pub message: String,
    /// Pad each message with '.' to this many bytes.
    #[arg(long, value_name = "BYTES")]
    pub size: Option<usize>,
    /// Don't print a line per message (for benchmarks).
    #[arg(long)]
    pub quiet: bool,
}

/// One chapter's producer defaults, shown by `--help`.
#[derive(Debug, Clone, Copy)]
pub struct ProducerDefaults {
    pub count: &'static str,
    pub interval: &'static str,
    pub message: &'static str,
}

impl ProducerDefaults {
    /// Sets the defaults on the flags that [`ProduceFlags`] declares.
    pub fn apply(self, command: clap::Command) -> clap::Command {
        command
            .mut_arg("count", |a| a.default_value(self.count).required(false))
            .mut_arg("interval", |a| {
                a.default_value(self.interval).required(false)
            })
            .mut_arg("message", |a| a.default_value(self.message).required(false))
    }
}

/// What every consumer takes: when to stop, and whether to print.
#[derive(clap::Args, Debug, Clone)]
pub struct ConsumeFlags {
    /// Exit after receiving this many messages.
    #[arg(long, value_name = "N")]
    pub max_messages: Option<u64>,
    /// Exit when no message has arrived for this long (e.g. 5s, 500ms).
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub idle_timeout: Option<Duration>,
    /// Don't print a line per message (for benchmarks).
    #[arg(long)]
    pub quiet: bool,
}

impl ConsumeFlags {
    /// True once `received` messages reach `--max-messages`.
    pub fn enough(&self, received: u64) -> bool {
        self.max_messages.is_some_and(|max| received >= max)
    }
}
