//! The speed-ups of the "Going faster" chapter, opt-in and apart from the chapters' loops.
//!
//! The chapters' loops read like the tutorial: publish, then (with `--confirm`) wait for that
//! message's confirm; receive, print, work, ack. Awaiting each publish, confirm or ack before
//! going on costs a round trip through lapin's I/O thread per message, and a system call or
//! two each way. Three flags trade that for throughput, each named for what it does:
//!
//! - `--pipeline` (producers): up to 1024 publishes handed to lapin before the oldest is
//!   awaited ([`Publishes`]);
//! - `--confirm-window N` (producers, with `--confirm`): up to N confirms in flight, each
//!   still checked, instead of one at a time;
//! - `--ack-in-runs` (consumers): the acks of a run of handled messages sent as one `multiple`
//!   ack ([`Acks`]).
//!
//! What a message goes through does not change: messages leave in order, an ack is still sent
//! after the work, and every confirm is awaited before the producer reports and exits.
//! `just bench` measures the gain of each, beside the Go tutorial's code and PerfTest.

use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use futures_lite::future::poll_once;
use lapin::options::{BasicAckOptions, BasicPublishOptions, ConfirmSelectOptions};
use lapin::{BasicProperties, Channel, PublisherConfirm};

use super::connect::explain;
use super::{Deliveries, Summary};
use crate::flags::{ProducerDefaults, RabbitProducerFlags};
use crate::lines::{RECEIVED, SENT};
use crate::output::preview;

/// The longest a handled message's ack is held back.
const ACK_DELAY: Duration = Duration::from_millis(100);

// ANCHOR: acks
/// Acks, sent as one `multiple` ack for a run of handled messages.
///
/// One ack per message costs a trip through lapin's internal RPC and I/O thread, and a frame
/// to the broker, for each message. Messages arrive in order on the channel, and an ack with
/// `multiple` set acknowledges its message and every earlier one on the channel, so the acks of
/// handled messages are held back and sent as one when half the prefetch has been handled, when
/// the oldest held one has waited [`ACK_DELAY`], or when no next message is there yet
/// ([`consume_acking_in_runs`] calls [`Acks::flush`] before it waits). A message is still
/// acked only after its work: a consumer that dies redelivers at most what it held back.
#[derive(Debug)]
struct Acks {
    /// The newest handled message, whose ack covers every message held before it.
    held: Option<lapin::Acker>,
    count: usize,
    since: Instant,
    /// Half the prefetch: the broker keeps sending while these acks are on their way.
    batch: usize,
    /// lapin is reconnecting by itself (a consumer made with [`super::RabbitMQ::recovering`]).
    recover: bool,
}

impl Acks {
    fn new(prefetch: u16, recover: bool) -> Self {
        Self {
            held: None,
            count: 0,
            since: Instant::now(),
            batch: usize::from(prefetch / 2).max(1),
            recover,
        }
    }

    /// Acknowledges a handled message: holds its ack back, or sends it with those held before.
    async fn ack(&mut self, acker: lapin::Acker) -> anyhow::Result<()> {
        if self.held.is_none() {
            self.since = Instant::now();
        }
        self.held = Some(acker);
        self.count += 1;
        if self.count >= self.batch || self.since.elapsed() >= ACK_DELAY {
            self.flush().await?;
        }
        Ok(())
    }

    /// Sends the acks held back, as one.
    async fn flush(&mut self) -> anyhow::Result<()> {
        let Some(acker) = self.held.take() else {
            return Ok(());
        };
        let count = std::mem::take(&mut self.count);
        let multiple = BasicAckOptions { multiple: true };
        match acker.ack(multiple).await {
            Ok(true) => Ok(()),
            // lapin refuses an ack from before a reconnect (its delivery tag meant the old
            // channel): the broker delivers those messages again, marked redelivered.
            Ok(false) if self.recover => {
                log::warn!(
                    "{count} ack(s) were lost with the connection; those messages come again"
                );
                Ok(())
            }
            Err(err) if self.recover && err.can_be_recovered() => {
                log::warn!(
                    "{count} ack(s) were lost with the connection; those messages come again"
                );
                Ok(())
            }
            Ok(false) => bail!("{count} message(s) could not be acknowledged: the channel is gone"),
            Err(err) => Err(explain(err, "acknowledging messages".to_owned())),
        }
    }
}

// ANCHOR_END: acks

