//! The flags that every RabbitMQ producer and consumer takes.

use std::time::Duration;

use crate::config::parse_duration;

/// Flags every RabbitMQ consumer takes.
#[derive(clap::Args, Debug, Clone)]
pub struct ConsumerArgs {
    /// Exit after receiving this many messages.
    #[arg(long, value_name = "N")]
    pub max_messages: Option<u64>,
    /// Exit when no message has arrived for this long (e.g. 5s, 500ms).
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub idle_timeout: Option<Duration>,
    /// How many unacknowledged messages the broker may push to this consumer at once.
    #[arg(long, default_value_t = 100, value_parser = clap::value_parser!(u16).range(1..))]
    pub prefetch: u16,
    /// Don't print each message (for benchmarks).
    #[arg(long)]
    pub quiet: bool,
}

/// Flags every RabbitMQ producer takes. The per-mode defaults (how many, how often, what text)
/// are set by each binary with [`ProducerDefaults`].
#[derive(clap::Args, Debug, Clone)]
pub struct ProducerArgs {
    /// How many messages to send (per routing key).
    #[arg(long, value_name = "N")]
    pub count: u64,
    /// Pause between messages (e.g. 2s, 500ms, 0).
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub interval: Duration,
    /// Message text: {i} is replaced by the message number, {key} by the routing key.
    #[arg(long, value_name = "TEMPLATE")]
    pub message: String,
    /// Pad each message with '.' to this many bytes.
    #[arg(long, value_name = "BYTES")]
    pub size: Option<usize>,
    /// Wait for publisher confirms and report every message the broker did not confirm.
    #[arg(long)]
    pub confirm: bool,
    /// Durable queue and persistent messages: they survive a broker restart.
    #[arg(long)]
    pub persistent: bool,
    /// Don't print each message (for benchmarks).
    #[arg(long)]
    pub quiet: bool,
}

/// The tutorial's defaults for one mode's producer, shown by `--help`.
#[derive(Debug, Clone, Copy)]
pub struct ProducerDefaults {
    pub count: &'static str,
    pub interval: &'static str,
    pub message: &'static str,
}

impl ProducerDefaults {
    /// Sets the defaults on the flags that [`ProducerArgs`] defines.
    pub fn apply(self, command: clap::Command) -> clap::Command {
        command
            .mut_arg("count", |a| a.default_value(self.count).required(false))
            .mut_arg("interval", |a| {
                a.default_value(self.interval).required(false)
            })
            .mut_arg("message", |a| a.default_value(self.message).required(false))
    }
}
