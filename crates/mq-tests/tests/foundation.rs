//! The foundation: both brokers answer, and the errors a learner meets first are clear.

use mq_tests::{TestQueue, require_kafka, require_rabbitmq, run, run_with_env, setting, unique};

/// RabbitMQ stores a message in a queue and hands it back to a consumer.
#[test]
fn rabbitmq_round_trip() {
    require_rabbitmq();
    let queue = TestQueue::new("roundtrip");
    let sent = run(
        "rabbit-simple-producer",
        &["--queue", &queue, "--count", "1", "--message", "ping {i}"],
    );
    assert!(sent.success(), "{sent:?}");
    let got = run(
        "rabbit-simple-consumer",
        &[
            "--queue",
            &queue,
            "--max-messages",
            "1",
            "--idle-timeout",
            "5s",
        ],
    );
    assert!(got.success(), "{got:?}");
    assert_eq!(
        got.received(),
        vec![("ping 0".to_owned(), queue.to_string())]
    );
}

/// Kafka auto-creates a topic on first produce, and the message can be fetched back.
#[test]
fn kafka_round_trip() {
    require_kafka();
    let topic = unique("roundtrip");
    let sent = run("kafka-producer", &["--topic", &topic, "--message", "ping"]);
    assert!(sent.success(), "{sent:?}");
    assert!(
        sent.stdout
            .iter()
            .any(|l| l.starts_with("pid:") && l.ends_with("offset:0")),
        "{sent:?}"
    );
    let got = run(
        "kafka-consumer",
        &[
            "--topic",
            &topic,
            "--from-beginning",
            "--max-messages",
            "1",
            "--idle-timeout",
            "10s",
        ],
    );
    assert!(got.success(), "{got:?}");
    let messages = got.kafka_messages();
    assert_eq!(messages.len(), 1, "{got:?}");
    assert_eq!((messages[0].1, messages[0].3.as_str()), (0, "ping"));
}

/// A wrong password is reported as such (ACCESS_REFUSED), without a panic, within 10 s.
#[test]
fn wrong_password_is_named() {
    require_rabbitmq();
    let url = format!(
        "amqp://{}:not-the-password@127.0.0.1:5672/{}",
        setting("RABBITMQ_USER"),
        setting("RABBITMQ_VHOST")
    );
    let out = run_with_env(
        "rabbit-simple-producer",
        &["--count", "1"],
        &[("AMQP_URL", &url)],
    );
    out.assert_clean_failure("ACCESS_REFUSED");
    assert!(
        out.stderr.contains("wrong user name or password"),
        "{}",
        out.stderr
    );
    assert!(
        !out.stderr.contains("not-the-password"),
        "the password leaked: {}",
        out.stderr
    );
}

/// A closed port says to start the brokers with `just up`, for both clients.
#[test]
fn closed_port_says_just_up() {
    let url = "amqp://someone:secret@127.0.0.1:1/ziyi";
    let out = run_with_env(
        "rabbit-simple-consumer",
        &["--max-messages", "1"],
        &[("AMQP_URL", url)],
    );
    out.assert_clean_failure("just up");
    assert!(
        out.stderr.contains("amqp://someone:***@127.0.0.1:1/ziyi"),
        "{}",
        out.stderr
    );
    let out = run("kafka-producer", &["--kafka-brokers", "127.0.0.1:1"]);
    out.assert_clean_failure("just up");
    // The chapters that call lapin in their binary connect through the same code.
    for bin in ["rabbit-rpc-server", "rabbit-rpc-client", "rabbit-confirms"] {
        let out = run_with_env(bin, &[], &[("AMQP_URL", url)]);
        out.assert_clean_failure("just up");
    }
}

/// The tutorial user cannot open the default vhost `/`: it has permissions on its own only.
#[test]
fn tutorial_user_is_confined_to_its_vhost() {
    require_rabbitmq();
    let url = format!(
        "amqp://{}:{}@127.0.0.1:5672/%2f",
        setting("RABBITMQ_USER"),
        setting("RABBITMQ_PASSWORD")
    );
    let out = run_with_env(
        "rabbit-simple-producer",
        &["--count", "1"],
        &[("AMQP_URL", &url)],
    );
    out.assert_clean_failure("refused user");
    let out = run_with_env(
        "rabbit-simple-producer",
        &["--count", "1"],
        &[("AMQP_URL", &url.replace("%2f", "no-such-vhost"))],
    );
    out.assert_clean_failure("vhost 'no-such-vhost'");
}

/// A malformed URL is rejected before any connection attempt.
#[test]
fn malformed_url_is_rejected() {
    let out = run_with_env(
        "rabbit-simple-producer",
        &[],
        &[("AMQP_URL", "amqp//nohost")],
    );
    out.assert_clean_failure("invalid AMQP URL");
}

/// No password appears in any output, even at `RUST_LOG=trace`, on success, on failure, or in
/// `--help` (which would otherwise show the value of AMQP_URL).
#[test]
fn password_never_printed() {
    require_rabbitmq();
    let password = setting("RABBITMQ_PASSWORD");
    let good = format!(
        "amqp://{}:{password}@127.0.0.1:5672/{}",
        setting("RABBITMQ_USER"),
        setting("RABBITMQ_VHOST")
    );
    let queue = TestQueue::new("trace");
    let trace = [("RUST_LOG", "trace"), ("AMQP_URL", good.as_str())];
    let runs = [
        run_with_env(
            "rabbit-simple-producer",
            &["--queue", &queue, "--count", "1", "--confirm"],
            &trace,
        ),
        run_with_env(
            "rabbit-simple-consumer",
            &["--queue", &queue, "--max-messages", "1"],
            &trace,
        ),
        run_with_env("rabbit-simple-consumer", &["--help"], &trace),
        run_with_env(
            "rabbit-simple-consumer",
            &["--queue", &queue, "--max-messages", "1"],
            &[
                ("RUST_LOG", "trace"),
                ("AMQP_URL", &good.replace("5672/", "5672/no-such-vhost")),
            ],
        ),
    ];
    for out in runs {
        let all = format!("{}\n{}", out.stdout.join("\n"), out.stderr);
        assert!(all.len() > 100, "expected some output: {all}");
        assert!(!all.contains(&password), "the password leaked: {all}");
    }
}
