//! What makes each mode that mode: the queues and exchanges it declares, and how a consumer's
//! queue is bound. One function per mode, as the tutorial has `NewRabbitMQSimple`,
//! `NewRabbitMQPubSub`, `NewRabbitMQRouting` and `NewRabbitMQTopic`: each chapter's page shows
//! its own.
//!
//! Both sides declare what they use, and declaring is idempotent, so it does not matter which
//! side starts first, except for one thing: a message published to an exchange with no bound
//! queue is dropped. That is why the exchange modes start their consumers first.

use lapin::ExchangeKind;
use lapin::options::{
    BasicQosOptions, ExchangeDeclareOptions, QueueBindOptions, QueueDeclareOptions,
};
use lapin::types::FieldTable;

use super::connect::explain;
use super::{Mode, RabbitMQ};

impl RabbitMQ {
    /// The producer's side: the queue (simple, worker) or the exchange it publishes to.
    pub(crate) async fn declare(&self) -> anyhow::Result<()> {
        match self.mode {
            Mode::Simple | Mode::Worker => self.declare_queue().await,
            Mode::PubSub => self.declare_fanout().await,
            Mode::Routing => self.declare_direct().await,
            Mode::Topic => self.declare_topic().await,
        }
    }

    /// The consumer's side: declares and binds what the mode needs, and returns the name of the
    /// queue to consume.
    pub(crate) async fn bind(&self, binding_keys: &[String]) -> anyhow::Result<String> {
        match self.mode {
            Mode::Simple | Mode::Worker => {
                self.declare_queue().await?;
                Ok(self.name.clone())
            }
            Mode::PubSub => self.bind_fanout().await,
            Mode::Routing => self.bind_direct(binding_keys).await,
            Mode::Topic => self.bind_topic(binding_keys).await,
        }
    }

    // ANCHOR: simple
    /// Simple and worker: one named queue, declared by both sides, so that messages published
    /// before any consumer starts wait in it. Publishing goes through the default exchange
    /// (`""`), which delivers to the queue named by the routing key.
    ///
    /// The queue is **durable**: it outlives the broker's restarts, as a queue that other
    /// programs publish to by name should. The tutorial declares it non-durable and
    /// non-exclusive (`QueueDeclare(name, false, false, false, false, nil)`), a "transient
    /// non-exclusive" queue, which RabbitMQ 4.3 refuses by default. Whether a *message*
    /// survives a restart is the producer's choice: `--persistent` (delivery mode 2).
    async fn declare_queue(&self) -> anyhow::Result<()> {
        let options = QueueDeclareOptions {
            durable: true,
            ..QueueDeclareOptions::default()
        };
        self.channel
            .queue_declare(self.name.as_str().into(), options, FieldTable::default())
            .await
            .map_err(|e| explain(e, format!("declaring queue '{}'", self.name)))?;
        Ok(())
    }
    // ANCHOR_END: simple

    // ANCHOR: worker
    /// Worker: fair dispatch. The broker pushes at most `prefetch` unacknowledged messages to
    /// this consumer; with 1, a busy worker gets no new task until it has acked the last one,
    /// so a slow worker takes fewer tasks. (Prefetch means nothing with auto-ack: the broker
    /// counts a message as done the moment it sends it.)
    pub(crate) async fn set_prefetch(&self, prefetch: u16) -> anyhow::Result<()> {
        self.channel
            .basic_qos(prefetch, BasicQosOptions::default())
            .await
            .map_err(|e| explain(e, "setting the prefetch count".to_owned()))
    }
    // ANCHOR_END: worker

    // ANCHOR: pubsub
    /// Publish/subscribe: a `fanout` exchange copies every message to every bound queue and
    /// ignores routing keys.
    async fn declare_fanout(&self) -> anyhow::Result<()> {
        let options = ExchangeDeclareOptions {
            durable: true,
            ..ExchangeDeclareOptions::default()
        };
        self.channel
            .exchange_declare(
                self.name.as_str().into(),
                ExchangeKind::Fanout,
                options,
                FieldTable::default(),
            )
            .await
            .map_err(|e| explain(e, format!("declaring exchange '{}'", self.name)))
    }

