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
        value_name = "HOST:PORT",
        value_parser = parse_broker
    )]
    pub kafka_brokers: Vec<String>,
}

/// An AMQP URL (`amqp://USER:PASSWORD@HOST:PORT/VHOST`) cut where the tools rewrite it: the
/// lab points the same user, password and vhost at each node of its cluster, and the class
/// board points the teacher's user at the board's vhost.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AmqpUrl<'a> {
    scheme: &'a str,
    /// `USER:PASSWORD@`, or empty.
    userinfo: &'a str,
    /// `HOST:PORT`.
    address: &'a str,
    /// `/VHOST`, or empty.
    path: &'a str,
}

impl<'a> AmqpUrl<'a> {
    /// Cuts `url`; an error names the form expected.
    pub fn parse(url: &'a str) -> Result<Self, String> {
        let (scheme, rest) = url
            .split_once("://")
            .ok_or("AMQP_URL is not a URL (amqp://USER:PASSWORD@HOST:PORT/VHOST)")?;
        let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
        // The last '@' ends the user info (a password may hold an '@' of its own).
        let (userinfo, address) = match authority.rfind('@') {
            Some(at) => authority.split_at(at + 1),
            None => ("", authority),
        };
        Ok(Self {
            scheme,
            userinfo,
            address,
            path,
        })
    }

    /// The same user, password and vhost at another `HOST:PORT`.
    pub fn at(&self, address: &str) -> String {
        format!("{}://{}{address}{}", self.scheme, self.userinfo, self.path)
    }

    /// The same user, password and address, on another vhost.
    pub fn on_vhost(&self, vhost: &str) -> String {
        format!(
            "{}://{}{}/{vhost}",
            self.scheme, self.userinfo, self.address
        )
    }
}

/// Parses `500ms`, `2s`, `1.5s`, `1m`, `1h`, `1d`, or a bare number of seconds.
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
        "h" => value * 3600.0,
        "d" => value * 86400.0,
        _ => {
            return Err(format!(
                "unknown unit '{unit}' in '{s}'; use ms, s, m, h or d"
            ));
        }
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

/// One Kafka bootstrap address, `HOST:PORT`, checked before any connection attempt.
pub(crate) fn parse_broker(s: &str) -> Result<String, String> {
    let (host, port) = s
        .rsplit_once(':')
        .ok_or_else(|| format!("'{s}' is not HOST:PORT, e.g. 127.0.0.1:9092"))?;
    if host.is_empty() {
        return Err(format!(
            "'{s}' has no host; write HOST:PORT, e.g. 127.0.0.1:9092"
        ));
    }
    match port.parse::<u16>() {
        Ok(1..) => Ok(s.to_owned()),
        _ => Err(format!("'{port}' is not a port (1-65535) in '{s}'")),
    }
}

/// A queue or exchange name for `--queue` / `--exchange`.
///
/// The broker would refuse these too, but as ACCESS_REFUSED, which reads like a permission
/// problem: the empty name is the default exchange, and `amq.` names are reserved.
pub fn parse_amqp_name(s: &str) -> Result<String, String> {
    if s.is_empty() {
        return Err("the name is empty; give a name such as ziyiSimple".to_owned());
    }
    if s.starts_with("amq.") {
        return Err(format!(
            "'{s}' starts with 'amq.', which RabbitMQ reserves for its own queues and exchanges"
        ));
    }
    parse_routing_key(s).map_err(|_| format!("the name is {} bytes long; at most 255", s.len()))
}

/// A Kafka topic name: 1 to 249 of `a-z A-Z 0-9 . _ -`, and not `.` or `..` (Kafka's rule; a
/// bad name would otherwise only show as a topic that never gets a leader).
pub fn parse_topic(s: &str) -> Result<String, String> {
    let legal = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-');
    if s.is_empty() || s.len() > 249 || s == "." || s == ".." || !s.chars().all(legal) {
        return Err(format!(
            "'{s}' is not a Kafka topic name: use 1 to 249 of a-z, A-Z, 0-9, '.', '_' and '-'"
        ));
    }
    Ok(s.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The lab's node URLs and the board's vhost keep the user and password, an '@' in the
    /// password included.
    #[test]
    fn an_amqp_url_moves_to_another_node_or_vhost() {
        let url = AmqpUrl::parse("amqp://ziyi:p@ss@127.0.0.1:5672/ziyi").expect("a URL");
        assert_eq!(
            url.at("127.0.0.1:5681"),
            "amqp://ziyi:p@ss@127.0.0.1:5681/ziyi"
        );
        assert_eq!(
            url.on_vhost("class-board"),
            "amqp://ziyi:p@ss@127.0.0.1:5672/class-board"
        );
        let bare = AmqpUrl::parse("amqp://localhost").expect("a URL");
        assert_eq!(bare.at("h:1"), "amqp://h:1");
        assert_eq!(bare.on_vhost("v"), "amqp://localhost/v");
        assert!(AmqpUrl::parse("localhost:5672").is_err());
    }

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
        assert_eq!(parse_duration("2h"), Ok(Duration::from_secs(7200)));
        assert_eq!(parse_duration("1d"), Ok(Duration::from_secs(86_400)));
        assert!(parse_duration("3w").is_err());
    }

    #[test]
    fn names() {
        assert_eq!(
            parse_broker("127.0.0.1:9092"),
            Ok("127.0.0.1:9092".to_owned())
        );
        assert!(parse_broker("localhost:9092").is_ok());
        for bad in ["nohostport", ":9092", "127.0.0.1:99999", "127.0.0.1:0", ""] {
            assert!(parse_broker(bad).is_err(), "{bad}");
        }
        assert!(parse_amqp_name("ziyiSimple").is_ok());
        for bad in ["", "amq.gen-x", &"q".repeat(256)] {
            assert!(parse_amqp_name(bad).is_err(), "{bad}");
        }
        assert!(parse_topic("web_log").is_ok());
        assert!(parse_topic("a.b-c_1").is_ok());
        for bad in ["", ".", "..", "bad/name", "中文", &"t".repeat(250)] {
            assert!(parse_topic(bad).is_err(), "{bad}");
        }
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
