//! Every producer's and every consumer's flags, in one place.
//!
//! - [`ProducerFlags`] and [`ConsumerFlags`]: what every producer and consumer takes, RabbitMQ
//!   and Kafka alike (how many messages, how often, what text; when to stop).
//! - [`RabbitProducerFlags`] and [`RabbitConsumerFlags`]: those, plus what only RabbitMQ's
//!   chapters take (`--confirm`, `--persistent`, `--prefetch`) and the opt-in speed-ups of the
//!   "Going faster" chapter (`--pipeline`, `--confirm-window`, `--ack-in-runs`).
//!
//! Each binary adds its own flags beside them with `#[command(flatten)]`. The defaults differ
//! per chapter (the simple producer sends 5 messages 2 s apart, the topic producer 11 rounds
//! 1 s apart), so each binary names its defaults as values, in a type that implements
//! [`ProducerDefaults`] or [`ConsumerDefaults`]; `--help` shows them.

use std::fmt::Debug;
use std::marker::PhantomData;
use std::time::Duration;

use crate::config::parse_duration;
use crate::limits::RabbitLimit;
use crate::output::body;

/// One chapter's producer defaults, as values.
pub trait ProducerDefaults: Clone + Debug + Send + Sync + 'static {
    /// `--count`.
    const COUNT: u64;
    /// `--interval`, as it would be typed (e.g. `2s`).
    const INTERVAL: &'static str;
    /// `--message`.
    const MESSAGE: &'static str;
}

/// One chapter's consumer defaults, as values.
pub trait ConsumerDefaults: Clone + Debug + Send + Sync + 'static {
    /// `--prefetch`.
    const PREFETCH: u16 = 100;
}

/// The consumer defaults of every chapter but the worker's: prefetch 100.
#[derive(Debug, Clone, Copy)]
pub struct Prefetch100;
impl ConsumerDefaults for Prefetch100 {}

/// What every producer takes: how many messages, how often, what text.
#[derive(clap::Args, Debug, Clone)]
pub struct ProducerFlags<D: ProducerDefaults> {
    /// How many messages to send (per routing key, for RabbitMQ's routing and topic modes).
    #[arg(long, value_name = "N", default_value_t = D::COUNT)]
    pub count: u64,
    /// Pause between messages (e.g. 2s, 500ms, 0).
    #[arg(long, value_name = "DURATION", value_parser = parse_duration, default_value = D::INTERVAL)]
    pub interval: Duration,
    /// Message text: {i} is replaced by the message number, {key} by the routing key (RabbitMQ)
    /// or the message key (Kafka's --key), {now} by the time in microseconds since 1970.
    #[arg(long, value_name = "TEMPLATE", default_value = D::MESSAGE)]
    pub message: String,
    /// Pad each message with '.' to this many bytes.
    #[arg(long, value_name = "BYTES")]
    pub size: Option<usize>,
    /// Don't print a line per message (for benchmarks).
    #[arg(long)]
    pub quiet: bool,
    #[arg(skip)]
    defaults: PhantomData<D>,
}

impl<D: ProducerDefaults> ProducerFlags<D> {
    /// The body of message `i` with routing (or message) key `key`, from `--message` and
    /// `--size`.
    pub fn body(&self, i: u64, key: &str) -> Vec<u8> {
        body(&self.message, i, key, self.size)
    }

    /// The pause between two rounds: none after the last one.
    pub async fn pause_after(&self, i: u64) {
        if !self.interval.is_zero() && i + 1 < self.count {
            tokio::time::sleep(self.interval).await;
        }
    }
}

/// What every consumer takes: when to stop, and whether to print.
#[derive(clap::Args, Debug, Clone)]
pub struct ConsumerFlags {
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

impl ConsumerFlags {
    /// Stop after `idle_timeout` without a message, if given, and only then (RPC, exercises).
    pub fn until_idle(idle_timeout: Option<Duration>) -> Self {
        Self {
            max_messages: None,
            idle_timeout,
            quiet: false,
        }
    }

    /// True once `received` messages reach `--max-messages`.
    pub fn enough(&self, received: u64) -> bool {
        self.max_messages.is_some_and(|max| received >= max)
    }
}

/// What every RabbitMQ producer takes.
#[derive(clap::Args, Debug, Clone)]
pub struct RabbitProducerFlags<D: ProducerDefaults> {
    #[command(flatten)]
    pub common: ProducerFlags<D>,
    /// Publisher confirms: wait for the broker's confirm of each message, and report every
    /// message it did not confirm.
    #[arg(long)]
    pub confirm: bool,
    /// Persistent messages (delivery mode 2): with the durable queue, they survive a broker
    /// restart.
    #[arg(long)]
    pub persistent: bool,
    /// Going faster: hand up to 1024 publishes to the client before waiting for the oldest to
    /// be written, instead of waiting for each (chapter "Going faster").
    #[arg(long, help_heading = "Going faster")]
    pub pipeline: bool,
    /// Going faster, with --confirm: keep up to N confirms in flight instead of waiting for
    /// each message's confirm before the next (chapter "Going faster").
    #[arg(long, value_name = "N", requires = "confirm", help_heading = "Going faster",
          value_parser = clap::value_parser!(u16).range(1..))]
    pub confirm_window: Option<u16>,
    #[command(flatten)]
    pub limit: RabbitLimit,
}

impl<D: ProducerDefaults> RabbitProducerFlags<D> {
    /// `--size` against the broker's max_message_size: a body it would refuse is refused here,
    /// before it is built or sent.
    pub fn check_size(&self) -> Result<(), crate::Error> {
        self.limit.check(self.common.size)
    }

    /// Whether any speed-up of the "Going faster" chapter is on.
    pub fn tuned(&self) -> bool {
        self.pipeline || self.confirm_window.is_some_and(|n| n > 1)
    }
}

/// What every RabbitMQ consumer takes.
#[derive(clap::Args, Debug, Clone)]
pub struct RabbitConsumerFlags<D: ConsumerDefaults = Prefetch100> {
    #[command(flatten)]
    pub common: ConsumerFlags,
    /// How many unacknowledged messages the broker may push to this consumer at once.
    #[arg(long, default_value_t = D::PREFETCH, value_parser = clap::value_parser!(u16).range(1..))]
    pub prefetch: u16,
    /// Going faster: acknowledge handled messages in runs, one `multiple` ack for up to half
    /// the prefetch, instead of one ack each (chapter "Going faster").
    #[arg(long, help_heading = "Going faster")]
    pub ack_in_runs: bool,
    #[arg(skip)]
    defaults: PhantomData<D>,
}
