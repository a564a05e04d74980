//! The broker a scenario needs: started in the background, while its binaries build, when its
//! port does not answer (`scripts/up.sh`, or `scripts/rabbitmq4.sh start` for streams).

use std::fs::File;
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use anyhow::{Context, bail};
use mq_run::{repo_root, settings_file, stop};

use crate::say;
use crate::scenarios::Broker;

/// A port of the brokers: the environment's value, else docker/brokers.env's (as the scripts
/// read them: the environment wins).
pub fn port(name: &str) -> anyhow::Result<u16> {
    let value = match std::env::var(name) {
        Ok(value) => value,
        Err(_) => settings_file("docker/brokers.env")?
            .get(name)
            .cloned()
            .with_context(|| format!("{name} is missing from docker/brokers.env"))?,
    };
    value
        .parse()
        .with_context(|| format!("{name}={value} is not a port number"))
}

/// Does something accept connections on 127.0.0.1:`port`?
pub fn answers(port: u16) -> bool {
    TcpStream::connect_timeout(&([127, 0, 0, 1], port).into(), Duration::from_secs(1)).is_ok()
}

/// A broker being started in the background, its output going to a log file.
#[derive(Debug)]
pub struct Starting {
    child: Child,
    log: PathBuf,
    what: &'static str,
}

/// The script, its arguments and its name for what it starts.
fn script(
    broker: Broker,
) -> (
    &'static str,
    &'static [&'static str],
    &'static str,
    &'static str,
) {
    match broker {
        Broker::RabbitMq => ("scripts/up.sh", &[], "AMQP_PORT", "the brokers (just up"),
        Broker::Kafka => (
            "scripts/up.sh",
            &["kafka"],
            "KAFKA_PORT",
            "Kafka (just up kafka",
        ),
        Broker::RabbitMq4Streams => (
            "scripts/rabbitmq4.sh",
            &["start"],
            "RABBITMQ4_STREAM_PORT",
            "RabbitMQ 4 (just up-rabbitmq4",
        ),
    }
}

/// Starts `broker` in the background unless its port answers.
pub fn start_unless_up(broker: Broker) -> anyhow::Result<Option<Starting>> {
    let (path, args, port_name, what) = script(broker);
    if answers(port(port_name)?) {
        return Ok(None);
    }
    start(path, args, what).map(Some)
}

/// Starts a broker script in the background, its output in a log file.
pub fn start(path: &str, args: &[&str], what: &'static str) -> anyhow::Result<Starting> {
    let log = std::env::temp_dir().join(format!(
        "mq-run-{}-{}.log",
        std::process::id(),
        args.join("-")
    ));
    say::step(&format!(
        "Starting {what} in the background; its output: {})",
        log.display()
    ));
    let file = File::create(&log).with_context(|| format!("create {}", log.display()))?;
    let child = stop::spawn_group(
        Command::new(repo_root()?.join(path))
            .args(args)
            .stdin(Stdio::null())
            .stdout(file.try_clone()?)
            .stderr(file),
    )?;
    Ok(Starting { child, log, what })
}

impl Starting {
    /// Waits for the script; on failure, prints its output.
    pub fn wait(mut self) -> anyhow::Result<String> {
        let status = stop::wait(&mut self.child)?;
        let output = std::fs::read_to_string(&self.log).unwrap_or_default();
        let _ = std::fs::remove_file(&self.log);
        if !status.success() {
            eprint!("{output}");
            bail!(
                "{} failed (above)",
                self.what.split_once(" (").map_or(self.what, |(w, _)| w)
            );
        }
        Ok(output)
    }
}
