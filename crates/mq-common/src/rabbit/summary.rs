//! What a producer's run achieved, message by message, and how it ends: the report printed with
//! `--confirm`, and an exit status that fails when a message was not confirmed.

use anyhow::bail;
use lapin::Confirmation;

use super::RabbitMQ;
use crate::output::preview;

/// What a producer run achieved: printed at the end with `--confirm`.
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
    // ANCHOR: settle
    /// Counts one message's confirm, and prints the body of a message that was nacked,
    /// returned (no queue matched its routing key) or left unconfirmed.
    pub fn settle(&mut self, confirmation: lapin::Result<Confirmation>, body: &[u8]) {
        self.settle_with(confirmation, || body.to_vec());
    }

    /// Like [`Summary::settle`], with the body built only if it is printed (the speed-ups
    /// of `tuned.rs` and the confirms chapter keep no body per message in flight).
    pub fn settle_with(
        &mut self,
        confirmation: lapin::Result<Confirmation>,
        body: impl FnOnce() -> Vec<u8>,
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
            Err(err) => self.not_confirmed(&err, &body()),
        }
    }
    // ANCHOR_END: settle

    /// Counts a message that the broker never confirmed, and prints why and its body.
    pub fn not_confirmed(&mut self, why: &dyn std::fmt::Display, body: &[u8]) {
        self.unconfirmed += 1;
        println!(" [!] Not confirmed ({why}): '{}'", preview(body));
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

impl RabbitMQ {
    /// Ends a producer's run: closes the connection, prints the summary (with `--confirm`, or
    /// after a failure), and fails if publishing failed or a message was not confirmed.
    /// `total` is how many messages the run meant to send.
    pub async fn finish_publishing(
        &self,
        published: anyhow::Result<()>,
        summary: &Summary,
        confirm: bool,
        total: u64,
    ) -> anyhow::Result<()> {
        let closed = self.close().await;
        if confirm || published.is_err() {
            println!(" [.] {summary}");
        }
        if let Err(err) = published {
            return Err(err.context(format!(
                "stopped after {} of {total} messages",
                summary.sent
            )));
        }
        if summary.nacked + summary.unconfirmed > 0 {
            bail!(
                "{} message(s) were not confirmed by the broker",
                summary.nacked + summary.unconfirmed
            );
        }
        if let Err(err) = closed {
            if confirm {
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
