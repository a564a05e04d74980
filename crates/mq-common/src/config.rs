//! The flags every binary shares, and parsers that turn a bad value into a clear clap error.
//!
//! Each binary embeds these with `#[command(flatten)]`, so `--amqp-url` means the same thing
//! everywhere and reads the same environment variable.

use std::time::Duration;

use clap::Args;

/// Where a RabbitMQ demo connects.
#[derive(Args, Debug, Clone)]
pub struct RabbitArgs {
    /// RabbitMQ URL: amqp://USER:PASSWORD@HOST:PORT/VHOST. `just up` writes it to .env.
    // hide_env_values: `--help` must not print the password it found in the environment.
    #[arg(long, env = "AMQP_URL", hide_env_values = true, value_name = "URL")]
    pub amqp_url: Option<String>,
}

/// Where a Kafka demo connects.
#[derive(Args, Debug, Clone)]
pub struct KafkaArgs {
    /// Kafka bootstrap brokers, comma-separated HOST:PORT.
    #[arg(
        long,
        env = "KAFKA_BROKERS",
        default_value = "127.0.0.1:9092",
        value_delimiter = ',',
        value_name = "HOST:PORT"
    )]
    pub kafka_brokers: Vec<String>,
}

/// Parses `500ms`, `2s`, `1.5s`, `1m`, or a bare number of seconds.
pub fn parse_duration(s: &str) -> Result<Duration, String> {
    let s = s.trim();
    let (number, unit) = match s.find(|c: char| c.is_ascii_alphabetic()) {
        Some(at) => s.split_at(at),
        None => (s, "s"),
    };
    let value: f64 = number
        .parse()
        .map_err(|_| format!("'{s}' is not a duration; try 500ms, 2s or 1m"))?;
    let seconds = match unit {
        "ms" => value / 1000.0,
        "s" => value,
        "m" => value * 60.0,
        _ => return Err(format!("unknown unit '{unit}' in '{s}'; use ms, s or m")),
    };
    Duration::try_from_secs_f64(seconds).map_err(|_| format!("'{s}' must be zero or more"))
}

/// An AMQP routing or binding key: a short string of at most 255 bytes on the wire.
pub fn parse_routing_key(s: &str) -> Result<String, String> {
    if s.len() > 255 {
        return Err(format!(
            "the key is {} bytes long; AMQP routing keys are at most 255 bytes",
            s.len()
        ));
    }
    Ok(s.to_owned())
}

/// A binding key for `--binding-key`: a routing key that is not empty.
///
/// An empty binding key is legal AMQP, but it only matches messages published with an empty
/// routing key: almost always a typo such as `--binding-key $UNSET_VARIABLE`.
pub fn parse_binding_key(s: &str) -> Result<String, String> {
    if s.is_empty() {
        return Err(
            "the binding key is empty; it would only match an empty routing key. \
             Give a word such as imooc_one, or a pattern such as '#' or 'imooc.*.three'"
                .to_owned(),
        );
    }
    parse_routing_key(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("2s"), Ok(Duration::from_secs(2)));
        assert_eq!(parse_duration("2"), Ok(Duration::from_secs(2)));
        assert_eq!(parse_duration("250ms"), Ok(Duration::from_millis(250)));
        assert_eq!(parse_duration("1.5s"), Ok(Duration::from_millis(1500)));
        assert_eq!(parse_duration("1m"), Ok(Duration::from_secs(60)));
        assert_eq!(parse_duration("0"), Ok(Duration::ZERO));
        assert!(parse_duration("-1s").is_err());
        assert!(parse_duration("soon").is_err());
        assert!(parse_duration("3h").is_err());
    }

    #[test]
    fn keys() {
        assert!(parse_routing_key(&"a".repeat(255)).is_ok());
        assert!(parse_routing_key(&"a".repeat(256)).is_err());
        assert!(parse_binding_key("").is_err());
        assert_eq!(
            parse_binding_key("imooc.*.three"),
            Ok("imooc.*.three".to_owned())
        );
    }
}
