//! One source of broker settings: `docker/compose.yaml` (the Docker path) and the native
//! scripts (the path this machine runs) take their versions, ports and broker settings from
//! the same files, `docker/brokers.env`, `docker/kafka.env` and `docker/rabbitmq.conf`.
//!
//! No Docker engine runs here, so the compose file is parsed and its values compared; the
//! native side is checked on the running brokers and on the files the scripts wrote for them.

// Test support: a file that cannot be read or parsed should stop the test with its message.
#![allow(clippy::expect_used, clippy::panic)]

use std::collections::HashMap;
use std::process::Command;

use mq_tests::{repo_root, require_kafka, require_rabbitmq, settings_file};
use serde_norway::Value;

fn compose() -> Value {
    let text = std::fs::read_to_string(repo_root().join("docker/compose.yaml"))
        .expect("read docker/compose.yaml");
    serde_norway::from_str(&text).expect("docker/compose.yaml is valid YAML")
}

/// `${NAME}` and `${NAME:?message}` replaced by their values, as `docker compose` does.
fn interpolate(text: &str, values: &HashMap<String, String>) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        out.push_str(&rest[..start]);
        let end = rest[start..].find('}').expect("unclosed ${") + start;
        let name = rest[start + 2..end].split([':', '-']).next().unwrap_or("");
        let value = values
            .get(name)
            .unwrap_or_else(|| panic!("compose uses ${{{name}}}, which no settings file sets"));
        out.push_str(value);
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    out
}

/// The values compose sees: docker/brokers.env and the .env that `just up` writes.
fn compose_values() -> HashMap<String, String> {
    let mut values = settings_file("docker/brokers.env");
    values.extend(settings_file(".env.example"));
    values
}

fn service<'a>(compose: &'a Value, name: &str) -> &'a Value {
    &compose["services"][name]
}

