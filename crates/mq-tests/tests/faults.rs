//! Faults: kill a demo binary or restart a broker in the middle of a run, then count message
//! ids to prove what survived. The answer must always be "nothing lost".
//!
//! These tests restart the brokers that every other test uses, so they are not part of the
//! parallel `cargo test --workspace` run (`test = false` in Cargo.toml). `just test-faults` runs
//! them one at a time, and `just test` runs `just test-faults` after the other tests:
//!
//! ```text
//! cargo test -p mq-tests --test faults -- --test-threads=1 --nocapture
//! ```
//!
//! Each test prints one `fault N:` line with how many messages were in flight and how many
//! were lost.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use mq_tests::{
    Proc, delete_queue, rabbit_args, require_kafka, require_rabbitmq, restart_broker, run, unique,
};

const WAIT: Duration = Duration::from_secs(90);

/// The numbers of `m<i>` bodies.
fn ids<'a>(bodies: impl IntoIterator<Item = &'a String>) -> BTreeSet<u64> {
    bodies
        .into_iter()
        .filter_map(|b| b.strip_prefix('m')?.parse().ok())
        .collect()
}

/// Reads a durable simple-mode queue to the end (3 s without a message).
fn drain(queue: &str) -> Vec<String> {
    let out = run(
        "rabbit-simple-consumer",
        &["--queue", queue, "--idle-timeout", "3s"],
    );
    assert!(out.success(), "{out:?}");
    out.bodies()
}

/// 1. A worker is SIGKILLed in the middle of a 1,000-task run (manual ack, prefetch 1): the
///    other worker receives every task the dead one had not acknowledged.
#[test]
fn fault_1_killed_worker_loses_nothing() {
    require_rabbitmq();
    const TASKS: u64 = 1000;
    let queue = unique("fault1");
    let mut victim = Proc::spawn(
        "rabbit-worker-consumer",
        &["--queue", &queue, "--work", "10ms"],
    );
    let survivor = Proc::spawn(
        "rabbit-worker-consumer",
        &["--queue", &queue, "--work", "2ms", "--idle-timeout", "3s"],
    );
    victim.wait_ready();
    survivor.wait_ready();
    let producer = run(
        "rabbit-worker-producer",
        &[
            "--queue",
            &queue,
            "--count",
            &TASKS.to_string(),
            "--message",
            "m{i}",
        ],
    );
    assert!(producer.success(), "{producer:?}");
    victim.wait_for("Received", 50, WAIT);
    victim.kill();
    let victim = victim.finish(WAIT).bodies();
    let survivor = survivor.finish(WAIT).bodies();
    let seen: BTreeSet<u64> = ids(victim.iter().chain(&survivor));
    let lost = TASKS - seen.len() as u64;
    // The victim's last printed task may not have been acked yet: that one is in flight.
    let twice = ids(&victim).intersection(&ids(&survivor)).count();
    println!(
        "fault 1: worker SIGKILLed after {} of {TASKS} tasks; in flight (unacked, redelivered) {twice}; lost {lost}",
        victim.len()
    );
    assert_eq!(lost, 0, "lost tasks");
    assert!(twice <= 1, "{twice} tasks twice; prefetch 1 allows one");
}

