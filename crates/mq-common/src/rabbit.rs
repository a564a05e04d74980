//! RabbitMQ, chapter 1: the tutorial's `RabbitMQ` struct, corrected.
//!
//! What changes from the Go original (see the seed README's table of mistakes):
//! - one connection per process and one channel per role; the tutorial dials a second
//!   connection in `NewRabbitMQPubSub`/`Routing`/`Topic` and leaks the first;
//! - every error is returned to the caller; the tutorial ignores `Publish`'s error and
//!   `log.Fatalf`s elsewhere;
//! - consumers acknowledge each message *after* handling it, with a prefetch limit, so a
//!   consumer that dies or stops early hands its unacknowledged messages back to the queue;
//! - publisher confirms and durable queues + persistent messages are one flag away.

use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use anyhow::bail;
use futures_lite::StreamExt;
use lapin::options::{
    BasicAckOptions, BasicConsumeOptions, BasicPublishOptions, BasicQosOptions,
    ConfirmSelectOptions, ExchangeDeclareOptions, QueueBindOptions, QueueDeclareOptions,
};
use lapin::protocol::{AMQPErrorKind, AMQPHardError, AMQPSoftError};
use lapin::types::FieldTable;
use lapin::uri::AMQPUri;
use lapin::{
    BasicProperties, Channel, Confirmation, Connection, ConnectionProperties, Consumer, ErrorKind,
    ExchangeKind, PublisherConfirm,
};

use crate::config::{RabbitArgs, parse_duration};
use crate::error::{Error, redact};
use crate::output::{body, preview};

/// The names the tutorial uses, so that our binaries and its Go programs share queues.
pub mod names {
    pub const SIMPLE_QUEUE: &str = "ziyiSimple";
    pub const WORKER_QUEUE: &str = "ziyiWorker";
    pub const PUBSUB_EXCHANGE: &str = "newProduct";
    pub const ROUTING_EXCHANGE: &str = "exZi";
    pub const TOPIC_EXCHANGE: &str = "exImoocTopic";
}

// ANCHOR: mode
/// The five modes of chapter 1. Simple and worker publish straight to a named queue (through
/// the default exchange); the other three publish to an exchange, which copies each message
/// into every queue whose binding matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// One producer, one queue, one consumer.
    Simple,
    /// One queue, several consumers competing for its messages.
    Worker,
    /// A `fanout` exchange: every bound queue gets every message; routing keys are ignored.
    PubSub,
    /// A `direct` exchange: a queue gets the messages whose routing key equals its binding key.
    Routing,
    /// A `topic` exchange: binding keys are patterns over dot-separated words,
    /// where `*` matches exactly one word and `#` matches zero or more words.
    Topic,
}
// ANCHOR_END: mode

impl Mode {
    fn exchange_kind(self) -> Option<ExchangeKind> {
        match self {
            Mode::Simple | Mode::Worker => None,
            Mode::PubSub => Some(ExchangeKind::Fanout),
            Mode::Routing => Some(ExchangeKind::Direct),
            Mode::Topic => Some(ExchangeKind::Topic),
        }
    }
}

/// Opens one connection to RabbitMQ, turning the failures a learner meets into clear errors.
pub async fn connect(
    args: &RabbitArgs,
    properties: ConnectionProperties,
) -> Result<Connection, Error> {
    let url = args.amqp_url.as_deref().ok_or(Error::AmqpUrlMissing)?;
    let shown = redact(url);
    let uri: AMQPUri = url.parse().map_err(|reason| Error::InvalidAmqpUrl {
        url: shown.clone(),
        reason,
    })?;
    let user = uri.authority.userinfo.username.clone();
    let vhost = uri.vhost.clone();
    log::debug!("connecting to {shown}");
    // Check that something listens before handing over to lapin: with automatic recovery on,
    // lapin would retry a refused connection with backoff instead of failing.
    let address = (uri.authority.host.clone(), uri.authority.port);
    match tokio::time::timeout(
        Duration::from_secs(5),
        tokio::net::TcpStream::connect(address),
    )
    .await
    {
        Ok(Ok(_probe)) => {}
        Ok(Err(err)) => {
            return Err(Error::RabbitUnreachable {
                url: shown,
                reason: err.to_string(),
            });
        }
        Err(_) => {
            return Err(Error::RabbitUnreachable {
                url: shown,
                reason: "no answer within 5 s".to_owned(),
            });
        }
    }
    // A closed port fails at once; a host that drops packets would hang for minutes without
    // this bound.
    let connecting = Connection::connect_uri(uri, properties);
    let connection = match tokio::time::timeout(Duration::from_secs(10), connecting).await {
        Ok(result) => result,
        Err(_) => {
            return Err(Error::RabbitUnreachable {
                url: shown,
                reason: "no answer within 10 s".to_owned(),
            });
        }
    };
    connection.map_err(|err| classify_connect_error(err, shown, user, vhost))
}

