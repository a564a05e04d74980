//! The consumer's stream of deliveries, with everything that is not the lesson kept here: when
//! to stop (`--max-messages`, Ctrl+C, `--idle-timeout`, a cancelled consumer) and waiting out a
//! broker restart.

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use tokio::time::{Instant, Sleep};

use anyhow::bail;
use futures_lite::StreamExt;
use futures_lite::future::poll_once;
use lapin::message::Delivery;
use lapin::{Channel, Connection, Consumer};

use super::connect::explain;
use crate::flags::ConsumerFlags;

/// How long a consumer waits for lapin to reconnect before it gives up.
const RECOVERY_TIMEOUT: Duration = Duration::from_secs(60);

/// A consumer's deliveries, one at a time, until it is time to stop.
pub struct Deliveries<'a> {
    consumer: Consumer,
    connection: &'a Connection,
    channel: &'a Channel,
    /// lapin reconnects by itself (a consumer made with [`super::RabbitMQ::recovering`]).
    recover: bool,
    idle_timeout: Option<Duration>,
    max_messages: Option<u64>,
    /// How many deliveries this has handed out.
    received: u64,
    shutdown: Pin<Box<dyn Future<Output = ()> + Send>>,
    /// A delivery (or error) taken from the stream by [`Deliveries::ready`] but not handed out.
    pending: Option<Option<lapin::Result<Delivery>>>,
    /// Fires every [`TICK`] while nothing arrives, and at `--idle-timeout`: one timer for all
    /// the waits, re-armed when it fires rather than made anew for every delivery.
    tick: Pin<Box<Sleep>>,
}

/// How often a waiting consumer looks at the connection.
const TICK: Duration = Duration::from_secs(1);

enum Next {
    Delivery(Box<lapin::Result<Delivery>>),
    Cancelled,
    Idle,
    Disconnected,
    Shutdown,
}

impl std::fmt::Debug for Deliveries<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Deliveries")
            .field("consumer", &self.consumer)
            .field("recover", &self.recover)
            .field("idle_timeout", &self.idle_timeout)
            .finish_non_exhaustive()
    }
}

impl<'a> Deliveries<'a> {
    pub(crate) fn new(
        consumer: Consumer,
        connection: &'a Connection,
        channel: &'a Channel,
        recover: bool,
        flags: ConsumerFlags,
    ) -> Self {
        Self {
            consumer,
            connection,
            channel,
            recover,
            idle_timeout: flags.idle_timeout,
            max_messages: flags.max_messages,
            received: 0,
            shutdown: Box::pin(crate::shutdown::signal()),
            pending: None,
            tick: Box::pin(tokio::time::sleep(TICK)),
        }
    }

    /// How many deliveries this has handed out.
    pub fn received(&self) -> u64 {
        self.received
    }

    /// Whether lapin reconnects by itself (a consumer made with
    /// [`super::RabbitMQ::recovering`]).
    pub(crate) fn recovering(&self) -> bool {
        self.recover
    }

    // ANCHOR: next
    /// The next delivery, or `None` when it is time to stop: after `--max-messages`, on
    /// Ctrl+C, after `--idle-timeout` without a message. While lapin reconnects after the
    /// broker went away, this waits (at most [`RECOVERY_TIMEOUT`]). The messages that were
    /// delivered but not acked then come again, marked redelivered, if the queue still has
    /// them: a broker restart keeps only persistent messages, and only in durable queues.
    pub async fn next(&mut self) -> anyhow::Result<Option<Delivery>> {
        if self.max_messages.is_some_and(|max| self.received >= max) {
            return Ok(None);
        }
        let next = self.next_delivery().await?;
        self.received += u64::from(next.is_some());
        Ok(next)
    }

    /// What the result of an ack means for this consumer. `Ok` when the ack was sent, or when it
    /// was lost with a connection that lapin is recovering (lapin refuses an ack meant for the
    /// channel before the reconnect; the broker then delivers that message again, marked
    /// redelivered). An error when the channel is gone for good.
    pub fn acked(&self, result: lapin::Result<bool>) -> anyhow::Result<()> {
        match result {
            Ok(true) => Ok(()),
            Ok(false) if self.recover => {
                log::warn!("an ack was lost with the connection; that message comes again");
                Ok(())
            }
            Err(err) if self.recover && err.can_be_recovered() => {
                log::warn!("an ack was lost with the connection; that message comes again");
                Ok(())
            }
            Ok(false) => bail!("a message could not be acknowledged: the channel is gone"),
            Err(err) => Err(explain(err, "acknowledging a message".to_owned())),
        }
    }
    // ANCHOR_END: next

