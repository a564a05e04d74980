//! The consumer's stream of deliveries, with everything that is not the lesson kept here: when
//! to stop (Ctrl+C, `--idle-timeout`, a cancelled consumer) and waiting out a broker restart.

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use tokio::time::{Instant, Sleep};

use anyhow::bail;
use futures_lite::StreamExt;
use futures_lite::future::poll_once;
use lapin::message::Delivery;
use lapin::{Channel, Connection, Consumer};

use super::RabbitMQ;
use super::connect::explain;
use super::pipeline::Acks;

/// How long a consumer waits for lapin to reconnect before it gives up.
const RECOVERY_TIMEOUT: Duration = Duration::from_secs(60);

/// A consumer's deliveries, one at a time, until it is time to stop.
pub struct Deliveries<'a> {
    consumer: Consumer,
    connection: &'a Connection,
    channel: &'a Channel,
    /// lapin reconnects by itself (a consumer made with [`RabbitMQ::recovering`]).
    recover: bool,
    idle_timeout: Option<Duration>,
    shutdown: Pin<Box<dyn Future<Output = ()> + Send>>,
    /// The acks of handled messages, sent before this waits for the next one.
    acks: Acks,
    /// Fires every [`TICK`] while nothing arrives, and at `--idle-timeout`: one timer for all
    /// the waits, re-armed when it fires rather than made anew for every delivery.
    tick: Pin<Box<Sleep>>,
}

/// How often a waiting consumer looks at the connection.
const TICK: Duration = Duration::from_secs(1);

impl RabbitMQ {
    /// The deliveries of `consumer`, ending on Ctrl+C or after `idle_timeout` without one.
    /// `prefetch` sizes the runs of acks that [`Deliveries::ack`] sends as one.
    pub(crate) fn deliveries(
        &self,
        consumer: Consumer,
        idle_timeout: Option<Duration>,
        prefetch: u16,
    ) -> Deliveries<'_> {
        let mut deliveries = Deliveries::new(
            consumer,
            &self.connection,
            &self.channel,
            self.recover,
            idle_timeout,
        );
        deliveries.acks = Acks::new(prefetch, self.recover);
        deliveries
    }
}

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
        idle_timeout: Option<Duration>,
    ) -> Self {
        Self {
            consumer,
            connection,
            channel,
            recover,
            idle_timeout,
            shutdown: Box::pin(crate::shutdown::signal()),
            acks: Acks::new(1, recover),
            tick: Box::pin(tokio::time::sleep(TICK)),
        }
    }

    /// Acknowledges a handled message (see [`Acks`]: acks go out in runs).
    pub async fn ack(&mut self, acker: lapin::Acker) -> anyhow::Result<()> {
        self.acks.ack(acker).await
    }

    /// Sends the acks still held back: call it once the last message has been handled.
    pub async fn finish(&mut self) -> anyhow::Result<()> {
        self.acks.flush().await
    }

    /// The next delivery, or `None` when it is time to stop. While lapin reconnects after the
    /// broker went away, this waits (at most [`RECOVERY_TIMEOUT`]); the messages that were
    /// delivered but not acked come again, marked redelivered.
    pub async fn next(&mut self) -> anyhow::Result<Option<Delivery>> {
        loop {
            // While acks are held back (pipeline.rs), a delivery already here is taken at
            // once; before waiting for one, the held acks go out, so the broker never waits
            // on them.
            let ready = if self.acks.holding() {
                poll_once(self.consumer.next()).await.flatten()
            } else {
                None
            };
            let event = match ready {
                Some(delivery) => Next::Delivery(Box::new(delivery)),
                None => {
                    self.acks.flush().await?;
                    self.next_event().await
                }
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
