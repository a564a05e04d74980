//! Bad input and a bad environment: one clear line, a non-zero exit within 10 s, no panic.
//! Also: message bodies that are not text, and where the brokers listen.

use std::time::Duration;

use mq_tests::{TestQueue, require_kafka, require_rabbitmq, run, setting, settings_file, unique};

/// Every kind of invalid flag value, on the binaries that take it. clap refuses each one
/// before anything connects (exit code 2); the rest are checked against the broker (exit 1).
#[test]
fn every_invalid_flag_value_is_refused_clearly() {
    let long_key = "k".repeat(256);
    let cases: &[(&str, &[&str], &str)] = &[
        ("rabbit-simple-producer", &["--count", "abc"], "--count"),
        ("rabbit-simple-producer", &["--count", "-1"], "'-1'"),
        (
            "rabbit-simple-producer",
            &["--interval", "5x"],
            "unknown unit",
        ),
        ("rabbit-simple-producer", &["--size", "big"], "--size"),
        ("rabbit-simple-producer", &["--queue", ""], "name is empty"),
        (
            "rabbit-simple-producer",
            &["--queue", "amq.mine"],
            "reserves",
        ),
        (
            "rabbit-simple-consumer",
            &["--idle-timeout", "soon"],
            "not a duration",
        ),
        (
            "rabbit-simple-consumer",
            &["--max-messages", "x"],
            "--max-messages",
        ),
        ("rabbit-worker-consumer", &["--prefetch", "0"], "--prefetch"),
        ("rabbit-worker-consumer", &["--work", "abc"], "--work"),
        (
            "rabbit-pubsub-producer",
            &["--exchange", ""],
            "name is empty",
        ),
        (
            "rabbit-routing-producer",
            &["--key", &long_key],
            "255 bytes",
        ),
        (
            "rabbit-routing-consumer",
            &["--binding-key", ""],
            "binding key is empty",
        ),
        (
            "rabbit-topic-consumer",
            &["--binding-key", &long_key],
            "255 bytes",
        ),
        (
            "rabbit-topic-producer",
            &["--exchange", "amq.topic"],
            "reserves",
        ),
        ("rabbit-rpc-server", &["--queue", ""], "name is empty"),
        ("rabbit-rpc-client", &["--n", "abc"], "--n"),
        ("rabbit-rpc-client", &["--timeout", "5x"], "unknown unit"),
        ("rabbit-confirms", &["--strategy", "fast"], "--strategy"),
        ("rabbit-confirms", &["--batch-size", "0"], "--batch-size"),
        ("kafka-producer", &["--acks", "7"], "--acks"),
        ("kafka-producer", &["--batch", "0"], "--batch"),
        ("kafka-producer", &["--partition", "abc"], "--partition"),
        (
            "kafka-producer",
            &["--key", "k", "--partition", "1"],
            "cannot be used with",
        ),
        (
            "kafka-producer",
            &["--topic", "bad/name"],
            "not a Kafka topic name",
        ),
        (
            "kafka-producer",
            &["--kafka-brokers", "nohostport"],
            "HOST:PORT",
        ),
        (
            "kafka-producer",
            &["--kafka-brokers", "127.0.0.1:99999"],
            "not a port",
        ),
        ("kafka-consumer", &["--topic", ""], "not a Kafka topic name"),
        ("kafka-consumer", &["--member", "3/2"], "--member"),
        ("kafka-consumer", &["--member", "x"], "--member"),
        (
            "kafka-consumer",
            &["--fetch-max-bytes", "0"],
            "--fetch-max-bytes",
        ),
        (
            "kafka-consumer",
            &["--idle-timeout", "1parsec"],
            "unknown unit",
        ),
        ("kafka-consumer", &["--no-such-flag"], "unexpected argument"),
    ];
    for (bin, args, needle) in cases {
        let out = run(bin, args);
        out.assert_clean_failure(needle);
        assert_eq!(
            out.status.code(),
            Some(2),
            "{bin} {args:?}: a bad flag is a usage error (exit 2): {}",
            out.stderr
        );
    }
}

/// Values that parse but that the broker refuses: one line each, exit 1.
#[test]
fn values_the_broker_refuses_are_explained() {
    require_kafka();
    // The topic exists with 3 partitions (`just up` sets num.partitions=3).
    let topic = unique("parts");
    assert!(run("kafka-producer", &["--topic", &topic]).success());
    let out = run("kafka-producer", &["--topic", &topic, "--partition", "99"]);
    out.assert_clean_failure("has no partition 99");
    assert_eq!(out.status.code(), Some(1));
}