    /// Each subscriber gets its own queue: server-named (`""`), exclusive to this connection
    /// and deleted when it closes. Because every subscriber has a queue of its own, each sees
    /// every message, instead of competing for them as workers on one queue do.
    async fn bind_fanout(&self) -> anyhow::Result<String> {
        self.declare_fanout().await?;
        let queue = self
            .channel
            .queue_declare(
                "".into(),
                QueueDeclareOptions {
                    exclusive: true,
                    auto_delete: true,
                    ..QueueDeclareOptions::default()
                },
                FieldTable::default(),
            )
            .await
            .map_err(|e| explain(e, "declaring a subscriber queue".to_owned()))?;
        // A fanout exchange ignores keys: bind once, with the empty key.
        self.channel
            .queue_bind(
                queue.name().as_str().into(),
                self.name.as_str().into(),
                "".into(),
                QueueBindOptions::default(),
                FieldTable::default(),
            )
            .await
            .map_err(|e| explain(e, format!("binding to '{}'", self.name)))?;
        Ok(queue.name().to_string())
    }
    // ANCHOR_END: pubsub

    // ANCHOR: routing
    /// Routing: a `direct` exchange delivers a message to the queues bound with a binding key
    /// equal to its routing key.
    async fn declare_direct(&self) -> anyhow::Result<()> {
        let options = ExchangeDeclareOptions {
            durable: true,
            ..ExchangeDeclareOptions::default()
        };
        self.channel
            .exchange_declare(
                self.name.as_str().into(),
                ExchangeKind::Direct,
                options,
                FieldTable::default(),
            )
            .await
            .map_err(|e| explain(e, format!("declaring exchange '{}'", self.name)))
    }

    /// A queue of this consumer's own, bound once per key: it receives exactly the messages
    /// whose routing key is one of `keys`.
    async fn bind_direct(&self, keys: &[String]) -> anyhow::Result<String> {
        self.declare_direct().await?;
        let queue = self
            .channel
            .queue_declare(
                "".into(),
                QueueDeclareOptions {
                    exclusive: true,
                    auto_delete: true,
                    ..QueueDeclareOptions::default()
                },
                FieldTable::default(),
            )
            .await
            .map_err(|e| explain(e, "declaring a subscriber queue".to_owned()))?;
        for key in keys {
            self.channel
                .queue_bind(
                    queue.name().as_str().into(),
                    self.name.as_str().into(),
                    key.as_str().into(),
                    QueueBindOptions::default(),
                    FieldTable::default(),
                )
                .await
                .map_err(|e| explain(e, format!("binding to '{}' with key '{key}'", self.name)))?;
        }
        Ok(queue.name().to_string())
    }
    // ANCHOR_END: routing

    // ANCHOR: topic
    /// Topic: a `topic` exchange matches routing keys (dot-separated words) against binding
    /// patterns, where `*` matches exactly one word and `#` matches zero or more words.
    async fn declare_topic(&self) -> anyhow::Result<()> {
        let options = ExchangeDeclareOptions {
            durable: true,
            ..ExchangeDeclareOptions::default()
        };
        self.channel
            .exchange_declare(
                self.name.as_str().into(),
                ExchangeKind::Topic,
                options,
                FieldTable::default(),
            )
            .await
            .map_err(|e| explain(e, format!("declaring exchange '{}'", self.name)))
    }

    /// A queue of this consumer's own, bound once per pattern: `imooc.*.three` takes
    /// `imooc.topic88.three` but not `imooc.topic99.four`; `#` takes everything.
    async fn bind_topic(&self, patterns: &[String]) -> anyhow::Result<String> {
        self.declare_topic().await?;
        let queue = self
            .channel
            .queue_declare(
                "".into(),
                QueueDeclareOptions {
                    exclusive: true,
                    auto_delete: true,
                    ..QueueDeclareOptions::default()
                },
                FieldTable::default(),
            )
            .await
            .map_err(|e| explain(e, "declaring a subscriber queue".to_owned()))?;
        for pattern in patterns {
            self.channel
                .queue_bind(
                    queue.name().as_str().into(),
                    self.name.as_str().into(),
                    pattern.as_str().into(),
                    QueueBindOptions::default(),
                    FieldTable::default(),
                )
                .await
                .map_err(|e| explain(e, format!("binding to '{}' with '{pattern}'", self.name)))?;
        }
        Ok(queue.name().to_string())
    }
    // ANCHOR_END: topic
}