fn classify_connect_error(err: lapin::Error, url: String, user: String, vhost: String) -> Error {
    match err.kind() {
        ErrorKind::IOError(io) => Error::RabbitUnreachable {
            url,
            reason: io.to_string(),
        },
        ErrorKind::ProtocolError(amqp) => match amqp.kind() {
            AMQPErrorKind::Soft(AMQPSoftError::ACCESSREFUSED)
                if amqp.get_message().as_str().contains("vhost") =>
            {
                Error::VhostRefused {
                    url,
                    user,
                    vhost,
                    reason: amqp.get_message().to_string(),
                }
            }
            AMQPErrorKind::Soft(AMQPSoftError::ACCESSREFUSED) => Error::AccessRefused { url, user },
            AMQPErrorKind::Hard(AMQPHardError::NOTALLOWED) => Error::VhostRefused {
                url,
                user,
                vhost,
                reason: amqp.get_message().to_string(),
            },
            _ => Error::Rabbit { url, source: err },
        },
        _ => Error::Rabbit { url, source: err },
    }
}

/// Adds a hint to the channel errors a learner can cause with flags.
fn explain(err: lapin::Error, doing: String) -> anyhow::Error {
    let hint = match err.kind() {
        ErrorKind::ProtocolError(amqp) => match amqp.kind() {
            AMQPErrorKind::Soft(AMQPSoftError::PRECONDITIONFAILED)
                if amqp
                    .get_message()
                    .as_str()
                    .contains("inequivalent arg 'durable'") =>
            {
                " (a queue's durability is fixed when it is created: use the same --persistent \
                 setting as the run that created it, or another --queue name)"
            }
            AMQPErrorKind::Soft(AMQPSoftError::ACCESSREFUSED) => {
                " (the user lacks permission for this on the vhost)"
            }
            _ => "",
        },
        ErrorKind::InvalidChannelState(lapin::ChannelState::Closed, _) => {
            " (the broker had closed the channel: it refused something sent on it, e.g. a \
             message over its size limit; --confirm on the producer shows which and why)"
        }
        // A channel in the Error state is one whose connection failed under it, e.g. because
        // the broker was stopped or restarted.
        ErrorKind::IOError(_)
        | ErrorKind::InvalidConnectionState(_)
        | ErrorKind::InvalidChannelState(lapin::ChannelState::Error, _) => {
            " (the connection to RabbitMQ is gone: was the broker stopped or restarted? `just up`)"
        }
        _ => "",
    };
    // lapin's error already includes the broker's reply text; its `source()` would repeat it.
    anyhow::anyhow!("{doing}{hint}: {err}")
}

// ANCHOR: struct
/// The counterpart of the tutorial's `RabbitMQ` struct: one connection, one channel, and the
/// name of the queue (simple, worker) or exchange (the other modes) that the mode works on.
#[derive(Debug)]
pub struct RabbitMQ {
    connection: Connection,
    channel: Channel,
    mode: Mode,
    /// The queue for simple and worker, the exchange for pubsub, routing and topic.
    name: String,
    /// `--persistent`: durable queues and persistent (delivery mode 2) messages.
    persistent: bool,
    confirms: bool,
    /// lapin reconnects by itself after the connection drops (consumers only).
    recover: bool,
}
// ANCHOR_END: struct

impl RabbitMQ {
    /// Simple mode on queue `queue` (the tutorial's `NewRabbitMQSimple`).
    pub async fn simple(args: &RabbitArgs, queue: &str) -> anyhow::Result<Self> {
        Self::new(args, Mode::Simple, queue, false).await
    }

    /// Worker mode on queue `queue` (the tutorial reuses `NewRabbitMQSimple`).
    pub async fn worker(args: &RabbitArgs, queue: &str) -> anyhow::Result<Self> {
        Self::new(args, Mode::Worker, queue, false).await
    }