// ANCHOR: consume
/// The consumer's loop with `--ack-in-runs`: receive, print, work, and ack in runs ([`Acks`]).
/// The held acks go out before the consumer waits for a message, so the broker never waits on
/// them. Returns how many messages were received.
pub async fn consume_acking_in_runs(
    mut deliveries: Deliveries<'_>,
    prefetch: u16,
    work: Duration,
    quiet: bool,
) -> anyhow::Result<u64> {
    let mut acks = Acks::new(prefetch, deliveries.recovering());
    loop {
        let delivery = match deliveries.ready().await {
            Some(delivery) => delivery,
            None => {
                acks.flush().await?;
                match deliveries.next().await? {
                    Some(delivery) => delivery,
                    None => break,
                }
            }
        };
        if !quiet {
            let again = if delivery.redelivered {
                " (redelivered)"
            } else {
                ""
            };
            println!(
                "{RECEIVED} {} (routing key {}){again}",
                preview(&delivery.data),
                delivery.routing_key
            );
        }
        if !work.is_zero() {
            tokio::time::sleep(work).await;
        }
        acks.ack(delivery.acker).await?;
    }
    acks.flush().await?;
    Ok(deliveries.received())
}
// ANCHOR_END: consume

// ANCHOR: publish
/// The producer's loop with `--pipeline` or `--confirm-window`: `--count` rounds, one message
/// per routing key per round, to `exchange` (`""` with the queue's name as the key, for
/// simple and worker). `show_key` prints the routing key on each line.
pub async fn publish<D: ProducerDefaults>(
    channel: &Channel,
    exchange: &str,
    keys: &[String],
    show_key: bool,
    flags: &RabbitProducerFlags<D>,
    summary: &mut Summary,
) -> anyhow::Result<()> {
    if flags.confirm {
        channel
            .confirm_select(ConfirmSelectOptions::default())
            .await
            .context("turning on publisher confirms")?;
    }
    let send_window = if flags.pipeline { SEND_WINDOW } else { 1 };
    let confirm_window = usize::from(flags.confirm_window.unwrap_or(1));
    let mut outgoing = Publishes::new(send_window, flags.confirm.then_some(confirm_window));
    let common = &flags.common;
    let body_of = |i: u64, k: usize| common.body(i, &keys[k]);
    let mut properties = BasicProperties::default().with_content_type("text/plain".into());
    if flags.persistent {
        properties = properties.with_delivery_mode(2);
    }
    let options = BasicPublishOptions {
        mandatory: flags.confirm,
        ..BasicPublishOptions::default()
    };
    let mut result = Ok(());
    'rounds: for i in 0..common.count {
        for (k, key) in keys.iter().enumerate() {
            let payload = body_of(i, k);
            let shown = (!common.quiet).then(|| preview(&payload).into_owned());
            let len = payload.len();
            let properties = properties.clone();
            let publish = async move {
                channel
                    .basic_publish(
                        exchange.into(),
                        key.as_str().into(),
                        options,
                        &payload,
                        properties,
                    )
                    .await
                    .with_context(|| format!("publishing to '{exchange}'"))
            };
            if let Err(err) = outgoing.send((i, k), len, publish, summary, &body_of).await {
                result = Err(err);
                break 'rounds;
            }
            if let Some(shown) = shown {
                if show_key {
                    println!("{SENT} '{shown}' (routing key {key})");
                } else {
                    println!("{SENT} '{shown}'");
                }
            }
        }
        common.pause_after(i).await;
    }
    let finished = outgoing.finish(summary, &body_of).await;
    result.and(finished)
}
// ANCHOR_END: publish

/// A publish handed to lapin, until lapin has written it to the socket.
type Sending<'a> = Pin<Box<dyn Future<Output = anyhow::Result<PublisherConfirm>> + 'a>>;

/// The producer's messages on their way, oldest first: written by lapin's I/O thread while the
/// next ones are built, then (with `--confirm`) waiting for the broker's confirm.
///
/// Awaiting each publish before the next costs a wake-up of lapin's I/O thread, a write to the
/// socket and a wake-up back, per message. With `--pipeline`, up to [`SEND_WINDOW`] messages
/// (at most [`SEND_BYTES`] of bodies) are handed over before the oldest is awaited, and lapin
/// writes what has piled up with fewer system calls.
///
/// Order is kept: lapin's `basic_publish` queues its frames on the channel the first time it
/// is polled, before its first await, and the channel writes them in that order. [`Self::send`]
/// polls each publish once as it arrives, so messages are queued in the order they were sent
/// (the test `publish_order_is_kept` in mq-tests checks it on the broker).
struct Publishes<'a> {
    sending: VecDeque<(Id, usize, Sending<'a>)>,
    bytes: usize,
    send_window: usize,
    /// `Some` with `--confirm`: the confirms still to come, and how many may be.
    confirms: Option<(VecDeque<(Id, PublisherConfirm)>, usize)>,
}

