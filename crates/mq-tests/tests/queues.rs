//! Every queue a chapter declares is one that RabbitMQ 4.3 accepts by default: durable, or
//! exclusive. A queue that is neither ("transient non-exclusive", the Go tutorial's
//! `QueueDeclare(name, false, false, false, false, nil)`) is refused there, while RabbitMQ 3.x
//! takes it silently. So this test reads the flags of each chapter's queues from the management
//! API while the chapter runs: on 3.10 as well, a chapter put back to such a queue fails here.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use mq_tests::{Proc, TestQueue, management_get, require_rabbitmq, run, unique, vhost_in_path};

const WAIT: Duration = Duration::from_secs(30);

/// A queue's two flags, as the management API reports them.
#[derive(Debug, Clone, PartialEq)]
struct Flags {
    durable: bool,
    exclusive: bool,
}

/// Records the vhost's queues named in `named`, and the server-named ones (`amq.gen-…`: the
/// subscribers', the RPC client's and the confirms chapter's queues, which live only as long
/// as their connection).
fn snapshot(named: &[&str], seen: &mut BTreeMap<String, Flags>) {
    let path = format!(
        "/api/queues/{}?columns=name,durable,exclusive",
        vhost_in_path()
    );
    for queue in management_get(&path).as_array().into_iter().flatten() {
        let name = queue["name"].as_str().unwrap_or_default();
        if named.contains(&name) || name.starts_with("amq.gen-") {
            let flags = Flags {
                durable: queue["durable"].as_bool().unwrap_or(false),
                exclusive: queue["exclusive"].as_bool().unwrap_or(false),
            };
            seen.insert(name.to_owned(), flags);
        }
    }
}

/// [`snapshot`] every 100 ms while any process of `running` runs (at most 30 s).
fn watch(running: &[&Proc], named: &[&str], seen: &mut BTreeMap<String, Flags>) {
    let deadline = Instant::now() + WAIT;
    while running.iter().any(|p| !p.has_exited()) && Instant::now() < deadline {
        snapshot(named, seen);
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn every_chapter_queue_is_durable_or_exclusive() {
    require_rabbitmq();
    let mut seen = BTreeMap::new();

    // Simple and worker: the named queue, declared by both sides.
    for mode in ["rabbit-simple", "rabbit-worker"] {
        let queue = TestQueue::new(&format!("flags-{mode}"));
        let consumer = Proc::spawn(
            &format!("{mode}-consumer"),
            &[
                "--queue",
                &queue,
                "--max-messages",
                "3",
                "--idle-timeout",
                "5s",
            ],
        );
        consumer.wait_ready();
        let producer = Proc::spawn(
            &format!("{mode}-producer"),
            &["--queue", &queue, "--count", "3", "--interval", "300ms"],
        );
        watch(&[&producer, &consumer], &[&queue], &mut seen);
        for proc in [producer, consumer] {
            let out = proc.finish(WAIT);
            assert!(out.success(), "{out:?}");
        }
        assert!(seen.contains_key(queue.as_str()), "{queue} never seen");
    }

    // Pub/sub, routing, topic: each consumer's own queue, bound to the exchange.
    for (mode, key) in [
        ("rabbit-pubsub", None),
        ("rabbit-routing", Some("imooc_one")),
        ("rabbit-topic", Some("#")),
    ] {
        let exchange = unique(&format!("flags-{mode}"));
        let mut args = vec!["--exchange", exchange.as_str(), "--idle-timeout", "2s"];
        if let Some(key) = key {
            args.extend(["--binding-key", key]);
        }
        let consumer = Proc::spawn(&format!("{mode}-consumer"), &args);
        consumer.wait_ready();
        let sent = run(
            &format!("{mode}-producer"),
            &["--exchange", &exchange, "--count", "1", "--interval", "0"],
        );
        assert!(sent.success(), "{sent:?}");
        let before = seen.len();
        watch(&[&consumer], &[], &mut seen);
        let out = consumer.finish(WAIT);
        assert!(out.success(), "{out:?}");
        assert!(
            seen.len() > before,
            "the {mode} consumer's queue was never seen"
        );
    }

    // RPC: the server's named queue, and the client's reply queue (server-named). With no
    // server on the client's queue, the client waits for its timeout with its queue declared.
    let rpc = TestQueue::new("flags-rpc");
    let mut server = Proc::spawn("rabbit-rpc-server", &["--queue", &rpc]);
    server.wait_for("Awaiting RPC requests", 1, WAIT);
    snapshot(&[&rpc], &mut seen);
    server.kill();
    assert!(seen.contains_key(rpc.as_str()), "{rpc} never seen");
    let nobody = TestQueue::new("flags-rpc-nobody");
    let client = Proc::spawn(
        "rabbit-rpc-client",
        &["--queue", &nobody, "--n", "1", "--timeout", "2s"],
    );
    let before = seen.len();
    watch(&[&client], &[], &mut seen);
    assert!(
        !client.finish(WAIT).success(),
        "no server answered, yet the client succeeded"
    );
    assert!(
        seen.len() > before,
        "the RPC client's reply queue was never seen"
    );

    // Publisher confirms: its queue is server-named and exclusive.
    let before = seen.len();
    let confirms = Proc::spawn(
        "rabbit-confirms",
        &["--strategy", "individual", "--count", "3000"],
    );
    watch(&[&confirms], &[], &mut seen);
    let out = confirms.finish(WAIT);
    assert!(out.success(), "{out:?}");
    assert!(
        seen.len() > before,
        "the confirms chapter's queue was never seen"
    );

    let offenders: Vec<_> = seen
        .iter()
        .filter(|(_, flags)| !flags.durable && !flags.exclusive)
        .collect();
    assert!(
        offenders.is_empty(),
        "transient non-exclusive queues (RabbitMQ 4.3 refuses these by default): {offenders:?}"
    );
}