/// 2. RabbitMQ is restarted under a `--persistent --confirm` producer: every message is either
///    confirmed or reported as not confirmed, the exit code says so, and after the restart a
///    consumer finds every confirmed message.
#[test]
fn fault_2_rabbitmq_restart_under_confirming_producer() {
    require_rabbitmq();
    let queue = unique("fault2");
    let producer = Proc::spawn(
        "rabbit-simple-producer",
        &[
            "--queue",
            &queue,
            "--persistent",
            "--confirm",
            "--count",
            "100000",
            "--interval",
            "1ms",
            "--message",
            "m{i}",
        ],
    );
    producer.wait_for("Sent", 300, WAIT);
    let took = restart_broker("rabbitmq");
    let out = producer.finish(WAIT);
    assert!(
        !out.success(),
        "the producer should fail when the broker goes away: {out:?}"
    );
    assert!(
        out.stderr.contains("error:") && !out.stderr.contains("panicked"),
        "{}",
        out.stderr
    );
    let sent: Vec<&str> = out
        .stdout
        .iter()
        .filter_map(|l| l.strip_prefix(" [x] Sent '")?.strip_suffix('\''))
        .collect();
    let not_confirmed: BTreeSet<&str> = out
        .stdout
        .iter()
        .filter(|l| l.starts_with(" [!] Not confirmed") || l.starts_with(" [!] Nacked"))
        .filter_map(|l| l.strip_suffix('\'')?.rsplit_once(": '").map(|(_, b)| b))
        .collect();
    let summary = out
        .stdout
        .iter()
        .find_map(|l| l.strip_prefix(" [.] "))
        .unwrap_or_else(|| panic!("no summary line: {out:?}"));
    let numbers: Vec<u64> = summary
        .split(", ")
        .map(|part| {
            let n = part.rsplit_once(' ').expect("`<what> <n>`").1;
            n.parse().expect("a count")
        })
        .collect();
    let [s_sent, confirmed, nacked, unconfirmed, _returned] = numbers[..] else {
        panic!("unexpected summary: {summary}");
    };
    assert_eq!(
        s_sent,
        sent.len() as u64,
        "summary vs Sent lines: {summary}"
    );
    assert_eq!(
        s_sent,
        confirmed + nacked + unconfirmed,
        "every sent message is confirmed, nacked or reported unconfirmed: {summary}"
    );
    assert_eq!(
        not_confirmed.len() as u64,
        nacked + unconfirmed,
        "each unconfirmed message is named"
    );

    let received = drain(&queue);
    delete_queue(&rabbit_args(), &queue); // durable: it would outlive the test
    let received: BTreeSet<&str> = received.iter().map(String::as_str).collect();
    let confirmed_bodies: Vec<&str> = sent
        .iter()
        .copied()
        .filter(|b| !not_confirmed.contains(b))
        .collect();
    let lost = confirmed_bodies
        .iter()
        .filter(|b| !received.contains(*b))
        .count();
    println!(
        "fault 2: RabbitMQ restarted ({took:.1?}) under a --persistent --confirm producer: sent {s_sent}, confirmed {confirmed}, reported unconfirmed {}; received after restart {}; confirmed lost {lost}",
        nacked + unconfirmed,
        received.len()
    );
    assert_eq!(lost, 0, "confirmed messages lost");
    assert!(
        received.iter().all(|b| sent.contains(b)),
        "received a message that was never sent"
    );
}

/// 3. RabbitMQ is restarted under a running worker that holds an unacknowledged message:
///    lapin's auto-recovery reconnects, the unacked message comes again (redelivered), and
///    messages published after the restart arrive too. The consumer says what happened.
#[test]
fn fault_3_rabbitmq_restart_under_consumer() {
    require_rabbitmq();
    let queue = unique("fault3");
    let produce = |template: &str, count: &str| {
        let out = run(
            "rabbit-worker-producer",
            &[
                "--queue",
                &queue,
                "--persistent",
                "--confirm",
                "--count",
                count,
                "--message",
                template,
            ],
        );
        assert!(out.success(), "{out:?}");
    };
    produce("m{i}", "10");
    // Slow work: the restart lands while a message is in hand and not yet acked.
    let consumer = Proc::spawn(
        "rabbit-worker-consumer",
        &["--queue", &queue, "--work", "700ms", "--idle-timeout", "5s"],
    );
    consumer.wait_for("Received", 2, WAIT);
    let took = restart_broker("rabbitmq");
    produce("m1{i}000", "5"); // m10000, m11000, … m14000, after the restart
    let out = consumer.finish(WAIT);
    delete_queue(&rabbit_args(), &queue); // durable: it would outlive the test
    assert!(out.success(), "{out:?}");
    assert!(
        out.stderr.contains("lost the connection") && out.stderr.contains("reconnected"),
        "the consumer should say it lost and regained the connection: {}",
        out.stderr
    );
    let got = out.bodies();
    let seen = ids(&got);
    let expected: BTreeSet<u64> = (0..10).chain((0..5).map(|i| 10_000 + i * 1000)).collect();
    let lost = expected.difference(&seen).count();
    let redelivered = out
        .stdout
        .iter()
        .filter(|l| l.ends_with("(redelivered)"))
        .count();
    println!(
        "fault 3: RabbitMQ restarted ({took:.1?}) under a worker: 15 messages, {redelivered} redelivered after recovery, received {} distinct; lost {lost}",
        seen.len()
    );
    assert_eq!(lost, 0, "lost: {:?}", expected.difference(&seen));
    assert_eq!(seen, expected, "received a message that was never sent");
}

