//! The consumer side: bind, consume, and the lesson loop (the tutorial's `ConsumeSimple`,
//! `RecieveSub`, `RecieveRouting` and `RecieveTopic`, for every mode). When to stop and how to
//! wait out a broker restart live in `deliveries.rs`, out of the loop's way.

use std::time::Duration;

use lapin::Consumer;
use lapin::options::BasicConsumeOptions;
use lapin::types::FieldTable;

use super::RabbitMQ;
use super::args::ConsumerArgs;
use super::connect::explain;
use crate::flags::ConsumeFlags;
use crate::output::preview;

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
        let received = self.consume_loop(consumer, options).await?;
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
    ) -> anyhow::Result<u64> {
        let mut deliveries =
            self.deliveries(consumer, options.flags.idle_timeout, options.prefetch);
        let mut received = 0u64;
        while !options.flags.enough(received)
            && let Some(delivery) = deliveries.next().await?
        {
            if !options.flags.quiet {
                let again = if delivery.redelivered {
                    " (redelivered)"
                } else {
                    ""
                };
                println!(
                    " [x] Received {} (routing key {}){again}",
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
                deliveries.ack(delivery.acker).await?;
            }
            received += 1;
        }
        deliveries.finish().await?;
        Ok(received)
    }
    // ANCHOR_END: consume_loop
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
    /// `--max-messages`, `--idle-timeout`, `--quiet`.
    pub flags: ConsumeFlags,
}

impl ConsumeOptions {
    pub fn from_args(args: &ConsumerArgs) -> Self {
        Self {
            auto_ack: false,
            prefetch: args.prefetch,
            work: Duration::ZERO,
            flags: args.flags.clone(),
        }
    }
}