/// A message's round `i` and routing key's index `k`: its body is rebuilt from them only if
/// something went wrong.
type Id = (u64, usize);

const SEND_WINDOW: usize = 1024;
const SEND_BYTES: usize = 4 << 20;

impl<'a> Publishes<'a> {
    fn new(send_window: usize, confirm_window: Option<usize>) -> Self {
        Self {
            sending: VecDeque::new(),
            bytes: 0,
            send_window,
            confirms: confirm_window.map(|window| (VecDeque::new(), window.max(1))),
        }
    }

    // ANCHOR: window
    /// Hands `publish` (the message `id`, `len` bytes) to lapin, and waits for the oldest
    /// messages once a window is full.
    async fn send(
        &mut self,
        id: Id,
        len: usize,
        publish: impl Future<Output = anyhow::Result<PublisherConfirm>> + 'a,
        summary: &mut Summary,
        body: &impl Fn(u64, usize) -> Vec<u8>,
    ) -> anyhow::Result<()> {
        let mut publish: Sending<'a> = Box::pin(publish);
        let mut result = match poll_once(&mut publish).await {
            // Refused before its frames were queued (the channel is gone): never handed over.
            Some(Err(err)) => return Err(err),
            Some(Ok(confirm)) => {
                summary.sent += 1;
                self.written(id, Ok(confirm), summary, body).await
            }
            None => {
                summary.sent += 1;
                self.sending.push_back((id, len, publish));
                self.bytes += len;
                Ok(())
            }
        };
        while result.is_ok() && (self.sending.len() >= self.send_window || self.bytes >= SEND_BYTES)
        {
            result = self.oldest(summary, body).await;
        }
        result
    }

    // ANCHOR_END: window

    /// Waits until every message handed over has been written and (with `--confirm`) confirmed
    /// or not. Every message counted as sent ends up confirmed, nacked, or reported as not
    /// confirmed (with its body) in the summary.
    async fn finish(
        mut self,
        summary: &mut Summary,
        body: &impl Fn(u64, usize) -> Vec<u8>,
    ) -> anyhow::Result<()> {
        let mut result = Ok(());
        while !self.sending.is_empty() {
            let written = self.oldest(summary, body).await;
            if result.is_ok() {
                result = written;
            }
        }
        if let Some((in_flight, _)) = &mut self.confirms {
            while let Some(((i, k), confirm)) = in_flight.pop_front() {
                summary.settle_with(confirm.await, || body(i, k));
            }
        }
        result
    }

    async fn oldest(
        &mut self,
        summary: &mut Summary,
        body: &impl Fn(u64, usize) -> Vec<u8>,
    ) -> anyhow::Result<()> {
        let Some((id, len, publish)) = self.sending.pop_front() else {
            return Ok(());
        };
        self.bytes -= len;
        let result = publish.await;
        self.written(id, result, summary, body).await
    }

    /// A handed-over message was written (its confirm is then kept, and the oldest settled
    /// once the confirm window is full) or failed to be: the connection went away first, and
    /// the broker never got it.
    async fn written(
        &mut self,
        (i, k): Id,
        result: anyhow::Result<PublisherConfirm>,
        summary: &mut Summary,
        body: &impl Fn(u64, usize) -> Vec<u8>,
    ) -> anyhow::Result<()> {
        match result {
            Ok(confirm) => {
                if let Some((in_flight, window)) = &mut self.confirms {
                    in_flight.push_back(((i, k), confirm));
                    if in_flight.len() >= *window
                        && let Some(((i, k), confirm)) = in_flight.pop_front()
                    {
                        summary.settle_with(confirm.await, || body(i, k));
                    }
                }
                Ok(())
            }
            Err(err) => {
                summary.not_confirmed(&format!("{err:#}"), &body(i, k));
                Err(err)
            }
        }
    }
}