    /// Publish/subscribe on fanout exchange `exchange` (`NewRabbitMQPubSub`).
    pub async fn pubsub(args: &RabbitArgs, exchange: &str) -> anyhow::Result<Self> {
        Self::new(args, Mode::PubSub, exchange, false).await
    }

    /// Routing on direct exchange `exchange` (`NewRabbitMQRouting`). The routing key is given per
    /// message, so one instance serves any number of keys (the tutorial opens one per key).
    pub async fn routing(args: &RabbitArgs, exchange: &str) -> anyhow::Result<Self> {
        Self::new(args, Mode::Routing, exchange, false).await
    }

    /// Topic on topic exchange `exchange` (`NewRabbitMQTopic`).
    pub async fn topic(args: &RabbitArgs, exchange: &str) -> anyhow::Result<Self> {
        Self::new(args, Mode::Topic, exchange, false).await
    }

    /// Like the mode constructors, but with lapin's automatic recovery turned on: after the
    /// broker restarts, lapin reconnects and replays the declarations, bindings, QoS and
    /// consumers. Consumers use this; a producer instead reports what was not confirmed.
    pub async fn recovering(args: &RabbitArgs, mode: Mode, name: &str) -> anyhow::Result<Self> {
        Self::new(args, mode, name, true).await
    }

    async fn new(args: &RabbitArgs, mode: Mode, name: &str, recover: bool) -> anyhow::Result<Self> {
        let mut properties = ConnectionProperties::default()
            .with_connection_name(format!("mq-tutorial-rs {mode:?}").into());
        if recover {
            properties = properties.enable_auto_recover();
        }
        let connection = connect(args, properties).await?;
        let channel = connection
            .create_channel()
            .await
            .map_err(|e| explain(e, "opening a channel".to_owned()))?;
        Ok(Self {
            connection,
            channel,
            mode,
            name: name.to_owned(),
            persistent: false,
            confirms: false,
            recover,
        })
    }

    /// `--persistent`: declare durable queues and mark messages persistent, so both survive a
    /// broker restart. (Exchanges are always durable, as in the tutorial.)
    pub fn persistent(mut self, persistent: bool) -> Self {
        self.persistent = persistent;
        self
    }

    // ANCHOR: declare
    /// Makes sure the destination exists; both sides call this, and declaring is idempotent.
    ///
    /// Simple and worker declare the queue itself, so messages published before any consumer
    /// starts wait in it. The other modes declare the exchange: a message published to an
    /// exchange with no bound queue is dropped, which is why their consumers start first.
    pub async fn declare(&self) -> anyhow::Result<()> {
        match self.mode.exchange_kind() {
            None => {
                let options = QueueDeclareOptions {
                    durable: self.persistent,
                    ..QueueDeclareOptions::default()
                };
                self.channel
                    .queue_declare(self.name.as_str().into(), options, FieldTable::default())
                    .await
                    .map_err(|e| explain(e, format!("declaring queue '{}'", self.name)))?;
            }
            Some(kind) => {
                let options = ExchangeDeclareOptions {
                    durable: true,
                    ..ExchangeDeclareOptions::default()
                };
                self.channel
                    .exchange_declare(
                        self.name.as_str().into(),
                        kind,
                        options,
                        FieldTable::default(),
                    )
                    .await
                    .map_err(|e| explain(e, format!("declaring exchange '{}'", self.name)))?;
            }
        }
        Ok(())
    }
    // ANCHOR_END: declare

    /// Turns on publisher confirms: from now on the broker acks (or nacks) every message once
    /// it has taken responsibility for it (for a persistent message: written it to disk).
    pub async fn enable_confirms(&mut self) -> anyhow::Result<()> {
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
        payload: &[u8],
    ) -> anyhow::Result<PublisherConfirm> {
        let (exchange, routing_key) = match self.mode {
            Mode::Simple | Mode::Worker => ("", self.name.as_str()),
            Mode::PubSub | Mode::Routing | Mode::Topic => (self.name.as_str(), routing_key),
        };
        let mut properties = BasicProperties::default().with_content_type("text/plain".into());
        if self.persistent {
            properties = properties.with_delivery_mode(2);
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
                payload,
                properties,
            )
            .await
            .map_err(|e| explain(e, format!("publishing to '{}'", self.name)))
    }
    // ANCHOR_END: publish

