//! RabbitMQ, chapter 1: the tutorial's `RabbitMQ` struct, corrected.
//!
//! What changes from the Go original (see the seed README's table of mistakes):
//! - one connection per process and one channel per role; the tutorial dials a second
//!   connection in `NewRabbitMQPubSub`/`Routing`/`Topic` and leaks the first;
//! - every error is returned to the caller; the tutorial ignores `Publish`'s error and
//!   `log.Fatalf`s elsewhere;
//! - consumers acknowledge each message *after* handling it, with a prefetch limit, so a
//!   consumer that dies or stops early hands its unacknowledged messages back to the queue;
//! - queues that RabbitMQ 4.3 still accepts: the named ones durable, the per-consumer ones
//!   exclusive (the tutorial's non-durable, non-exclusive queues are refused by default);
//! - publisher confirms and persistent messages are one flag away.
//!
//! ## Layout
//!
//! One verb pair throughout: a producer **publishes**, a consumer **consumes**.
//!
//! - this file: the [`RabbitMQ`] struct, one constructor per mode, closing;
//! - `connect.rs`: opening the connection, and errors that say what to do;
//! - `topology.rs`: what makes each mode: one function per mode that declares its queue or
//!   exchange and binds a consumer's queue (the chapters' pages show these);
//! - `publish.rs`: [`RabbitMQ::publish`] and the producer's loop, [`RabbitMQ::publish_all`];
//! - `consume.rs`: [`RabbitMQ::consume`] and the consumer's loop: receive, print, work, ack;
//! - `deliveries.rs`: where the loop's deliveries come from: when to stop (Ctrl+C, idle) and
//!   waiting out a broker restart;
//! - `pipeline.rs`: the speed-ups, apart: acks and confirms kept in flight in a window;
//! - `session.rs`: a bare connection and channel for the chapters that call lapin in their
//!   binary (RPC, publisher confirms);
//! - `args.rs`: the flags only RabbitMQ producers and consumers take (the shared ones are in
//!   [`crate::flags`]).
//!
//! The binaries run on Tokio's single-threaded runtime (`flavor = "current_thread"`): a
//! process has one connection and one task, and lapin does its socket I/O on its own thread.
//! Publishing measured about 20% faster that way than on the multi-threaded default.

mod args;
mod connect;
mod consume;
mod deliveries;
mod pipeline;
mod publish;
mod session;
mod topology;

use lapin::{Channel, Connection, ConnectionProperties};

pub use args::{ConsumerArgs, ProducerArgs};
pub use connect::explain;
pub use consume::ConsumeOptions;
pub use deliveries::Deliveries;
pub use publish::Summary;
pub use session::Session;

use crate::config::RabbitArgs;

/// The names the tutorial uses, so that our binaries and its Go programs share queues.
pub mod names {
    pub const SIMPLE_QUEUE: &str = "ziyiSimple";
    pub const WORKER_QUEUE: &str = "ziyiWorker";
    pub const PUBSUB_EXCHANGE: &str = "newProduct";
    pub const ROUTING_EXCHANGE: &str = "exZi";
    pub const TOPIC_EXCHANGE: &str = "exImoocTopic";
    /// Beyond the tutorial: the official RabbitMQ tutorial 6 (RPC) uses this name.
    pub const RPC_QUEUE: &str = "rpc_queue";
}

// ANCHOR: mode
/// The five modes of chapter 1. Simple and worker publish straight to a named queue (through
/// the default exchange); the other three publish to an exchange, which copies each message
/// into every queue whose binding matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// One producer, one queue, one consumer.
    Simple,
    /// One queue, several consumers competing for its messages.
    Worker,
    /// A `fanout` exchange: every bound queue gets every message; routing keys are ignored.
    PubSub,
    /// A `direct` exchange: a queue gets the messages whose routing key equals its binding key.
    Routing,
    /// A `topic` exchange: binding keys are patterns over dot-separated words,
    /// where `*` matches exactly one word and `#` matches zero or more words.
    Topic,
}
// ANCHOR_END: mode

// ANCHOR: struct
/// The counterpart of the tutorial's `RabbitMQ` struct: one connection, one channel, and the
/// name of the queue (simple, worker) or exchange (the other modes) that the mode works on.
#[derive(Debug)]
pub struct RabbitMQ {
    connection: Connection,
    channel: Channel,
    mode: Mode,
    /// The queue for simple and worker, the exchange for pubsub, routing and topic.
    name: String,
    /// `--persistent`: persistent (delivery mode 2) messages.
    persistent: bool,
    confirms: bool,
    /// lapin reconnects by itself after the connection drops (consumers only).
    recover: bool,
}
// ANCHOR_END: struct

impl RabbitMQ {
    /// Simple mode on queue `queue` (the tutorial's `NewRabbitMQSimple`).
    pub async fn simple(args: &RabbitArgs, queue: &str) -> anyhow::Result<Self> {
        Self::new(args, Mode::Simple, queue, false).await
    }

    /// Worker mode on queue `queue` (the tutorial reuses `NewRabbitMQSimple`).
    pub async fn worker(args: &RabbitArgs, queue: &str) -> anyhow::Result<Self> {
        Self::new(args, Mode::Worker, queue, false).await
    }

    /// Publish/subscribe on fanout exchange `exchange` (`NewRabbitMQPubSub`).
    pub async fn pubsub(args: &RabbitArgs, exchange: &str) -> anyhow::Result<Self> {
        Self::new(args, Mode::PubSub, exchange, false).await
    }

    /// Routing on direct exchange `exchange` (`NewRabbitMQRouting`). The routing key is given per
    /// message, so one instance serves any number of keys (the tutorial opens one per key).
    pub async fn routing(args: &RabbitArgs, exchange: &str) -> anyhow::Result<Self> {
        Self::new(args, Mode::Routing, exchange, false).await
    }

    /// Topic on topic exchange `exchange` (`NewRabbitMQTopic`).
    pub async fn topic(args: &RabbitArgs, exchange: &str) -> anyhow::Result<Self> {
        Self::new(args, Mode::Topic, exchange, false).await
    }

    /// Like the mode constructors, but with lapin's automatic recovery turned on: after the
    /// broker restarts, lapin reconnects and replays the declarations, bindings, QoS and
    /// consumers. Consumers use this; a producer instead reports what was not confirmed.
    pub async fn recovering(args: &RabbitArgs, mode: Mode, name: &str) -> anyhow::Result<Self> {
        Self::new(args, mode, name, true).await
    }

    async fn new(args: &RabbitArgs, mode: Mode, name: &str, recover: bool) -> anyhow::Result<Self> {
        let mut properties = ConnectionProperties::default()
            .with_connection_name(format!("mq-tutorial-rs {mode:?}").into());
        if recover {
            properties = properties.enable_auto_recover();
        }
        let (connection, channel) = Session::connect(args, properties).await?.into_parts();
        Ok(Self {
            connection,
            channel,
            mode,
            name: name.to_owned(),
            persistent: false,
            confirms: false,
            recover,
        })
    }

    /// Closes the channel, then the connection (the tutorial's `Destory`). Closing cleanly also
    /// hands every unacknowledged message back to its queue.
    pub async fn close(&self) -> anyhow::Result<()> {
        if !self.connection.status().connected() {
            // Lost (and perhaps still reconnecting): there is nothing to close politely.
            return Ok(());
        }
        self.channel
            .close(200, "bye".into())
            .await
            .map_err(|e| explain(e, "closing the channel".to_owned()))?;
        self.connection
            .close(200, "bye".into())
            .await
            .map_err(|e| explain(e, "closing the connection".to_owned()))?;
        Ok(())
    }
}
