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
    // A body over Kafka's message.max.bytes: refused at once, with the limit.
    let out = run(
        "kafka-producer",
        &["--topic", &topic, "--size", "999999999"],
    );
    one_line(
        "kafka-producer --size 999999999",
        &out,
        "is over Kafka's message.max.bytes, 1048588 bytes",
    );
    // Under it, but not with the record's headers: the broker refuses, and the line says why.
    let out = run(
        "kafka-producer",
        &["--topic", &topic, "--count", "1", "--size", "1048580"],
    );
    out.assert_clean_failure("MessageSizeTooLarge (the batch, bodies and record headers, is over the broker's message.max.bytes");
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
        port("RABBITMQ4_STREAM_PORT"),
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

/// `out` failed with one line on stderr that holds `needle`: no panic, no trace, within 10 s.
fn one_line(what: &str, out: &mq_tests::Output, needle: &str) {
    out.assert_clean_failure(needle);
    let lines: Vec<&str> = out
        .stderr
        .lines()
        .filter(|l| !l.trim().is_empty())
        .collect();
    assert_eq!(lines.len(), 1, "{what}: one line, not: {}", out.stderr);
}

/// The lab's subcommands, with the lab clusters not answering (their addresses pointed at a
/// closed port) and with bad values: one line each, and a non-zero exit, within 10 s.
#[test]
fn the_lab_refuses_bad_input_clearly() {
    let dir = std::env::temp_dir().join(unique("lab-bad"));
    std::fs::create_dir_all(&dir).expect("a scratch folder");
    let garbage = dir.join("garbage.report");
    std::fs::write(&garbage, "garbage\n").expect("a bad report file");
    let ledger = dir.join("t.ledger");
    let (ledger, garbage) = (ledger.to_string_lossy(), garbage.to_string_lossy());
    let dir_text = dir.to_string_lossy();
    let env = [
        ("LAB_KAFKA_BROKERS", "127.0.0.1:1"),
        ("LAB_RABBITMQ_NODES", "127.0.0.1:1,127.0.0.1:1,127.0.0.1:1"),
    ];
    let kafka_down = "no node of the lab's Kafka cluster answers";
    let rabbit_down = "no node of the lab's RabbitMQ cluster answers";
    let cases: &[(&[&str], &str)] = &[
        (
            &[
                "kafka-produce",
                "--topic",
                "t",
                "--acks",
                "all",
                "--ledger",
                &ledger,
            ],
            kafka_down,
        ),
        (&["kafka-wait", "--topic", "t", "--isr", "1,2"], kafka_down),
        (&["kafka-leader", "--topic", "t"], kafka_down),
        (
            &[
                "kafka-verify",
                "--topic",
                "t",
                "--ledger",
                "/nonexistent/t.ledger",
                "--run",
                "r",
            ],
            "run the producer first",
        ),
        (
            &["rabbit-produce", "--quorum", "q", "--ledger-dir", &dir_text],
            rabbit_down,
        ),
        (
            &["rabbit-consume", "--queue", "q", "--out", &ledger],
            rabbit_down,
        ),
        (&["rabbit-check", "--queue", "q"], rabbit_down),
        (
            &[
                "rabbit-verify",
                "--queue",
                "q",
                "--ledger-dir",
                "/nonexistent",
                "--run",
                "r",
            ],
            "run the producer first",
        ),
        (&["report", "/nonexistent/report"], "reading the report"),
        (&["report", &garbage], "not a report line"),
    ];
    for (args, needle) in cases {
        let out = mq_tests::run_with_env("lab", args, &env);
        one_line(&format!("lab {args:?}"), &out, needle);
        assert_eq!(out.status.code(), Some(1), "lab {args:?}: {}", out.stderr);
    }
    // Values clap refuses: a usage error (exit 2) that names the flag.
    let usage: &[(&[&str], &str)] = &[
        (&[], "Usage"),
        (
            &[
                "kafka-produce",
                "--topic",
                "t",
                "--acks",
                "2",
                "--ledger",
                "l",
            ],
            "--acks",
        ),
        (&["kafka-wait", "--topic", "t", "--isr", "a,b"], "--isr"),
        (
            &["rabbit-produce", "--ledger-dir", "d", "--first-node", "7"],
            "--first-node",
        ),
        (
            &[
                "rabbit-consume",
                "--queue",
                "q",
                "--out",
                "o",
                "--work",
                "soon",
            ],
            "--work",
        ),
    ];
    for (args, needle) in usage {
        let out = mq_tests::run_with_env("lab", args, &env);
        out.assert_clean_failure(needle);
        assert_eq!(out.status.code(), Some(2), "lab {args:?}: {}", out.stderr);
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// `watch`, `hint`, `progress` and `check` with an unknown exercise, a corrupted progress file
/// and a student name with spaces, and `quiz` with a closed stdin (and a bad name): one line
/// each, a non-zero exit, and the progress file left as it was.
#[test]
fn the_class_tools_refuse_bad_input_clearly() {
    let progress = std::env::temp_dir().join(unique("progress-bad"));
    let progress_text = progress.to_string_lossy().into_owned();
    let env = [("MQ_PROGRESS_FILE", progress_text.as_str())];
    for tool in ["watch", "hint", "check"] {
        let out = mq_tests::run_with_env(tool, &["nope"], &env);
        one_line(
            &format!("{tool} nope"),
            &out,
            "no exercise 'nope'; the exercises are: simple",
        );
    }
    std::fs::write(&progress, "{ not json").expect("a corrupted progress file");
    for (tool, args) in [
        ("watch", &["topic"][..]),
        ("hint", &["topic"]),
        ("progress", &[]),
        ("check", &["simple"]),
    ] {
        let out = mq_tests::run_with_env(tool, args, &env);
        one_line(
            &format!("{tool} {args:?}"),
            &out,
            "is not a progress file; delete it",
        );
    }
    assert_eq!(
        std::fs::read_to_string(&progress).expect("the progress file"),
        "{ not json",
        "a tool wrote over the corrupted file"
    );
    std::fs::remove_file(&progress).expect("removing the progress file");
    let spaced = [
        ("MQ_PROGRESS_FILE", progress_text.as_str()),
        ("STUDENT", "ann lee"),
    ];
    for (tool, args) in [
        ("watch", &["topic"][..]),
        ("hint", &["topic"]),
        ("progress", &[]),
        ("check", &["simple"]),
        ("quiz", &[]),
    ] {
        let out = mq_tests::run_with_env(tool, args, &spaced);
        one_line(
            &format!("{tool} {args:?}"),
            &out,
            "STUDENT='ann lee' is not a usable name",
        );
    }
    assert!(!progress.exists(), "a refused tool wrote a progress file");
    // The quiz with nothing to read its answers from (stdin closed).
    let out = mq_tests::run_with_env("quiz", &[], &env);
    one_line(
        "quiz < /dev/null",
        &out,
        "reads your answers from the terminal",
    );
}

/// The class board on a port another program holds, and on a vhost that does not exist: one
/// line each, before any banner.
#[test]
fn the_class_board_refuses_a_taken_port_and_a_bad_vhost() {
    require_rabbitmq();
    let holder = std::net::TcpListener::bind("127.0.0.1:0").expect("a port to hold");
    let port = holder.local_addr().expect("its address").port().to_string();
    let out = run("class-board", &["--port", &port]);
    one_line(
        "class-board on a taken port",
        &out,
        "is taken: give the board another port",
    );
    drop(holder);
    let free = mq_tests::class::free_port().to_string();
    let vhost = unique("no-such-vhost");
    let out = run("class-board", &["--port", &free, "--vhost", &vhost]);
    one_line(
        "class-board on a missing vhost",
        &out,
        "the vhost does not exist",
    );
    assert!(
        out.stdout.is_empty(),
        "a banner before the error: {:?}",
        out.stdout
    );
}

/// `just cluster-up` (scripts/cluster.sh up) with a port of the lab cluster held by another
/// program: one line that names the port, a non-zero exit, and nothing formatted or started.
/// The cluster's ports are its own (docker/brokers.env), so it runs beside the single-node
/// brokers, which `just test-cluster` does; a folder of its own (`MQ_HOME`) keeps this run
/// away from a real lab cluster.
#[test]
fn cluster_up_with_a_port_taken_stops_before_starting_anything() {
    let home = std::env::temp_dir().join(unique("mq-home-cluster"));
    std::fs::create_dir_all(&home).expect("a scratch MQ_HOME");
    let port = dotenvy::from_path_iter(mq_tests::repo_root().join("docker/brokers.env"))
        .expect("docker/brokers.env")
        .filter_map(Result::ok)
        .find_map(|(k, v)| (k == "CLUSTER_KAFKA_PORT_1").then_some(v))
        .expect("CLUSTER_KAFKA_PORT_1 in docker/brokers.env");
    // Held here, or by a lab cluster that runs already: either way another program's.
    let _holder = std::net::TcpListener::bind(format!("127.0.0.1:{port}"));
    let started = std::time::Instant::now();
    let out = std::process::Command::new(mq_tests::repo_root().join("scripts/cluster.sh"))
        .arg("up")
        .env("MQ_HOME", &home)
        .stdin(std::process::Stdio::null())
        .output()
        .expect("run scripts/cluster.sh up");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "took {:?}",
        started.elapsed()
    );
    let errors: Vec<&str> = stderr.lines().filter(|l| l.contains("error")).collect();
    assert_eq!(errors.len(), 1, "{stderr}");
    assert!(
        errors[0].contains(&format!(
            "something else listens on 127.0.0.1:{port}, a port of Kafka node 1"
        )),
        "{stderr}"
    );
    assert!(
        !home.join("cluster").exists(),
        "it formatted nodes before it stopped"
    );
    let _ = std::fs::remove_dir_all(&home);
}

/// Output piped into `head`, which closes the pipe after a line: the binary ends quietly, as
/// a C program killed by SIGPIPE does (status 141), not with a panic and a backtrace.
#[test]
fn a_closed_pipe_ends_a_binary_quietly() {
    require_rabbitmq();
    let queue = TestQueue::new("pipe");
    let producer = mq_tests::bin("rabbit-simple-producer");
    let script = format!(
        "set -o pipefail; {} --queue {} --count 5000 --interval 0 | head -1 >/dev/null",
        producer.display(),
        queue.as_str()
    );
    let out = std::process::Command::new("bash")
        .args(["-c", &script])
        .env("RUST_BACKTRACE", "1")
        .output()
        .expect("bash");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(stderr.trim().is_empty(), "{stderr}");
    assert_eq!(out.status.code(), Some(141), "{stderr}");
}