    // ANCHOR: subscribe
    /// The consumer side: declares what the mode needs, binds, sets the prefetch, and starts
    /// consuming.
    ///
    /// Pub/sub, routing and topic each get their own queue: server-named (`""`), exclusive to
    /// this connection, and deleted when it closes. That is what makes every subscriber see
    /// every message its bindings match, instead of competing for them.
    pub async fn subscribe(
        &self,
        binding_keys: &[String],
        options: &ConsumeOptions,
    ) -> anyhow::Result<Consumer> {
        self.declare().await?;
        let queue = match self.mode {
            Mode::Simple | Mode::Worker => self.name.clone(),
            Mode::PubSub | Mode::Routing | Mode::Topic => {
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
                let queue = queue.name().to_string();
                // A fanout exchange ignores keys, so pub/sub binds once with the empty key.
                let keys: &[String] = if self.mode == Mode::PubSub {
                    &[String::new()]
                } else {
                    binding_keys
                };
                for key in keys {
                    self.channel
                        .queue_bind(
                            queue.as_str().into(),
                            self.name.as_str().into(),
                            key.as_str().into(),
                            QueueBindOptions::default(),
                            FieldTable::default(),
                        )
                        .await
                        .map_err(|e| {
                            explain(e, format!("binding to '{}' with key '{key}'", self.name))
                        })?;
                }
                queue
            }
        };
        // Prefetch: how many unacknowledged messages the broker may push to this consumer.
        // With 1, a busy worker gets no new message until it acks the last: fair dispatch.
        if !options.auto_ack {
            self.channel
                .basic_qos(options.prefetch, BasicQosOptions::default())
                .await
                .map_err(|e| explain(e, "setting the prefetch count".to_owned()))?;
        }
        self.channel
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
            .map_err(|e| explain(e, format!("consuming from queue '{queue}'")))
    }
    // ANCHOR_END: subscribe

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

