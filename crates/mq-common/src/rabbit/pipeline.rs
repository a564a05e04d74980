//! The speed-ups, kept apart from the lesson loops.
//!
//! The loops in `publish.rs` and `consume.rs` read like the tutorial: publish, then wait for the
//! confirm; receive, print, work, ack. Waiting for each confirm or ack before going on costs a
//! round trip through lapin's I/O thread per message. So the loops hand each confirm and each
//! ack to a window that keeps up to 1024 in flight, checks every one of them, and waits only
//! for the oldest when the window is full. Measured with `just bench` on the 2-core bench
//! machine: a consumer alone (prefetch 100) went from about 11k to 24k msg/s with the ack
//! window, and `--confirm` publishing ran at PerfTest's rate (about 22k msg/s) with the
//! confirm window. What a message goes through does not change: the ack is still sent after
//! the work, and every confirm is still awaited before the producer reports and exits.

use std::collections::VecDeque;

use anyhow::bail;
use lapin::PublisherConfirm;
use lapin::options::BasicAckOptions;

use super::connect::explain;
use super::publish::Summary;

const ACK_WINDOW: usize = 1024;
const CONFIRM_WINDOW: usize = 1024;

/// Acks on their way to the broker, each sent from its own task.
#[derive(Debug)]
pub(crate) struct Acks {
    in_flight: VecDeque<tokio::task::JoinHandle<lapin::Result<bool>>>,
    /// lapin is reconnecting by itself (a consumer made with [`super::RabbitMQ::recovering`]).
    recover: bool,
}

impl Acks {
    pub(crate) fn new(recover: bool) -> Self {
        Self {
            in_flight: VecDeque::new(),
            recover,
        }
    }

    pub(crate) async fn ack(&mut self, acker: lapin::Acker) -> anyhow::Result<()> {
        self.in_flight.push_back(tokio::spawn(async move {
            acker.ack(BasicAckOptions::default()).await
        }));
        if self.in_flight.len() >= ACK_WINDOW
            && let Some(oldest) = self.in_flight.pop_front()
        {
            self.check(oldest.await)?;
        }
        Ok(())
    }

    /// Waits for every ack still on its way.
    pub(crate) async fn finish(&mut self) -> anyhow::Result<()> {
        while let Some(ack) = self.in_flight.pop_front() {
            self.check(ack.await)?;
        }
        Ok(())
    }

    fn check(
        &self,
        ack: Result<lapin::Result<bool>, tokio::task::JoinError>,
    ) -> anyhow::Result<()> {
        match ack {
            Ok(Ok(_)) => Ok(()),
            // The connection dropped before the ack left: the broker still holds the message
            // and delivers it again, marked redelivered, once lapin has reconnected.
            Ok(Err(err)) if self.recover && err.can_be_recovered() => {
                log::warn!("an ack was lost with the connection; that message will come again");
                Ok(())
            }
            Ok(Err(err)) => Err(explain(err, "acknowledging a message".to_owned())),
            Err(err) => bail!("the task sending an ack failed: {err}"),
        }
    }
}

/// Publisher confirms still to come, with what identifies their message: the round `i` and the
/// routing key's index `k`, from which the body is rebuilt only if something went wrong.
#[derive(Debug, Default)]
pub(crate) struct Confirms {
    in_flight: VecDeque<(u64, usize, PublisherConfirm)>,
}

impl Confirms {
    /// Keeps `confirm`; once CONFIRM_WINDOW are waiting, settles the oldest.
    pub(crate) async fn push(
        &mut self,
        (i, k): (u64, usize),
        confirm: PublisherConfirm,
        summary: &mut Summary,
        body: impl Fn(u64, usize) -> Vec<u8>,
    ) {
        self.in_flight.push_back((i, k, confirm));
        if self.in_flight.len() >= CONFIRM_WINDOW
            && let Some((i, k, confirm)) = self.in_flight.pop_front()
        {
            summary.settle(confirm.await, || body(i, k));
        }
    }

    /// Settles every confirm still to come.
    pub(crate) async fn finish(
        &mut self,
        summary: &mut Summary,
        body: impl Fn(u64, usize) -> Vec<u8>,
    ) {
        while let Some((i, k, confirm)) = self.in_flight.pop_front() {
            summary.settle(confirm.await, || body(i, k));
        }
    }
}