fn strings(value: &Value) -> Vec<String> {
    value
        .as_sequence()
        .map(|items| {
            items
                .iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// What scripts/lib.sh derives (paths of the native setup), so the test does not repeat it.
fn lib_sh(names: &[&str]) -> Vec<String> {
    let script = format!(
        ". scripts/lib.sh; printf '%s\\n' {}",
        names
            .iter()
            .map(|n| format!("\"${n}\""))
            .collect::<Vec<_>>()
            .join(" ")
    );
    let out = Command::new("bash")
        .args(["-c", &script])
        .current_dir(repo_root())
        .output()
        .expect("run bash");
    assert!(out.status.success(), "{out:?}");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_owned)
        .collect()
}

/// Compose runs the versions and publishes the ports of docker/brokers.env, on loopback.
#[test]
fn compose_uses_the_shared_versions_and_ports() {
    let compose = compose();
    let values = compose_values();
    let brokers = settings_file("docker/brokers.env");
    let image = |name: &str| {
        interpolate(
            service(&compose, name)["image"].as_str().expect("image"),
            &values,
        )
    };
    assert_eq!(
        image("rabbitmq"),
        format!("rabbitmq:{}-management", brokers["RABBITMQ_VERSION"])
    );
    assert_eq!(
        image("kafka"),
        format!("apache/kafka:{}", brokers["KAFKA_VERSION"])
    );
    let ports = |name: &str| -> Vec<String> {
        strings(&service(&compose, name)["ports"])
            .iter()
            .map(|p| interpolate(p, &values))
            .collect()
    };
    assert_eq!(
        ports("rabbitmq"),
        vec![
            format!("127.0.0.1:{}:5672", brokers["AMQP_PORT"]),
            format!("127.0.0.1:{}:15672", brokers["RABBITMQ_MANAGEMENT_PORT"]),
        ]
    );
    assert_eq!(
        ports("kafka"),
        vec![format!("127.0.0.1:{}:9092", brokers["KAFKA_PORT"])]
    );
    // RabbitMQ 4, in its own profile: the version and ports the native RabbitMQ 4 runs.
    assert_eq!(
        image("rabbitmq4"),
        format!("rabbitmq:{}-management", brokers["RABBITMQ4_VERSION"])
    );
    assert_eq!(
        strings(&service(&compose, "rabbitmq4")["profiles"]),
        ["rabbitmq4"]
    );
    assert_eq!(
        ports("rabbitmq4"),
        vec![
            format!("127.0.0.1:{}:5672", brokers["RABBITMQ4_AMQP_PORT"]),
            format!("127.0.0.1:{}:15672", brokers["RABBITMQ4_MANAGEMENT_PORT"]),
            format!(
                "127.0.0.1:{port}:{port}",
                port = brokers["RABBITMQ4_STREAM_PORT"]
            ),
        ]
    );
    // Its stream listener is on that port and advertised there (the native node writes the
    // same three settings in scripts/rabbitmq4.sh).
    let stream = settings_file("docker/rabbitmq4-stream.conf");
    let port = &brokers["RABBITMQ4_STREAM_PORT"];
    assert_eq!(&stream["stream.listeners.tcp.1"], port);
    assert_eq!(&stream["stream.advertised_port"], port);
    assert_eq!(stream["stream.advertised_host"], "127.0.0.1");
    // The clients' defaults point at the same ports.
    let example = settings_file(".env.example");
    assert!(
        example["AMQP_URL"].contains(&format!("@127.0.0.1:{}/", brokers["AMQP_PORT"])),
        "{}",
        example["AMQP_URL"]
    );
    assert_eq!(
        example["KAFKA_BROKERS"],
        format!("127.0.0.1:{}", brokers["KAFKA_PORT"])
    );
}

/// Compose takes the broker settings from the files the native scripts use, and sets nothing
/// of its own but the container's addresses.
#[test]
fn compose_uses_the_shared_broker_settings() {
    let compose = compose();
    let kafka = service(&compose, "kafka");
    assert_eq!(kafka["env_file"].as_str(), Some("kafka.env"));
    let own: Vec<&str> = kafka["environment"]
        .as_mapping()
        .expect("kafka environment")
        .keys()
        .filter_map(Value::as_str)
        .collect();
    assert_eq!(
        own,
        [
            "KAFKA_LISTENERS",
            "KAFKA_ADVERTISED_LISTENERS",
            "KAFKA_CONTROLLER_QUORUM_VOTERS"
        ],
        "a broker setting in compose.yaml would drift from docker/kafka.env: put it there"
    );
    let kafka_env = settings_file("docker/kafka.env");
    assert!(
        kafka_env
            .keys()
            .all(|k| k.starts_with("KAFKA_") && !own.contains(&k.as_str())),
        "{kafka_env:?}"
    );
    let rabbit = strings(&service(&compose, "rabbitmq")["volumes"]);
    assert!(
        rabbit
            .iter()
            .any(|v| v.starts_with("./rabbitmq.conf:/etc/rabbitmq/conf.d/")),
        "{rabbit:?}"
    );
    // RabbitMQ 4 reads the same file, then RabbitMQ 4.3's denials, in that order, then its
    // stream listener; its plugins add rabbitmq_stream.
    let rabbit4 = strings(&service(&compose, "rabbitmq4")["volumes"]);
    let conf_d: Vec<&str> = rabbit4
        .iter()
        .filter_map(|v| v.split_once(":/etc/rabbitmq/conf.d/"))
        .map(|(file, _)| file)
        .collect();
    assert_eq!(
        conf_d,
        [
            "./rabbitmq.conf",
            "./rabbitmq4.conf",
            "./rabbitmq4-stream.conf"
        ],
        "{rabbit4:?}"
    );
    let plugins = std::fs::read_to_string(mq_tests::repo_root().join("docker/rabbitmq4-plugins"))
        .expect("docker/rabbitmq4-plugins");
    assert!(plugins.contains("rabbitmq_stream"), "{plugins}");
}

/// docker/rabbitmq4.conf denies each deprecated feature that RabbitMQ 4.3.0 moved to
/// "denied by default" (its release notes), and the native RabbitMQ 4 runs with it.
#[test]
fn rabbitmq4_denies_what_4_3_denies() {
    let denied = settings_file("docker/rabbitmq4.conf");
    for feature in [
        "transient_nonexcl_queues",
        "global_qos",
        "queue_master_locator",
        "amqp_address_v1",
        "amqp_filter_set_bug",
    ] {
        assert_eq!(
            denied
                .get(&format!("deprecated_features.permit.{feature}"))
                .map(String::as_str),
            Some("false"),
            "{feature}"
        );
    }
    let brokers = settings_file("docker/brokers.env");
    mq_tests::require(
        "RabbitMQ 4",
        brokers["RABBITMQ4_AMQP_PORT"].parse().expect("port"),
    );
    let [home] = lib_sh(&["MQ_HOME"]).try_into().expect("one path");
    let native =
        std::fs::read_to_string(format!("{home}/rabbitmq4/root/etc/rabbitmq/rabbitmq.conf"))
            .expect("RabbitMQ 4's rabbitmq.conf: run: just up-rabbitmq4");
    for file in ["docker/rabbitmq.conf", "docker/rabbitmq4.conf"] {
        let shared = std::fs::read_to_string(repo_root().join(file)).expect(file);
        assert!(
            native.contains(shared.trim()),
            "RabbitMQ 4's rabbitmq.conf lacks {file}"
        );
    }
    let status = Command::new(repo_root().join("scripts/rabbitmq4.sh"))
        .arg("status")
        .output()
        .expect("scripts/rabbitmq4.sh status");
    let status = String::from_utf8_lossy(&status.stdout);
    assert!(
        status.contains(&format!(
            "RabbitMQ {}: running",
            brokers["RABBITMQ4_VERSION"]
        )),
        "{status}"
    );
}

/// The native Kafka runs the version of docker/brokers.env with every setting of
/// docker/kafka.env, and the native RabbitMQ with docker/rabbitmq.conf.
#[test]
fn the_native_brokers_use_the_shared_settings() {
    require_kafka();
    require_rabbitmq();
    let brokers = settings_file("docker/brokers.env");
    let [conf, pid_file, libs] = lib_sh(&["KAFKA_CONF", "KAFKA_PID_FILE", "KAFKA_LIBS"])
        .try_into()
        .expect("three paths");
    // The running broker's classpath is the jar folder of this version.
    let pid = std::fs::read_to_string(&pid_file).expect("Kafka's pid file: run: just up");
    let cmdline = std::fs::read(format!("/proc/{}/cmdline", pid.trim()))
        .expect("the Kafka process: run: just up");
    let cmdline = String::from_utf8_lossy(&cmdline);
    assert!(
        cmdline.contains(&format!("{libs}/*")) && libs.contains(&brokers["KAFKA_VERSION"]),
        "{libs} vs {cmdline}"
    );
    assert!(
        std::path::Path::new(&libs)
            .join(format!("kafka_2.13-{}.jar", brokers["KAFKA_VERSION"]))
            .exists()
    );
    // Every setting of docker/kafka.env, as a property of the native server.properties.
    let properties: HashMap<String, String> =
        std::fs::read_to_string(format!("{conf}/server.properties"))
            .expect("server.properties")
            .lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|l| l.split_once('='))
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect();
    for (key, value) in settings_file("docker/kafka.env") {
        let property = key["KAFKA_".len()..].to_lowercase().replace('_', ".");
        assert_eq!(
            properties.get(&property),
            Some(&value),
            "{property} (from {key})"
        );
    }
    assert_eq!(
        properties["listeners"],
        format!(
            "PLAINTEXT://127.0.0.1:{},CONTROLLER://127.0.0.1:{}",
            brokers["KAFKA_PORT"], brokers["KAFKA_CONTROLLER_PORT"]
        )
    );
    // RabbitMQ: its version, as the running node reports it, and its config file.
    let status = Command::new(repo_root().join("scripts/status.sh"))
        .output()
        .expect("scripts/status.sh");
    let status = String::from_utf8_lossy(&status.stdout);
    assert!(
        status.contains(&format!(
            "RabbitMQ {}: running",
            brokers["RABBITMQ_VERSION"]
        )),
        "{status}"
    );
    let native = std::fs::read_to_string("/etc/rabbitmq/rabbitmq.conf").expect("rabbitmq.conf");
    let shared = std::fs::read_to_string(repo_root().join("docker/rabbitmq.conf"))
        .expect("docker/rabbitmq.conf");
    assert!(
        native.contains(shared.trim()),
        "/etc/rabbitmq/rabbitmq.conf lacks docker/rabbitmq.conf"
    );
}

/// The replication lab's clusters: compose's profile `cluster` publishes the ports of
/// docker/brokers.env, takes docker/kafka-cluster.env and docker/rabbitmq-cluster.conf, and the
/// lab binary's defaults point at the same nodes.
#[test]
fn the_lab_clusters_use_the_shared_ports() {
    let compose = compose();
    let values = compose_values();
    let brokers = settings_file("docker/brokers.env");
    for n in 1..=3 {
        let kafka = service(&compose, &format!("kafka{n}"));
        assert_eq!(strings(&kafka["profiles"]), ["cluster"]);
        assert_eq!(kafka["env_file"].as_str(), Some("kafka-cluster.env"));
        let port = &brokers[&format!("CLUSTER_KAFKA_PORT_{n}")];
        let ports: Vec<String> = strings(&kafka["ports"])
            .iter()
            .map(|p| interpolate(p, &values))
            .collect();
        assert_eq!(ports, [format!("127.0.0.1:{port}:{port}")]);
        let rabbit = service(&compose, &format!("rc{n}"));
        assert_eq!(strings(&rabbit["profiles"]), ["cluster"]);
        let ports: Vec<String> = strings(&rabbit["ports"])
            .iter()
            .map(|p| interpolate(p, &values))
            .collect();
        assert_eq!(
            ports,
            [format!(
                "127.0.0.1:{}:5672",
                brokers[&format!("CLUSTER_AMQP_PORT_{n}")]
            )]
        );
        assert!(
            strings(&rabbit["volumes"])
                .iter()
                .any(|v| v.starts_with("./rabbitmq-cluster.conf:")),
            "rc{n} does not mount rabbitmq-cluster.conf"
        );
    }
    // `lab --help` shows its defaults: the same nodes.
    let defaults = |subcommand: &str, port: &str| {
        let help = std::process::Command::new(mq_tests::bin("lab"))
            .args([subcommand, "--help"])
            .output()
            .expect("lab --help");
        let help = String::from_utf8_lossy(&help.stdout).into_owned();
        let nodes = (1..=3)
            .map(|n| format!("127.0.0.1:{}", brokers[&format!("{port}{n}")]))
            .collect::<Vec<_>>()
            .join(",");
        assert!(
            help.contains(&nodes),
            "lab's defaults are not {nodes}: {help}"
        );
    };
    defaults("kafka-leader", "CLUSTER_KAFKA_PORT_");
    defaults("rabbit-check", "CLUSTER_AMQP_PORT_");
}