    /// A delivery that is already here, without waiting: `None` when there is none yet, or
    /// when it is time to stop ([`Deliveries::next`] then says why). For the acks in runs of
    /// `tuned.rs`, which go out before the consumer waits.
    pub(crate) async fn ready(&mut self) -> Option<Delivery> {
        if self.max_messages.is_some_and(|max| self.received >= max) || self.pending.is_some() {
            return None;
        }
        match poll_once(self.consumer.next()).await {
            None => None,
            Some(Some(Ok(delivery))) => {
                self.received += 1;
                Some(delivery)
            }
            Some(other) => {
                self.pending = Some(other);
                None
            }
        }
    }

    async fn next_delivery(&mut self) -> anyhow::Result<Option<Delivery>> {
        loop {
            let event = match self.pending.take() {
                Some(Some(delivery)) => Next::Delivery(Box::new(delivery)),
                Some(None) => Next::Cancelled,
                None => self.next_event().await,
            };
            match event {
                Next::Delivery(delivery) => match *delivery {
                    Ok(delivery) => return Ok(Some(delivery)),
                    Err(err) if self.recover && err.can_be_recovered() => {
                        log::warn!(
                            "lost the connection to RabbitMQ ({err}); waiting for it to come back"
                        );
                        let channel = self.channel;
                        if !self.wait(channel.wait_for_recovery(err)).await? {
                            return Ok(None);
                        }
                    }
                    Err(err) => return Err(explain(err, "receiving".to_owned())),
                },
                // The connection dropped with no error on the stream yet: lapin is reconnecting.
                Next::Disconnected => {
                    log::warn!("lost the connection to RabbitMQ; waiting for it to come back");
                    let reconnected = reconnected(self.channel, self.connection);
                    if !self.wait(reconnected).await? {
                        return Ok(None);
                    }
                }
                Next::Idle => {
                    log::info!(
                        "no message for {:?}, exiting",
                        self.idle_timeout.unwrap_or_default()
                    );
                    return Ok(None);
                }
                Next::Shutdown => {
                    log::info!("Ctrl+C: closing the channel and the connection");
                    return Ok(None);
                }
                Next::Cancelled => {
                    bail!("the broker cancelled this consumer (was the queue deleted?)")
                }
            }
        }
    }

    /// The next thing that happens: a delivery, Ctrl+C, `--idle-timeout`, or (checked every
    /// second while nothing arrives) a recovering connection found down.
    async fn next_event(&mut self) -> Next {
        let idle_deadline = self.idle_timeout.map(|idle| Instant::now() + idle);
        if let Some(deadline) = idle_deadline
            && deadline < self.tick.deadline()
        {
            self.tick.as_mut().reset(deadline);
        }
        loop {
            // Dropping `next()` when another branch wins loses nothing: the delivery stays in
            // the stream.
            let next = tokio::select! {
                biased;
                _ = &mut self.shutdown => return Next::Shutdown,
                next = self.consumer.next() => next,
                () = &mut self.tick => {
                    let now = Instant::now();
                    if self.recover && !self.channel.status().connected() {
                        return Next::Disconnected;
                    }
                    if idle_deadline.is_some_and(|d| now >= d) {
                        return Next::Idle;
                    }
                    let next_tick = now + TICK;
                    self.tick.as_mut().reset(idle_deadline.map_or(next_tick, |d| d.min(next_tick)));
                    continue;
                }
            };
            return match next {
                Some(delivery) => Next::Delivery(Box::new(delivery)),
                None => Next::Cancelled,
            };
        }
    }

    /// Waits for `recovery`, for Ctrl+C or for [`RECOVERY_TIMEOUT`], whichever comes first.
    /// Returns `false` on Ctrl+C.
    async fn wait(
        &mut self,
        recovery: impl Future<Output = lapin::Result<()>>,
    ) -> anyhow::Result<bool> {
        tokio::select! {
            _ = &mut self.shutdown => {
                log::info!("Ctrl+C while waiting for RabbitMQ: exiting");
                Ok(false)
            }
            recovered = tokio::time::timeout(RECOVERY_TIMEOUT, recovery) => match recovered {
                Ok(Ok(())) => {
                    log::info!("reconnected to RabbitMQ, consuming again");
                    Ok(true)
                }
                Ok(Err(err)) => Err(explain(err, "reconnecting to RabbitMQ".to_owned())),
                Err(_) => bail!(
                    "RabbitMQ did not come back within {RECOVERY_TIMEOUT:?}; start it with `just up`"
                ),
            },
        }
    }
}

/// Resolves once lapin has reconnected the channel, or fails once it has given up. lapin hands
/// out no error to wait on in this case, so this looks at the channel's status.
async fn reconnected(channel: &Channel, connection: &Connection) -> lapin::Result<()> {
    while !channel.status().connected() {
        let status = connection.status();
        if status.errored() || status.closed() {
            let state = if status.errored() {
                lapin::ConnectionState::Error
            } else {
                lapin::ConnectionState::Closed
            };
            return Err(lapin::ErrorKind::InvalidConnectionState(state).into());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Ok(())
}