/// Raw bytes that are not UTF-8, with a terminal escape sequence: both consumers print them
/// as safe text (� for bad bytes, `\u{1b}` for ESC), never raw.
#[test]
fn non_utf8_payloads_print_safely() {
    require_rabbitmq();
    require_kafka();
    const PAYLOAD: &[u8] = b"bad \xff\xfe bytes \x1b[2J end";
    const SHOWN: &str = "bad \u{fffd}\u{fffd} bytes \\u{1b}[2J end";

    let queue = TestQueue::new("binary");
    let runtime = tokio::runtime::Runtime::new().expect("tokio runtime");
    runtime.block_on(async {
        use lapin::options::{BasicPublishOptions, QueueDeclareOptions};
        let connection = lapin::Connection::connect(
            &setting("AMQP_URL"),
            lapin::ConnectionProperties::default(),
        )
        .await
        .expect("connect");
        let channel = connection.create_channel().await.expect("channel");
        channel
            .queue_declare(
                queue.as_str().into(),
                // Durable, as the simple chapter declares it.
                QueueDeclareOptions {
                    durable: true,
                    ..QueueDeclareOptions::default()
                },
                Default::default(),
            )
            .await
            .expect("declare");
        channel
            .basic_publish(
                "".into(),
                queue.as_str().into(),
                BasicPublishOptions::default(),
                PAYLOAD,
                Default::default(),
            )
            .await
            .expect("publish");
        connection.close(200, "bye".into()).await.expect("close");
    });
    let out = run(
        "rabbit-simple-consumer",
        &["--queue", &queue, "--max-messages", "1"],
    );
    assert!(out.success(), "{out:?}");
    assert_eq!(
        out.received(),
        vec![(SHOWN.to_owned(), queue.to_string())],
        "{out:?}"
    );

    let topic = unique("binary");
    // The demo producer creates the topic (rustfs-kafka's own producer needs it to exist).
    assert!(run("kafka-producer", &["--topic", &topic, "--message", "text"]).success());
    let mut producer = rustfs_kafka::producer::Producer::from_hosts(vec![setting("KAFKA_BROKERS")])
        .with_ack_timeout(Duration::from_secs(10))
        .with_timestamp(rustfs_kafka::client::ProducerTimestamp::CreateTime)
        .create()
        .expect("kafka producer");
    producer
        .send(&rustfs_kafka::producer::Record::from_value(&topic, PAYLOAD))
        .expect("send");
    let out = run(
        "kafka-consumer",
        &["--topic", &topic, "--from-beginning", "--max-messages", "2"],
    );
    assert!(out.success(), "{out:?}");
    let mut values: Vec<String> = out.kafka_messages().into_iter().map(|m| m.3).collect();
    values.sort();
    assert_eq!(values, vec![SHOWN.to_owned(), "text".to_owned()], "{out:?}");
}

/// In the native setup, every port of the brokers is bound to a loopback address: AMQP, the
/// management UI, Erlang's epmd and distribution ports, and Kafka's two listeners, for the
/// main brokers and for RabbitMQ 4 and Kafka 4 (`just test` starts all four).
#[test]
fn brokers_listen_on_loopback_only() {
    require_rabbitmq();
    require_kafka();
    let brokers = settings_file("docker/brokers.env");
    let port = |name: &str| -> u16 { brokers[name].parse().expect(name) };
    let rabbitmq4 = [
        port("RABBITMQ4_AMQP_PORT"),
        port("RABBITMQ4_MANAGEMENT_PORT"),
        port("RABBITMQ4_DIST_PORT"),
    ];
    let mut required = vec![5672, 15672, 25672, 9092, 9093];
    required.extend(rabbitmq4);
    let mut ports = required.clone();
    ports.extend([4369, port("KAFKA3_PORT"), port("KAFKA3_CONTROLLER_PORT")]);
    let mut found = Vec::new();
    for (file, loopback) in [
        ("/proc/net/tcp", &["0100007F"][..]),
        ("/proc/net/tcp6", &["00000000000000000000000001000000"][..]),
    ] {
        let table = std::fs::read_to_string(file).expect(file);
        for line in table.lines().skip(1) {
            let fields: Vec<&str> = line.split_whitespace().collect();
            // local_address is HEXADDR:HEXPORT; state 0A is LISTEN.
            let (Some(local), Some(&"0A")) = (fields.get(1), fields.get(3)) else {
                continue;
            };
            let Some((addr, port)) = local.split_once(':') else {
                continue;
            };
            let port = u16::from_str_radix(port, 16).expect("hex port");
            if ports.contains(&port) {
                found.push((port, addr.to_owned(), loopback.contains(&addr)));
            }
        }
    }
    for port in required {
        assert!(
            found.iter().any(|f| f.0 == port),
            "nothing listens on {port}: {found:?}"
        );
    }
    let exposed: Vec<_> = found.iter().filter(|f| !f.2).collect();
    assert!(exposed.is_empty(), "listening beyond loopback: {exposed:?}");
}

/// A malformed `.env` stops every binary with one line that names the file and the line, before
/// anything connects. (A missing `.env` is fine: the flags or the environment may carry
/// everything.) It used to be ignored silently, and the binary ran without its settings.
#[test]
fn a_malformed_dotenv_is_refused_clearly() {
    let dir = std::env::temp_dir().join(unique("dotenv"));
    std::fs::create_dir_all(&dir).expect("a temporary folder");
    std::fs::write(
        dir.join(".env"),
        "RABBITMQ_USER=ziyi\nAMQP_URL='amqp://ziyi:oops@127.0.0.1:5672/ziyi\n",
    )
    .expect("writing .env");
    for name in ["rabbit-simple-producer", "kafka-producer"] {
        let out = std::process::Command::new(mq_tests::bin(name))
            .args(["--count", "1"])
            .current_dir(&dir)
            .env_remove("AMQP_URL")
            .env_remove("KAFKA_BROKERS")
            .output()
            .unwrap_or_else(|err| panic!("cannot start {name}: {err}"));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{name}: {stderr}");
        assert!(
            stderr.starts_with("error: .env cannot be read") && !stderr.contains("panicked"),
            "{name}: {stderr}"
        );
        assert_eq!(stderr.lines().count(), 1, "{name}: one line: {stderr}");
        assert!(
            stderr.contains("the line of AMQP_URL") && !stderr.contains("oops"),
            "{name}: names the variable, not its value (a password): {stderr}"
        );
    }
    // The same folder without `.env`: the binary gets as far as the missing URL.
    std::fs::remove_file(dir.join(".env")).expect("removing .env");
    let out = std::process::Command::new(mq_tests::bin("rabbit-simple-producer"))
        .args(["--count", "1"])
        .current_dir(&dir)
        .env_remove("AMQP_URL")
        .output()
        .expect("starting rabbit-simple-producer");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("AMQP_URL is not set"), "{stderr}");
    let _ = std::fs::remove_dir_all(&dir);
}