/// 4. Kafka is restarted under an `--acks all` producer: the producer sends again what the
///    restart refused (or reports the send it could not make), and every offset the broker
///    acknowledged is readable afterwards with the message that was sent.
#[test]
fn fault_4_kafka_restart_under_acks_all_producer() {
    require_kafka();
    let topic = unique("fault4");
    let producer = Proc::spawn(
        "kafka-producer",
        &[
            "--topic",
            &topic,
            "--acks",
            "all",
            "--count",
            "20000",
            "--interval",
            "2ms",
            "--message",
            "m{i}",
        ],
    );
    producer.wait_for("offset:", 200, WAIT);
    let took = restart_broker("kafka");
    let out = producer.finish(WAIT);
    // One `pid:P offset:O` line per acknowledged message, in the order sent: line i is m<i>.
    let acknowledged: BTreeMap<(i32, i64), String> = out
        .stdout
        .iter()
        .filter_map(|l| {
            let (p, o) = l.strip_prefix("pid:")?.split_once(" offset:")?;
            Some((p.parse().ok()?, o.parse().ok()?))
        })
        .enumerate()
        .map(|(i, at)| (at, format!("m{i}")))
        .collect();
    if out.success() {
        assert_eq!(acknowledged.len(), 20000, "{out:?}");
    } else {
        assert!(
            out.stderr.contains("error:")
                && out
                    .stderr
                    .contains(&format!("acknowledged so far: {}", acknowledged.len()))
                && !out.stderr.contains("panicked"),
            "the failed send should be reported with the count acknowledged: {}",
            out.stderr
        );
    }
    let read = run(
        "kafka-consumer",
        &[
            "--topic",
            &topic,
            "--from-beginning",
            "--idle-timeout",
            "5s",
        ],
    );
    assert!(read.success(), "{read:?}");
    let stored: BTreeMap<(i32, i64), String> = read
        .kafka_messages()
        .into_iter()
        .map(|(p, o, _, v)| ((p, o), v))
        .collect();
    let lost: Vec<_> = acknowledged
        .iter()
        .filter(|(at, value)| stored.get(at) != Some(value))
        .collect();
    println!(
        "fault 4: Kafka restarted ({took:.1?}) under an --acks all producer: acknowledged {}, producer exit code {}; readable afterwards {}; acknowledged lost {}",
        acknowledged.len(),
        out.status.code().unwrap_or(-1),
        stored.len(),
        lost.len()
    );
    assert!(lost.is_empty(), "acknowledged but not readable: {lost:?}");
}

/// 5. A group consumer is SIGKILLed and restarted: it resumes from the committed offset, so
///    nothing is lost and only the last uncommitted fetch can be seen twice.
#[test]
fn fault_5_killed_group_consumer_resumes_from_committed_offset() {
    require_kafka();
    let topic = unique("fault5");
    let group = unique("g");
    let first = run("kafka-producer", &["--topic", &topic, "--message", "m1000"]);
    assert!(first.success(), "{first:?}");
    let args = [
        "--topic",
        topic.as_str(),
        "--group",
        group.as_str(),
        "--from-beginning",
    ];
    let producer = Proc::spawn(
        "kafka-producer",
        &[
            "--topic",
            &topic,
            "--count",
            "60",
            "--interval",
            "50ms",
            "--message",
            "m{i}",
        ],
    );
    let mut victim = Proc::spawn("kafka-consumer", &args);
    victim.wait_for("Value:m", 15, WAIT);
    victim.kill();
    let first = victim.finish(WAIT).kafka_messages();
    assert!(producer.finish(WAIT).success());
    let mut restart = args.to_vec();
    restart.extend(["--idle-timeout", "3s"]);
    let second = run("kafka-consumer", &restart);
    assert!(second.success(), "{second:?}");
    let second = second.kafka_messages();
    let seen: BTreeSet<&String> = first.iter().chain(&second).map(|m| &m.3).collect();
    let lost = 61 - seen.len();
    let twice: Vec<_> = first.iter().filter(|m| second.contains(m)).collect();
    println!(
        "fault 5: group consumer SIGKILLed after {} of 61 messages; read again after restart (uncommitted) {}; lost {lost}",
        first.len(),
        twice.len()
    );
    assert_eq!(lost, 0, "first run {first:?}, second {second:?}");
    // The consumer commits after each fetch; at 20 messages/s a fetch holds one or two.
    assert!(
        twice.len() <= 3,
        "{} messages seen twice: {twice:?}",
        twice.len()
    );
    assert!(
        second.len() < 61 - 10,
        "the restart read from the beginning instead of resuming"
    );
}

