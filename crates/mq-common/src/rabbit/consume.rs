//! The consumer side: bind, consume, and the lesson loop (the tutorial's `ConsumeSimple`,
//! `RecieveSub`, `RecieveRouting` and `RecieveTopic`, for every mode), with the waiting that a
//! broker restart needs kept out of the loop's way.

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use anyhow::bail;
use futures_lite::StreamExt;
use lapin::Consumer;
use lapin::options::BasicConsumeOptions;
use lapin::types::FieldTable;

use super::RabbitMQ;
use super::args::ConsumerArgs;
use super::connect::explain;
use super::pipeline::Acks;
use crate::output::preview;

const RECOVERY_TIMEOUT: Duration = Duration::from_secs(60);

impl RabbitMQ {
    // ANCHOR: consume
    /// The whole consumer side: declare and bind what the mode needs, set the prefetch, start
    /// consuming, receive until done, close. Returns how many messages were received.
    pub async fn consume(
        &self,
        binding_keys: &[String],
        options: &ConsumeOptions,
    ) -> anyhow::Result<u64> {
        let queue = self.bind(binding_keys).await?;
        if !options.auto_ack {
            self.set_prefetch(options.prefetch).await?;
        }
        let consumer = self
            .channel
            .basic_consume(
                queue.as_str().into(),
                "".into(),
                BasicConsumeOptions {
                    no_ack: options.auto_ack,
                    ..BasicConsumeOptions::default()
                },
                FieldTable::default(),
            )
            .await
            .map_err(|e| explain(e, format!("consuming from queue '{queue}'")))?;
        println!(" [*] Waiting for messages. To exit press CTRL+C");
        let received = self
            .consume_loop(consumer, options, crate::shutdown::signal())
            .await?;
        self.close().await?;
        log::info!("received {received} message(s)");
        Ok(received)
    }
    // ANCHOR_END: consume

    // ANCHOR: consume_loop
    /// Receives until `--max-messages`, `--idle-timeout` or Ctrl+C: print each message, do its
    /// work, then ack it. Returns how many messages were received.
    async fn consume_loop(
        &self,
        consumer: Consumer,
        options: &ConsumeOptions,
        shutdown: impl Future<Output = ()>,
    ) -> anyhow::Result<u64> {
        let mut consumer = consumer;
        tokio::pin!(shutdown);
        let mut received = 0u64;
        let mut acks = Acks::new(self.recover);
        loop {
            if options.max_messages.is_some_and(|max| received >= max) {
                break;
            }
            let next = tokio::select! {
                _ = &mut shutdown => {
                    log::info!("Ctrl+C: closing the channel and the connection");
                    break;
                }
                next = self.next_or_idle(&mut consumer, options.idle_timeout) => next,
            };
            let delivery = match next {
                // lapin reconnects quietly (the stream just stays empty): say so, and wait.
                Next::Disconnected => {
                    log::warn!("lost the connection to RabbitMQ; waiting for it to come back");
                    if !self.wait_reconnected(shutdown.as_mut()).await? {
                        break;
                    }
                    continue;
                }
                Next::Idle => {
                    log::info!(
                        "no message for {:?}, exiting",
                        options.idle_timeout.unwrap_or_default()
                    );
                    break;
                }
                Next::Cancelled => {
                    bail!("the broker cancelled this consumer (was the queue deleted?)")
                }
                Next::Delivery(Ok(delivery)) => delivery,
                Next::Delivery(Err(err)) if err.can_be_recovered() && self.recover => {
                    // lapin is already reconnecting (enable_auto_recover). Messages that were
                    // delivered but not acked come back, marked redelivered.
                    log::warn!(
                        "lost the connection to RabbitMQ ({err}); waiting for it to come back"
                    );
                    if !self.wait_reconnected(shutdown.as_mut()).await? {
                        break;
                    }
                    continue;
                }
                Next::Delivery(Err(err)) => return Err(explain(err, "receiving".to_owned())),
            };
            let redelivered = if delivery.redelivered {
                " (redelivered)"
            } else {
                ""
            };
            if !options.quiet {
                println!(
                    " [x] Received {} (routing key {}){redelivered}",
                    preview(&delivery.data),
                    delivery.routing_key
                );
            }
            if !options.work.is_zero() {
                tokio::time::sleep(options.work).await; // the "work" of a worker
            }
            // The ack comes after the work: if this process dies before this line, the broker
            // still holds the message and gives it to another consumer.
            if !options.auto_ack {
                acks.ack(delivery.acker).await?;
            }
            received += 1;
        }
        acks.finish().await?;
        Ok(received)
    }
    // ANCHOR_END: consume_loop