    /// Publishes `args.count` rounds, one message per routing key per round, and reports what
    /// the broker confirmed. Returns an error if anything was nacked or left unconfirmed.
    pub async fn produce(
        &mut self,
        args: &ProducerArgs,
        keys: &[String],
    ) -> anyhow::Result<Summary> {
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
        let mut summary = Summary::default();
        // ANCHOR: produce_loop
        // Confirms arrive asynchronously. Waiting for each one before sending the next would
        // cost a round trip per message, so up to CONFIRM_WINDOW messages are in flight and the
        // oldest is settled when the window is full.
        let mut in_flight: VecDeque<(u64, usize, PublisherConfirm)> = VecDeque::new();
        let mut failure = None;
        'rounds: for i in 0..args.count {
            for (k, key) in keys.iter().enumerate() {
                let payload = body(&args.message, i, key, args.size);
                let confirm = match self.publish(key, &payload).await {
                    Ok(confirm) => confirm,
                    Err(err) => {
                        failure = Some(err);
                        break 'rounds;
                    }
                };
                summary.sent += 1;
                if !args.quiet {
                    match self.mode {
                        Mode::Simple | Mode::Worker | Mode::PubSub => {
                            println!(" [x] Sent '{}'", preview(&payload))
                        }
                        Mode::Routing | Mode::Topic => {
                            println!(" [x] Sent '{}' (routing key {key})", preview(&payload))
                        }
                    }
                }
                if args.confirm {
                    in_flight.push_back((i, k, confirm));
                    if in_flight.len() >= CONFIRM_WINDOW
                        && let Some((i, k, confirm)) = in_flight.pop_front()
                    {
                        summary.settle(confirm.await, || body(&args.message, i, &keys[k], None));
                    }
                }
            }
            if !args.interval.is_zero() && i + 1 < args.count {
                tokio::time::sleep(args.interval).await;
            }
        }
        for (i, k, confirm) in in_flight {
            summary.settle(confirm.await, || body(&args.message, i, &keys[k], None));
        }
        // ANCHOR_END: produce_loop
        let closed = self.close().await;
        if args.confirm || failure.is_some() {
            println!(" [.] {summary}");
        }
        if let Some(err) = failure {
            return Err(err.context(format!(
                "stopped after {} of {} messages",
                summary.sent,
                args.count * keys.len() as u64
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
        Ok(summary)
    }

    /// The whole consumer side: subscribe, receive until done, close. Returns the count.
    pub async fn receive(
        &self,
        binding_keys: &[String],
        options: &ConsumeOptions,
    ) -> anyhow::Result<u64> {
        let consumer = self.subscribe(binding_keys, options).await?;
        println!(" [*] Waiting for messages. To exit press CTRL+C");
        let received = self
            .consume(consumer, options, crate::shutdown::signal())
            .await?;
        self.close().await?;
        log::info!("received {received} message(s)");
        Ok(received)
    }

    // ANCHOR: consume_loop
    /// Receives until `--max-messages`, `--idle-timeout` or Ctrl+C, printing each message.
    /// Returns how many messages were received.
    pub async fn consume(
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
                acks.send(delivery.acker).await?;
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

/// Acks on their way to the broker.
///
/// Awaiting each ack before taking the next message would cost a hop through lapin's I/O
/// thread per message (a consumer alone with prefetch 100 went from about 11k to 24k msg/s on
/// the bench machine without it). So each ack is sent from its own task, still after the
/// message's work, and only the oldest is awaited once ACK_WINDOW are on their way. Errors are
/// still checked, every one.
#[derive(Debug)]
struct Acks {
    in_flight: VecDeque<tokio::task::JoinHandle<lapin::Result<bool>>>,
    /// lapin is reconnecting by itself (a consumer made with [`RabbitMQ::recovering`]).
    recover: bool,
}

impl Acks {
    fn new(recover: bool) -> Self {
        Self {
            in_flight: VecDeque::new(),
            recover,
        }
    }

    async fn send(&mut self, acker: lapin::Acker) -> anyhow::Result<()> {
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
    async fn finish(&mut self) -> anyhow::Result<()> {
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

const ACK_WINDOW: usize = 1024;
const CONFIRM_WINDOW: usize = 1024;
const RECOVERY_TIMEOUT: Duration = Duration::from_secs(60);

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

/// Flags every RabbitMQ consumer takes.
#[derive(clap::Args, Debug, Clone)]
pub struct ConsumerArgs {
    /// Exit after receiving this many messages.
    #[arg(long, value_name = "N")]
    pub max_messages: Option<u64>,
    /// Exit when no message has arrived for this long (e.g. 5s, 500ms).
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub idle_timeout: Option<Duration>,
    /// How many unacknowledged messages the broker may push to this consumer at once.
    #[arg(long, default_value_t = 100, value_parser = clap::value_parser!(u16).range(1..))]
    pub prefetch: u16,
    /// Don't print each message (for benchmarks).
    #[arg(long)]
    pub quiet: bool,
}

/// Flags every RabbitMQ producer takes. The per-mode defaults (how many, how often, what text)
/// are set by each binary with [`ProducerDefaults`].
#[derive(clap::Args, Debug, Clone)]
pub struct ProducerArgs {
    /// How many messages to send (per routing key).
    #[arg(long, value_name = "N")]
    pub count: u64,
    /// Pause between messages (e.g. 2s, 500ms, 0).
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub interval: Duration,
    /// Message text: {i} is replaced by the message number, {key} by the routing key.
    #[arg(long, value_name = "TEMPLATE")]
    pub message: String,
    /// Pad each message with '.' to this many bytes.
    #[arg(long, value_name = "BYTES")]
    pub size: Option<usize>,
    /// Wait for publisher confirms and report every message the broker did not confirm.
    #[arg(long)]
    pub confirm: bool,
    /// Durable queue and persistent messages: they survive a broker restart.
    #[arg(long)]
    pub persistent: bool,
    /// Don't print each message (for benchmarks).
    #[arg(long)]
    pub quiet: bool,
}

/// The tutorial's defaults for one mode's producer, shown by `--help`.
#[derive(Debug, Clone, Copy)]
pub struct ProducerDefaults {
    pub count: &'static str,
    pub interval: &'static str,
    pub message: &'static str,
}

impl ProducerDefaults {
    /// Sets the defaults on the flags that [`ProducerArgs`] defines.
    pub fn apply(self, command: clap::Command) -> clap::Command {
        command
            .mut_arg("count", |a| a.default_value(self.count).required(false))
            .mut_arg("interval", |a| {
                a.default_value(self.interval).required(false)
            })
            .mut_arg("message", |a| a.default_value(self.message).required(false))
    }
}

/// What a producer run achieved.
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
    fn settle(&mut self, confirmation: lapin::Result<Confirmation>, body: impl Fn() -> Vec<u8>) {
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
            Err(err) => {
                self.unconfirmed += 1;
                println!(" [!] Not confirmed ({err}): '{}'", preview(&body()));
            }
        }
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