/// 6. The class board across `just restart rabbitmq`: lapin reconnects, the stream is read
///    again from its start, and each result is still counted once; a check after the restart
///    arrives too.
#[test]
fn fault_6_class_board_survives_a_rabbitmq_restart() {
    require_rabbitmq();
    let student = unique("f6").replace('-', "");
    let class = mq_tests::class::Class::setup(&[&student]);
    let (board, port) = class.board();
    let first = class.check(&student, true).finish(WAIT);
    assert!(
        first
            .stdout
            .iter()
            .any(|l| l == "Result sent to the class board."),
        "{first:?}"
    );
    board.wait_for("✘1", 1, WAIT);
    let took = restart_broker("rabbitmq");
    let second = class.check(&student, true).finish(WAIT);
    assert!(
        second
            .stdout
            .iter()
            .any(|l| l == "Result sent to the class board."),
        "{second:?}"
    );
    board.wait_for("✘2", 1, WAIT);
    // Read twice (before and after the reconnection), counted once: two checks, not three.
    let state = mq_tests::class::get(port, "/state");
    assert!(state.contains("\"✘2\""), "{state}");
    assert!(
        !board.lines().iter().any(|l| l.contains("✘3")),
        "{:?}",
        board.lines()
    );
    println!(
        "fault 6: RabbitMQ restarted ({took:.1?}) under the class board: 2 checks, shown as ✘2"
    );
    let mut board = board;
    board.kill();
}

/// Whether something accepts connections on 127.0.0.1:`port`.
fn listening(port: u16) -> bool {
    std::net::TcpStream::connect(("127.0.0.1", port)).is_ok()
}

/// A recipe of the justfile, run as a learner would (no stdin), to its end.
fn just(recipe: &str) -> (bool, String) {
    let out = std::process::Command::new("just")
        .arg(recipe)
        .current_dir(mq_tests::repo_root())
        .stdin(std::process::Stdio::null())
        .output()
        .expect("run just (the recipes run the tests, so it is installed)");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

/// 7. After a reboot, a pid file may name anyone's process. With Kafka stopped, its pid file is
///    pointed at an unrelated `sleep`, and `just down` runs: the `sleep` survives, the stale
///    pid file is removed with a note, and every broker is stopped. Then `just up` (and the
///    RabbitMQ 4 and Kafka 3.9 that ran before) brings them back.
#[test]
fn fault_7_just_down_never_stops_a_process_it_did_not_start() {
    require_rabbitmq();
    require_kafka();
    let root = mq_tests::repo_root();
    let ports = mq_tests::settings_file("docker/brokers.env");
    let port = |name: &str| -> u16 { ports[name].parse().expect("a port") };
    let (kafka3, rabbitmq4) = (
        listening(port("KAFKA3_PORT")),
        listening(port("RABBITMQ4_AMQP_PORT")),
    );
    let stopped = std::process::Command::new(root.join("scripts/kafka-native.sh"))
        .arg("stop")
        .stdin(std::process::Stdio::null())
        .output()
        .expect("stop Kafka");
    assert!(stopped.status.success(), "{stopped:?}");
    let pid_file = std::process::Command::new("bash")
        .args(["-c", ". scripts/lib.sh && echo \"$KAFKA_PID_FILE\""])
        .current_dir(&root)
        .output()
        .expect("where the Kafka pid file is");
    let pid_file = String::from_utf8_lossy(&pid_file.stdout).trim().to_owned();
    let mut sleep = std::process::Command::new("sleep")
        .arg("600")
        .spawn()
        .expect("an unrelated process");
    std::fs::write(&pid_file, format!("{}\n", sleep.id())).expect("point the pid file at it");

    let (downed, said) = just("down");
    let alive = sleep.try_wait().expect("the sleep's status").is_none();
    let removed = !std::path::Path::new(&pid_file).exists();
    let _ = sleep.kill();
    let _ = sleep.wait();
    let (upped, up_said) = just("up");
    if kafka3 {
        assert!(just("up-kafka3").0, "Kafka 3.9 did not start again");
    }
    if rabbitmq4 {
        assert!(just("up-rabbitmq4").0, "RabbitMQ 4 did not start again");
    }
    assert!(downed, "just down failed: {said}");
    assert!(
        alive,
        "just down stopped a process it did not start: {said}"
    );
    assert!(removed, "the stale pid file is still there: {said}");
    assert!(
        said.contains(
            "which is another program now: leaving it alone, removing the stale pid file"
        ),
        "{said}"
    );
    assert!(upped, "just up failed: {up_said}");
    println!(
        "fault 7: just down with {pid_file} naming an unrelated sleep: the sleep survived, the stale file was removed"
    );
}
