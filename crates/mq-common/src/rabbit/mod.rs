//! RabbitMQ, chapter 1: the tutorial's `RabbitMQ` struct, corrected, and cut down to what it
//! is good at: connecting, waiting out a broker restart, stopping, closing.
//!
//! What a chapter teaches (declare, bind, qos, consume, ack, publish) is not here: each
//! chapter's binary calls lapin for it, in the code its page shows, as the official RabbitMQ
//! tutorials do.
//!
//! What changes from the Go original (see the seed README's table of mistakes):
//! - one connection per process and one channel per role; the tutorial dials a second
//!   connection in `NewRabbitMQPubSub`/`Routing`/`Topic` and leaks the first;
//! - every error is returned to the caller with what was being done, and [`describe`] adds
//!   what to do about it; the tutorial ignores `Publish`'s error and `log.Fatalf`s elsewhere;
//! - consumers get their deliveries through [`Deliveries`], which stops on Ctrl+C or
//!   `--idle-timeout` and waits out a broker restart.
//!
//! ## Layout
//!
//! - this file: the [`RabbitMQ`] struct: connect, channel, deliveries, close;
//! - `connect.rs`: opening the connection, and errors that say what to do;
//! - `deliveries.rs`: when a consumer stops (Ctrl+C, idle, cancelled) and waiting out a broker
//!   restart;
//! - `summary.rs`: what a producer's run achieved, message by message, and its exit status;
//! - `tuned.rs`: the speed-ups of the "Going faster" chapter, opt-in: publishes pipelined, a
//!   window of confirms in flight, acks sent in runs.
//!
//! The binaries run on Tokio's single-threaded runtime (`flavor = "current_thread"`): a
//! process has one connection and one task, and lapin does its socket I/O on its own thread.

mod aside;
mod connect;
mod deliveries;
mod summary;
pub mod tuned;

use lapin::{Channel, Connection, ConnectionProperties, Consumer};

pub use aside::{delete_queue, with_channel};
pub use connect::describe;
pub(crate) use connect::explain;
pub use deliveries::Deliveries;
pub use summary::Summary;

use crate::config::RabbitArgs;
use crate::flags::ConsumerFlags;

/// The names the tutorial uses, so that our binaries and its Go programs share queues.
pub mod names {
    pub const SIMPLE_QUEUE: &str = "ziyiSimple";
    pub const WORKER_QUEUE: &str = "ziyiWorker";
    pub const PUBSUB_EXCHANGE: &str = "newProduct";
    pub const ROUTING_EXCHANGE: &str = "exZi";
    pub const TOPIC_EXCHANGE: &str = "exImoocTopic";
    /// Beyond the tutorial: the official RabbitMQ tutorial 6 (RPC) uses this name.
    pub const RPC_QUEUE: &str = "rpc_queue";
    /// The Streams chapter's stream (the official stream tutorial calls it "hello-stream").
    pub const STREAM: &str = "hello-stream";
    /// The Super streams chapter's super stream: partitions `hello-superstream-0`, `-1`, `-2`.
    pub const SUPER_STREAM: &str = "hello-superstream";
    /// The name the Super streams chapter's consumers share: one name, one group.
    pub const SUPER_STREAM_CONSUMER: &str = "superstream-app";
}

// ANCHOR: struct
/// The counterpart of the tutorial's `RabbitMQ` struct: one connection and one channel.
/// A chapter declares, binds, publishes and consumes on [`RabbitMQ::channel`] itself.
#[derive(Debug)]
pub struct RabbitMQ {
    connection: Connection,
    channel: Channel,
    /// lapin reconnects by itself after the connection drops (consumers only).
    recover: bool,
}
// ANCHOR_END: struct

impl RabbitMQ {
    // ANCHOR: open
    /// Connects (with errors that say what to do) and opens a channel. `name` shows in the
    /// management UI's connection list. For producers, RPC and exercises: if the broker goes
    /// away, what was not confirmed is reported and the program stops.
    pub async fn open(args: &RabbitArgs, name: &str) -> anyhow::Result<Self> {
        Self::connect(args, name, false).await
    }

    /// Like [`RabbitMQ::open`], with lapin's automatic recovery turned on: after the broker
    /// restarts, lapin reconnects and replays the declarations, bindings, QoS and consumers
    /// made on this channel. Consumers use this.
    pub async fn recovering(args: &RabbitArgs, name: &str) -> anyhow::Result<Self> {
        Self::connect(args, name, true).await
    }
    // ANCHOR_END: open

    async fn connect(args: &RabbitArgs, name: &str, recover: bool) -> anyhow::Result<Self> {
        let mut properties = ConnectionProperties::default()
            .with_connection_name(format!("mq-tutorial-rs {name}").into());
        if recover {
            properties = properties.enable_auto_recover();
        }
        let connection = connect::connect(args, properties).await?;
        let channel = connection
            .create_channel()
            .await
            .map_err(|e| explain(e, "opening a channel".to_owned()))?;
        Ok(Self {
            connection,
            channel,
            recover,
        })
    }

    /// The channel a chapter works on.
    pub fn channel(&self) -> &Channel {
        &self.channel
    }

    /// Another channel on the same connection.
    pub async fn create_channel(&self) -> anyhow::Result<Channel> {
        self.connection
            .create_channel()
            .await
            .map_err(|e| explain(e, "opening a channel".to_owned()))
    }

    /// The deliveries of `consumer` (made on [`RabbitMQ::channel`]), one at a time, until
    /// `--max-messages`, `--idle-timeout` or Ctrl+C.
    pub fn deliveries(&self, consumer: Consumer, flags: &ConsumerFlags) -> Deliveries<'_> {
        Deliveries::new(
            consumer,
            &self.connection,
            &self.channel,
            self.recover,
            flags.clone(),
        )
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
