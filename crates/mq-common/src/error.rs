//! The errors a learner can cause, each one worded to say what happened and what to do.
//!
//! Messages never contain a password: URLs are shown through [`redact`].

use thiserror::Error;

/// What can go wrong before a single message moves.
#[derive(Debug, Error)]
pub enum Error {
    #[error(
        "AMQP_URL is not set: run `just up` (it writes .env) or pass --amqp-url amqp://USER:PASSWORD@127.0.0.1:5672/VHOST"
    )]
    AmqpUrlMissing,

    #[error("invalid AMQP URL {url}: {reason} (expected amqp://USER:PASSWORD@HOST:PORT/VHOST)")]
    InvalidAmqpUrl { url: String, reason: String },

    #[error("cannot reach RabbitMQ at {url} ({reason}); start the brokers with `just up`")]
    RabbitUnreachable { url: String, reason: String },

    #[error(
        "RabbitMQ at {url} refused the login of user '{user}' (ACCESS_REFUSED): wrong user name or password; check AMQP_URL in .env"
    )]
    AccessRefused { url: String, user: String },

    #[error(
        "RabbitMQ at {url} refused user '{user}' on vhost '{vhost}': the vhost does not exist or the user has no permission on it (broker said: {reason})"
    )]
    VhostRefused {
        url: String,
        user: String,
        vhost: String,
        reason: String,
    },

    #[error("RabbitMQ at {url}: {source}")]
    Rabbit {
        url: String,
        #[source]
        source: lapin::Error,
    },

    #[error("cannot reach Kafka at {brokers} ({reason}); start the brokers with `just up`")]
    KafkaUnreachable { brokers: String, reason: String },

    #[error(
        "the Kafka broker at {brokers} answers, but it is too old for rustfs-kafka, which needs Kafka 0.11 or newer (record batches v2); `just up` runs Kafka 4.4, `just up-kafka3` Kafka 3.9"
    )]
    KafkaTooOld { brokers: String },

    #[error(
        "--size {size} is over {setting}, {limit} bytes ({mib}), {where_set}: send a smaller body"
    )]
    MessageTooLarge {
        size: usize,
        limit: usize,
        mib: String,
        setting: &'static str,
        where_set: String,
    },

    #[error(
        "nothing listens for the stream protocol on {address} ({reason}): the Streams chapter runs on RabbitMQ 4, whose rabbitmq_stream plugin listens there; start it with `just up-rabbitmq4` (`just rabbit-stream` does), or pass --stream-port"
    )]
    StreamUnreachable { address: String, reason: String },

    #[error(
        "the broker at {address} closed the stream connection as soon as the client spoke: RabbitMQ older than 3.13 does (the stream client needs 3.13 or newer); run this chapter on RabbitMQ 4: `just up-rabbitmq4` (`just rabbit-stream` does)"
    )]
    StreamBrokerTooOld { address: String },

    #[error("RabbitMQ Streams at {address}: {reason}")]
    Stream { address: String, reason: String },

    #[cfg(feature = "kafka")]
    #[error("Kafka at {brokers}: {source}")]
    Kafka {
        brokers: String,
        #[source]
        source: rustfs_kafka::Error,
    },
}

/// `amqp://user:secret@host/vhost` → `amqp://user:***@host/vhost`: safe to print and log.
pub(crate) fn redact(url: &str) -> String {
    let Some(scheme_end) = url.find("://").map(|i| i + 3) else {
        return url.to_owned();
    };
    let rest = &url[scheme_end..];
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    // The last '@' of the authority ends the user info (a password may itself contain '@').
    let Some(at) = rest[..authority_end].rfind('@') else {
        return url.to_owned();
    };
    match rest[..at].find(':') {
        Some(colon) => format!(
            "{}{}:***{}",
            &url[..scheme_end],
            &rest[..colon],
            &rest[at..]
        ),
        None => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn redacts_the_password_only() {
        assert_eq!(
            redact("amqp://ziyi:s3cret@127.0.0.1:5672/ziyi"),
            "amqp://ziyi:***@127.0.0.1:5672/ziyi"
        );
        assert_eq!(redact("amqp://a:p@ss@host"), "amqp://a:***@host");
        assert_eq!(redact("amqp://host:5672/v"), "amqp://host:5672/v");
        assert_eq!(redact("amqp://user@host/v"), "amqp://user@host/v");
        assert_eq!(redact("not a url"), "not a url");
    }
}
