//! The flags that only RabbitMQ producers and consumers take, beside the shared ones.

use crate::flags::{ConsumeFlags, ProduceFlags};

/// Flags every RabbitMQ consumer takes.
#[derive(clap::Args, Debug, Clone)]
pub struct ConsumerArgs {
    #[command(flatten)]
    pub flags: ConsumeFlags,
    /// How many unacknowledged messages the broker may push to this consumer at once.
    #[arg(long, default_value_t = 100, value_parser = clap::value_parser!(u16).range(1..))]
    pub prefetch: u16,
}

/// Flags every RabbitMQ producer takes.
#[derive(clap::Args, Debug, Clone)]
pub struct ProducerArgs {
    #[command(flatten)]
    pub flags: ProduceFlags,
    /// Wait for publisher confirms and report every message the broker did not confirm.
    #[arg(long)]
    pub confirm: bool,
    /// Persistent messages (delivery mode 2): with the durable queue, they survive a broker
    /// restart.
    #[arg(long)]
    pub persistent: bool,
}
