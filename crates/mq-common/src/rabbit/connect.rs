//! Connecting to RabbitMQ, and turning what goes wrong into errors that say what to do.

use std::time::Duration;

use lapin::protocol::{AMQPErrorKind, AMQPHardError, AMQPSoftError};
use lapin::uri::AMQPUri;
use lapin::{Connection, ConnectionProperties, ErrorKind};

use crate::config::RabbitArgs;
use crate::error::{Error, redact};

/// Opens one connection to RabbitMQ, turning the failures a learner meets into clear errors.
pub(crate) async fn connect(
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

/// Adds a hint to the channel errors a learner can cause with flags, after what was being done
/// (the helper's own calls use this; a chapter's calls add `.context(...)`, and [`describe`]
/// adds the hint when the program exits).
pub(crate) fn explain(err: lapin::Error, doing: String) -> anyhow::Error {
    // lapin's error already includes the broker's reply text; its `source()` would repeat it.
    anyhow::anyhow!("{doing}: {err}{}", hint(&err))
}

/// An error as one line for a learner: what was being done, what went wrong, and, for a
/// RabbitMQ error a learner can cause, what to do about it. `cli::exit` prints it.
pub fn describe(err: &anyhow::Error) -> String {
    let mut line = String::new();
    let mut hint_of = "";
    for cause in err.chain() {
        if !line.is_empty() {
            line.push_str(": ");
        }
        line.push_str(&cause.to_string());
        if let Some(lapin) = cause.downcast_ref::<lapin::Error>() {
            // lapin's error already includes the broker's reply text: its sources repeat it.
            hint_of = hint(lapin);
            break;
        }
    }
    line.push_str(hint_of);
    line
}

/// What to do about a RabbitMQ error that a learner can cause, in parentheses, or "".
fn hint(err: &lapin::Error) -> &'static str {
    match err.kind() {
        ErrorKind::ProtocolError(amqp) => match amqp.kind() {
            AMQPErrorKind::Soft(AMQPSoftError::PRECONDITIONFAILED)
                if amqp
                    .get_message()
                    .as_str()
                    .contains("inequivalent arg 'durable'") =>
            {
                " (a queue's durability is fixed when it is created, and this one was created \
                 non-durable, by an older version of this tutorial or by the Go code: delete it \
                 in the management UI or with `rabbitmqctl delete_queue -p VHOST NAME`, or use \
                 another --queue name)"
            }
            // RabbitMQ 4.3 denies deprecated features by default: a non-durable, non-exclusive
            // queue, a global prefetch.
            AMQPErrorKind::Hard(AMQPHardError::INTERNALERROR)
                if amqp.get_message().as_str().contains("is deprecated") =>
            {
                " (this broker denies a deprecated feature, as RabbitMQ 4.3 and later do by \
                 default: declare queues durable or exclusive, and set the prefetch per consumer)"
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
    }
}