    /// The next delivery; or `Idle` after `idle` without one; or `Disconnected` as soon as a
    /// recovering connection is found down (checked every second while nothing arrives).
    async fn next_or_idle(&self, consumer: &mut Consumer, idle: Option<Duration>) -> Next {
        let idle_deadline = idle.map(|idle| tokio::time::Instant::now() + idle);
        loop {
            let mut wait = Duration::from_secs(1);
            if let Some(deadline) = idle_deadline {
                wait = wait.min(deadline.saturating_duration_since(tokio::time::Instant::now()));
            }
            // Dropping `next()` on a timeout loses nothing: the delivery stays in the stream.
            match tokio::time::timeout(wait, consumer.next()).await {
                Ok(Some(delivery)) => return Next::Delivery(delivery),
                Ok(None) => return Next::Cancelled,
                Err(_) if self.recover && !self.channel.status().connected() => {
                    return Next::Disconnected;
                }
                Err(_) if idle_deadline.is_some_and(|d| tokio::time::Instant::now() >= d) => {
                    return Next::Idle;
                }
                Err(_) => {}
            }
        }
    }

    /// Waits while lapin reconnects and replays the topology (queues, bindings, QoS, the
    /// consumer), for at most [`RECOVERY_TIMEOUT`]. Returns `false` if Ctrl+C came first.
    async fn wait_reconnected(
        &self,
        shutdown: Pin<&mut impl Future<Output = ()>>,
    ) -> anyhow::Result<bool> {
        tokio::select! {
            _ = shutdown => {
                log::info!("Ctrl+C while waiting for RabbitMQ: exiting");
                Ok(false)
            }
            reconnected = self.poll_reconnected() => reconnected.map(|()| true),
        }
    }

    async fn poll_reconnected(&self) -> anyhow::Result<()> {
        let deadline = tokio::time::Instant::now() + RECOVERY_TIMEOUT;
        while !self.channel.status().connected() {
            let connection = self.connection.status();
            if connection.errored() || connection.closed() {
                bail!(
                    "lost the connection to RabbitMQ and could not reconnect; is it running? `just up`"
                );
            }
            if tokio::time::Instant::now() >= deadline {
                bail!(
                    "RabbitMQ did not come back within {RECOVERY_TIMEOUT:?}; start it with `just up`"
                );
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        log::info!("reconnected to RabbitMQ, consuming again");
        Ok(())
    }
}

// One short-lived value per message, moved once: boxing the large variant would only add an
// allocation per message.
#[allow(clippy::large_enum_variant)]
enum Next {
    Delivery(lapin::Result<lapin::message::Delivery>),
    Cancelled,
    Idle,
    Disconnected,
}

/// How a consumer receives. Every consumer here acks manually by default.
#[derive(Debug, Clone)]
pub struct ConsumeOptions {
    /// The tutorial's `autoAck: true`: the broker forgets a message the moment it sends it.
    pub auto_ack: bool,
    /// How many unacknowledged messages the broker may push at once (ignored with auto-ack).
    pub prefetch: u16,
    /// Simulated work per message, before the ack.
    pub work: Duration,
    pub max_messages: Option<u64>,
    pub idle_timeout: Option<Duration>,
    pub quiet: bool,
}

impl ConsumeOptions {
    pub fn from_args(args: &ConsumerArgs) -> Self {
        Self {
            auto_ack: false,
            prefetch: args.prefetch,
            work: Duration::ZERO,
            max_messages: args.max_messages,
            idle_timeout: args.idle_timeout,
            quiet: args.quiet,
        }
    }
}
