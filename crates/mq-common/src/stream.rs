//! RabbitMQ Streams over the stream protocol (`rabbitmq-stream-client`): where to connect, and
//! what goes wrong put in words a learner can act on.
//!
//! The stream protocol has a port of its own (5552 by default; 5553 here, RabbitMQ 4's, see
//! `docker/brokers.env`). The user, password, host and vhost are AMQP_URL's: one `.env` serves
//! both protocols.

use std::time::Duration;

use lapin::uri::AMQPUri;
use rabbitmq_stream_client::Environment;
use rabbitmq_stream_client::error::{ClientError, StreamCreateError};
use rabbitmq_stream_client::types::{ByteCapacity, ResponseCode};

use crate::config::RabbitArgs;
use crate::error::Error;

/// The stream protocol's port, beside AMQP_URL.
#[derive(clap::Args, Debug, Clone)]
pub struct StreamArgs {
    /// The broker's stream port (RabbitMQ 4's, from `just up-rabbitmq4`); the user, password,
    /// host and vhost are AMQP_URL's.
    #[arg(
        long,
        env = "RABBITMQ_STREAM_PORT",
        default_value_t = 5553,
        value_name = "PORT"
    )]
    pub stream_port: u16,
}

// ANCHOR: connect
/// The stream client's environment: one connection to the broker, from which producers and
/// consumers are made. A closed port and a broker too old for the client each get one line.
pub async fn connect(rabbit: &RabbitArgs, stream: &StreamArgs) -> Result<Environment, Error> {
    let url = rabbit.amqp_url.as_deref().ok_or(Error::AmqpUrlMissing)?;
    let uri: AMQPUri = url.parse().map_err(|reason| Error::InvalidAmqpUrl {
        url: crate::error::redact(url),
        reason,
    })?;
    let host = uri.authority.host.clone();
    let address = format!("{host}:{}", stream.stream_port);
    // A closed port fails at once here; the client would retry it.
    let probe = tokio::net::TcpStream::connect((host.as_str(), stream.stream_port));
    match tokio::time::timeout(Duration::from_secs(5), probe).await {
        Ok(Ok(_)) => {}
        Ok(Err(err)) => {
            return Err(Error::StreamUnreachable {
                address,
                reason: err.to_string(),
            });
        }
        Err(_) => {
            return Err(Error::StreamUnreachable {
                address,
                reason: "no answer within 5 s".to_owned(),
            });
        }
    }
    Environment::builder()
        .host(&host)
        .port(stream.stream_port)
        .username(&uri.authority.userinfo.username)
        .password(&uri.authority.userinfo.password)
        .virtual_host(&uri.vhost)
        .build()
        .await
        .map_err(|err| match err {
            ClientError::ConnectionClosed => Error::StreamBrokerTooOld { address },
            other => Error::Stream {
                address,
                reason: other.to_string(),
            },
        })
}
// ANCHOR_END: connect

// ANCHOR: declare
/// Declares `stream` (the producer and the consumer both do, so either may start first), with
/// a retention: messages older than `max_age` go. A stream deletes whole segments, and never
/// the one it is writing, so the segments are kept to 1 MB: with the default of 500 MB, a
/// tutorial's stream would never lose a message. A stream that exists is used as it is, with
/// the settings it has.
pub async fn declare(
    environment: &Environment,
    stream: &str,
    max_age: Duration,
) -> Result<(), Error> {
    let created = environment
        .stream_creator()
        .max_age(max_age)
        .max_segment_size(ByteCapacity::MB(1))
        .create(stream)
        .await;
    declared(created, &format!("stream '{stream}'"))
}
// ANCHOR_END: declare

/// The outcome of declaring `what`: created, or there already, with these settings or with
/// others (PreconditionFailed: declared by another program, over AMQP for one); else the
/// broker's reason.
fn declared(created: Result<(), StreamCreateError>, what: &str) -> Result<(), Error> {
    match created {
        Ok(())
        | Err(StreamCreateError::Create {
            status: ResponseCode::StreamAlreadyExists | ResponseCode::PreconditionFailed,
            ..
        }) => Ok(()),
        Err(err) => Err(Error::Stream {
            address: what.to_owned(),
            reason: format!("declaring it: {err}"),
        }),
    }
}

// ANCHOR: declare_super
/// Declares the super stream `super_stream` of `partitions` partitions, if it is missing: the
/// streams `super_stream-0`, `-1`, … and a direct exchange `super_stream` that routes to each
/// by its binding key (`0`, `1`, …). Each partition is a stream with the same retention as
/// [`declare`]'s.
pub async fn declare_super(
    environment: &Environment,
    super_stream: &str,
    partitions: usize,
    max_age: Duration,
) -> Result<(), Error> {
    let created = environment
        .stream_creator()
        .max_age(max_age)
        .max_segment_size(ByteCapacity::MB(1))
        .create_super_stream(super_stream, partitions, None)
        .await;
    declared(created, &format!("super stream '{super_stream}'"))
}
// ANCHOR_END: declare_super
