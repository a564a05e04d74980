//! The producer side: publish one message, and the producer's loop (the tutorial's
//! `PublishSimple`, `PublishPub`, `PublishRouting` and `PublishTopic`, for every mode).

use anyhow::bail;
use lapin::options::{BasicPublishOptions, ConfirmSelectOptions};
use lapin::{BasicProperties, Confirmation, PublisherConfirm};

use super::args::ProducerArgs;
use super::connect::explain;
use super::pipeline::Publishes;
use super::{Mode, RabbitMQ};
use crate::output::{body, preview};

impl RabbitMQ {
    /// Turns on publisher confirms: from now on the broker acks (or nacks) every message once
    /// it has taken responsibility for it (for a persistent message: written it to disk).
    async fn enable_confirms(&mut self) -> anyhow::Result<()> {
        self.channel
            .confirm_select(ConfirmSelectOptions::default())
            .await
            .map_err(|e| explain(e, "turning on publisher confirms".to_owned()))?;
        self.confirms = true;
        Ok(())
    }

    // ANCHOR: publish
    /// Publishes one message. Simple and worker go through the default exchange (`""`), whose
    /// routing key is the queue name; the other modes go to the exchange with `routing_key`.
    ///
    /// The returned [`PublisherConfirm`] resolves to the broker's ack when confirms are on.
    pub async fn publish(
        &self,
        routing_key: &str,
        payload: Vec<u8>,
    ) -> anyhow::Result<PublisherConfirm> {
        let (exchange, routing_key) = match self.mode {
            Mode::Simple | Mode::Worker => ("", self.name.as_str()),
            Mode::PubSub | Mode::Routing | Mode::Topic => (self.name.as_str(), routing_key),
        };
        let mut properties = BasicProperties::default().with_content_type("text/plain".into());
        if self.persistent {
            properties = properties.with_delivery_mode(2); // persistent: survives a restart
        }
        // With confirms on, `mandatory` asks the broker to hand back a message that no queue
        // matched, instead of dropping it silently.
        let options = BasicPublishOptions {
            mandatory: self.confirms,
            ..BasicPublishOptions::default()
        };
        self.channel
            .basic_publish(
                exchange.into(),
                routing_key.into(),
                options,
                &payload,
                properties,
            )
            .await
            .map_err(|e| explain(e, format!("publishing to '{}'", self.name)))
    }
    // ANCHOR_END: publish

    /// The whole producer side: declares the destination, publishes `--count` rounds, one
    /// message per routing key per round, then reports what the broker confirmed. Fails if
    /// anything was nacked or left unconfirmed.
    pub async fn publish_all(
        &mut self,
        args: &ProducerArgs,
        keys: &[String],
    ) -> anyhow::Result<()> {
        let flags = &args.flags;
        self.persistent = args.persistent;
        self.declare().await?;
        if args.confirm {
            self.enable_confirms().await?;
        }
        let keys: Vec<String> = if keys.is_empty() {
            vec![String::new()]
        } else {
            keys.to_vec()
        };
        let body_of = |i: u64, k: usize| body(&flags.message, i, &keys[k], None);
        let mut outgoing = Publishes::new(args.confirm);
        let mut failure = None;
        // ANCHOR: publish_loop
        'rounds: for i in 0..flags.count {
            for (k, key) in keys.iter().enumerate() {
                let payload = body(&flags.message, i, key, flags.size);
                let shown = (!flags.quiet).then(|| preview(&payload).into_owned());
                // `Publishes` (pipeline.rs) lets lapin write this message while the next ones
                // are built, in order, and waits for the broker's confirm of each (--confirm).
                let len = payload.len();
                let publish = self.publish(key, payload);
                if let Err(err) = outgoing.send((i, k), len, publish, body_of).await {
                    failure = Some(err);
                    break 'rounds;
                }
                if let Some(shown) = shown {
                    match self.mode {
                        Mode::Simple | Mode::Worker | Mode::PubSub => {
                            println!(" [x] Sent '{shown}'")
                        }
                        Mode::Routing | Mode::Topic => {
                            println!(" [x] Sent '{shown}' (routing key {key})")
                        }
                    }
                }
            }
            if !flags.interval.is_zero() && i + 1 < flags.count {
                tokio::time::sleep(flags.interval).await;
            }
        }
        let (summary, sent) = outgoing.finish(body_of).await;
        // ANCHOR_END: publish_loop
        let failure = failure.or(sent.err());
        let closed = self.close().await;
        if args.confirm || failure.is_some() {
            println!(" [.] {summary}");
        }
        if let Some(err) = failure {
            return Err(err.context(format!(
                "stopped after {} of {} messages",
                summary.sent,
                flags.count * keys.len() as u64
            )));
        }
        if summary.nacked + summary.unconfirmed > 0 {
            bail!(
                "{} message(s) were not confirmed by the broker",
                summary.nacked + summary.unconfirmed
            );
        }
        if let Err(err) = closed {
            if args.confirm {
                return Err(err);
            }
            // Without confirms, a message the broker refused (e.g. one over its size limit)
            // surfaces only here, as a closed channel or connection, in one of several forms.
            return Err(err.context(
                "the broker closed the channel or connection: it refused a message or went away; \
                 --confirm shows which message and why",
            ));
        }
        Ok(())
    }
}

/// What a producer run achieved, message by message: printed at the end with `--confirm`.
#[derive(Debug, Default, Clone, Copy)]
pub struct Summary {
    pub sent: u64,
    pub confirmed: u64,
    pub nacked: u64,
    pub unconfirmed: u64,
    /// Confirmed, but no queue matched the routing key (returned by the broker, then dropped).
    pub returned: u64,
}

impl Summary {
    /// Counts one message's outcome, and prints the body (built only then) of one that was
    /// nacked, returned or left unconfirmed.
    pub fn settle(
        &mut self,
        confirmation: lapin::Result<Confirmation>,
        body: impl Fn() -> Vec<u8>,
    ) {
        match confirmation {
            Ok(Confirmation::Ack(returned)) => {
                self.confirmed += 1;
                if let Some(returned) = returned {
                    self.returned += 1;
                    println!(
                        " [!] No queue matched routing key '{}': '{}'",
                        returned.delivery.routing_key,
                        preview(&body())
                    );
                }
            }
            Ok(Confirmation::Nack(_)) => {
                self.nacked += 1;
                println!(" [!] Nacked by the broker: '{}'", preview(&body()));
            }
            Ok(Confirmation::NotRequested) => {}
            Err(err) => self.not_confirmed(&err, body),
        }
    }

    /// Counts a message that the broker never confirmed, and prints why and its body.
    pub fn not_confirmed(&mut self, why: &dyn std::fmt::Display, body: impl Fn() -> Vec<u8>) {
        self.unconfirmed += 1;
        println!(" [!] Not confirmed ({why}): '{}'", preview(&body()));
    }
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "sent {}, confirmed {}, nacked {}, unconfirmed {}, returned unroutable {}",
            self.sent, self.confirmed, self.nacked, self.unconfirmed, self.returned
        )
    }
}
