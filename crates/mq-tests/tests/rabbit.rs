//! Chapter 1 against the real RabbitMQ: what each mode delivers to whom, proven by running
//! the demo binaries.

use std::collections::{BTreeSet, HashSet};
use std::time::Duration;

use lapin::options::QueueDeclareOptions;
use lapin::types::FieldTable;
use mq_tests::{Proc, TestQueue, rabbit_args, require_rabbitmq, run, unique, with_channel};

const WAIT: Duration = Duration::from_secs(60);

/// Simple: N messages sent means the same N received, in the order sent.
#[test]
fn simple_delivers_everything_in_order() {
    require_rabbitmq();
    let queue = TestQueue::new("simple");
    let consumer = Proc::spawn(
        "rabbit-simple-consumer",
        &[
            "--queue",
            &queue,
            "--max-messages",
            "30",
            "--idle-timeout",
            "10s",
        ],
    );
    consumer.wait_ready();
    let sent = run(
        "rabbit-simple-producer",
        &["--queue", &queue, "--count", "30", "--interval", "0"],
    );
    assert!(sent.success(), "{sent:?}");
    let got = consumer.finish(WAIT);
    assert!(got.success(), "{got:?}");
    let expected: Vec<String> = (0..30).map(|i| format!("hello {i}")).collect();
    assert_eq!(got.bodies(), expected);
}

/// As taught and with each speed-up of "Going faster" (`--pipeline` keeps up to 1024 publishes
/// on their way, `--confirm-window` up to N confirms, `--ack-in-runs` acks in runs): 20,000
/// messages arrive exactly in the order sent, and once the consumer is done nothing is left
/// unacked in the queue.
#[test]
fn publish_order_is_kept() {
    require_rabbitmq();
    const COUNT: usize = 20_000;
    // As taught, then with each speed-up of "Going faster" (the consumer acking in runs).
    let variants: [&[&str]; 5] = [
        &[],
        &["--confirm"],
        &["--pipeline"],
        &["--confirm", "--confirm-window", "64"],
        &["--pipeline", "--confirm", "--confirm-window", "1024"],
    ];
    for flags in variants {
        let tuned = !flags.is_empty() && flags != ["--confirm"];
        let queue = TestQueue::new("order");
        let mut consumer_args = vec!["--queue", &queue, "--max-messages", "20000"];
        consumer_args.extend(["--idle-timeout", "20s"]);
        if tuned {
            consumer_args.push("--ack-in-runs");
        }
        let consumer = Proc::spawn("rabbit-simple-consumer", &consumer_args);
        consumer.wait_ready();
        let mut args = vec!["--queue", &queue, "--count", "20000", "--interval", "0"];
        args.extend(["--message", "seq {i}", "--quiet"]);
        args.extend(flags);
        let sent = run("rabbit-simple-producer", &args);
        assert!(sent.success(), "{sent:?}");
        let got = consumer.finish(WAIT).bodies();
        let numbers: Vec<usize> = got
            .iter()
            .map(|body| {
                body.trim_start_matches("seq ")
                    .parse()
                    .expect("a sequence number")
            })
            .collect();
        let out_of_order = numbers.windows(2).filter(|w| w[1] != w[0] + 1).count();
        assert_eq!(
            (numbers.len(), numbers.first(), numbers.last(), out_of_order),
            (COUNT, Some(&0), Some(&(COUNT - 1)), 0),
            "{flags:?}: received {} messages, {out_of_order} out of order",
            numbers.len()
        );
        // The last run of acks went out before the consumer closed: nothing comes again.
        let again = run(
            "rabbit-simple-consumer",
            &["--queue", &queue, "--idle-timeout", "1s"],
        );
        assert!(again.success(), "{again:?}");
        assert_eq!(again.bodies().len(), 0, "messages left unacked");
    }
}

/// Worker: two workers share 100 tasks; each gets some, together all, none twice.
#[test]
fn workers_share_the_queue_without_duplicates() {
    require_rabbitmq();
    let queue = TestQueue::new("worker");
    let args = ["--queue", queue.as_str(), "--idle-timeout", "2s"];
    let one = Proc::spawn("rabbit-worker-consumer", &args);
    let two = Proc::spawn("rabbit-worker-consumer", &args);
    one.wait_ready();
    two.wait_ready();
    assert!(run("rabbit-worker-producer", &["--queue", &queue]).success());
    let (one, two) = (one.finish(WAIT), two.finish(WAIT));
    let (one, two) = (one.bodies(), two.bodies());
    assert!(
        !one.is_empty() && !two.is_empty(),
        "one worker got nothing: {} / {}",
        one.len(),
        two.len()
    );
    let all: Vec<&String> = one.iter().chain(&two).collect();
    let distinct: HashSet<&String> = all.iter().copied().collect();
    assert_eq!(all.len(), 100, "duplicates or losses");
    assert_eq!(distinct.len(), 100, "a task went to both workers");
}

/// Worker: with prefetch 1, a slow worker gets fewer tasks; the fast one takes clearly more.
#[test]
fn prefetch_one_dispatches_fairly_to_a_slow_worker() {
    require_rabbitmq();
    let queue = TestQueue::new("fair");
    let slow = Proc::spawn(
        "rabbit-worker-consumer",
        &["--queue", &queue, "--idle-timeout", "2s", "--work", "40ms"],
    );
    let fast = Proc::spawn(
        "rabbit-worker-consumer",
        &["--queue", &queue, "--idle-timeout", "2s"],
    );
    slow.wait_ready();
    fast.wait_ready();
    assert!(run("rabbit-worker-producer", &["--queue", &queue]).success());
    let (slow, fast) = (slow.finish(WAIT).bodies(), fast.finish(WAIT).bodies());
    assert_eq!(slow.len() + fast.len(), 100);
    assert!(
        fast.len() > 2 * slow.len(),
        "fast {} vs slow {}",
        fast.len(),
        slow.len()
    );
}

/// Pub/sub: two subscribers each receive every message.
#[test]
fn pubsub_gives_every_subscriber_everything() {
    require_rabbitmq();
    let exchange = unique("fanout");
    let args = [
        "--exchange",
        exchange.as_str(),
        "--max-messages",
        "20",
        "--idle-timeout",
        "10s",
    ];
    let one = Proc::spawn("rabbit-pubsub-consumer", &args);
    let two = Proc::spawn("rabbit-pubsub-consumer", &args);
    one.wait_ready();
    two.wait_ready();
    let sent = run(
        "rabbit-pubsub-producer",
        &["--exchange", &exchange, "--count", "20", "--interval", "0"],
    );
    assert!(sent.success(), "{sent:?}");
    let expected: Vec<String> = (0..20)
        .map(|i| format!("订阅模式生产第{i}条数据"))
        .collect();
    assert_eq!(one.finish(WAIT).bodies(), expected);
    assert_eq!(two.finish(WAIT).bodies(), expected);
}

/// Routing: a consumer bound to imooc_one receives the imooc_one messages and nothing else.
#[test]
fn routing_delivers_only_the_bound_key() {
    require_rabbitmq();
    let exchange = unique("direct");
    let one = Proc::spawn(
        "rabbit-routing-consumer",
        &[
            "--exchange",
            &exchange,
            "--binding-key",
            "imooc_one",
            "--idle-timeout",
            "2s",
        ],
    );
    one.wait_ready();
    let sent = run(
        "rabbit-routing-producer",
        &["--exchange", &exchange, "--count", "5", "--interval", "0"],
    );
    assert!(sent.success(), "{sent:?}");
    let got = one.finish(WAIT).received();
    let expected: Vec<(String, String)> = (0..5)
        .map(|i| (format!("hello imooc_one!{i}"), "imooc_one".to_owned()))
        .collect();
    assert_eq!(got, expected);
}

/// RabbitMQ's topic rule, as a reference: `*` is exactly one word, `#` zero or more.
fn topic_matches(pattern: &[&str], key: &[&str]) -> bool {
    match (pattern.first(), key.first()) {
        (None, None) => true,
        (Some(&"#"), _) => {
            topic_matches(&pattern[1..], key)
                || (!key.is_empty() && topic_matches(pattern, &key[1..]))
        }
        (Some(&"*"), Some(_)) => topic_matches(&pattern[1..], &key[1..]),
        (Some(p), Some(k)) if p == k => topic_matches(&pattern[1..], &key[1..]),
        _ => false,
    }
}

fn words(s: &str) -> Vec<&str> {
    s.split('.').collect()
}

/// Topic: a table of routing keys against binding patterns, checked on the real broker.
#[test]
fn topic_patterns_match_as_documented() {
    require_rabbitmq();
    // The rule the docs state, spelled out on the cases that trip people up.
    assert!(topic_matches(&words("#"), &words("a.b.c")));
    assert!(
        topic_matches(&words("a.#"), &words("a")),
        "# matches zero words"
    );
    assert!(
        !topic_matches(&words("a.*"), &words("a.b.c")),
        "* is exactly one word"
    );
    assert!(
        !topic_matches(&words("a.*"), &words("a")),
        "* is exactly one word"
    );

    let exchange = unique("topic");
    let patterns = ["#", "a.#", "a.*", "*.b.*", "a.*.c", "#.c", "imooc.*.three"];
    let keys = [
        "a",
        "a.b",
        "a.b.c",
        "a.b.c.d",
        "x.b.y",
        "a..c",
        "c",
        "imooc.topic88.three",
        "imooc.three",
    ];
    let consumers: Vec<(&str, Proc)> = patterns
        .iter()
        .map(|p| {
            (
                *p,
                Proc::spawn(
                    "rabbit-topic-consumer",
                    &[
                        "--exchange",
                        &exchange,
                        "--binding-key",
                        p,
                        "--idle-timeout",
                        "2s",
                    ],
                ),
            )
        })
        .collect();
    for (_, consumer) in &consumers {
        consumer.wait_ready();
    }
    let mut args = vec![
        "--exchange",
        exchange.as_str(),
        "--count",
        "1",
        "--interval",
        "0",
        "--message",
        "{key}",
    ];
    for key in keys {
        args.extend(["--key", key]);
    }
    let sent = run("rabbit-topic-producer", &args);
    assert!(sent.success(), "{sent:?}");
    for (pattern, consumer) in consumers {
        let got: BTreeSet<String> = consumer
            .finish(WAIT)
            .received()
            .into_iter()
            .map(|(_, key)| key)
            .collect();
        let expected: BTreeSet<String> = keys
            .iter()
            .filter(|k| topic_matches(&words(pattern), &words(k)))
            .map(|k| k.to_string())
            .collect();
        assert_eq!(got, expected, "binding key {pattern:?}");
    }
}

/// Bad input: a routing key over 255 bytes is refused before connecting.
#[test]
fn routing_key_over_255_bytes_is_refused() {
    let key = "k".repeat(256);
    let out = run("rabbit-topic-producer", &["--key", &key, "--count", "1"]);
    out.assert_clean_failure("at most 255 bytes");
}

/// Bad input: an empty binding key is refused.
#[test]
fn empty_binding_key_is_refused() {
    let out = run("rabbit-routing-consumer", &["--binding-key", ""]);
    out.assert_clean_failure("binding key is empty");
}

/// Bad input: a message over the broker's max_message_size is reported, not lost silently.
#[test]
fn message_over_max_size_is_reported() {
    require_rabbitmq();
    let queue = TestQueue::new("huge");
    // One byte over the limit that docker/rabbitmq.conf sets for both ways of running RabbitMQ.
    let max: usize = mq_tests::settings_file("docker/rabbitmq.conf")["max_message_size"]
        .parse()
        .expect("max_message_size is a number");
    let size = (max + 1).to_string();
    // The producer knows the tutorial broker's limit: refused at once, before it connects.
    let out = run(
        "rabbit-simple-producer",
        &["--queue", &queue, "--count", "1", "--size", &size],
    );
    out.assert_clean_failure(&format!("is over RabbitMQ's max_message_size, {max} bytes"));
    assert!(out.stdout.is_empty(), "{out:?}");
    // Told a larger limit (RabbitMQ's ceiling), it sends: the broker refuses, with its reason.
    let ceiling = "536870911";
    let out = run(
        "rabbit-simple-producer",
        &[
            "--queue",
            &queue,
            "--count",
            "1",
            "--size",
            &size,
            "--confirm",
            "--max-message-size",
            ceiling,
        ],
    );
    out.assert_clean_failure("not confirmed");
    assert!(
        out.stdout
            .iter()
            .any(|l| l.contains("larger than configured max size")),
        "{out:?}"
    );
    let out = run(
        "rabbit-simple-producer",
        &[
            "--queue",
            &queue,
            "--count",
            "1",
            "--size",
            &size,
            "--max-message-size",
            ceiling,
        ],
    );
    // Without confirms the refusal arrives as the broker closing the channel (and, depending
    // on timing, the connection); the producer says so and points to --confirm.
    out.assert_clean_failure("--confirm shows which message and why");
}

/// The Go tutorial's queue (`QueueDeclare(name, false, false, false, false, nil)`: not durable,
/// not exclusive) next to ours. On RabbitMQ 3.x it can exist, and the chapter's durable declare
/// of the same name fails with PRECONDITION_FAILED and says what to do. RabbitMQ 4.3's defaults
/// (the RabbitMQ 4 of `just up-rabbitmq4`) refuse to create it at all.
#[test]
fn the_tutorials_transient_queue_is_refused_or_explained() {
    require_rabbitmq();
    let queue = TestQueue::new("transient-by-design");
    let declared = with_channel(&rabbit_args(), "go-tutorial-queue", async |channel| {
        Ok(channel
            .queue_declare(
                queue.as_str().into(),
                QueueDeclareOptions::default(), // durable: false, exclusive: false
                FieldTable::default(),
            )
            .await
            .map(|_| ())
            .map_err(|err| err.to_string()))
    });
    match declared.expect("the broker answered the declare") {
        Ok(()) => {
            let out = run(
                "rabbit-simple-producer",
                &["--queue", &queue, "--count", "1", "--interval", "0"],
            );
            out.assert_clean_failure("PRECONDITION_FAILED");
            assert!(out.stderr.contains("created non-durable"), "{}", out.stderr);
        }
        Err(refused) => assert!(
            refused.contains("transient_nonexcl_queues"),
            "refused for another reason: {refused}"
        ),
    }
}

/// The article's `Publish` passes `immediate`; RabbitMQ has refused it since 3.0 (the Pitfall
/// box on the simple page says so). A publish with it set closes the connection with
/// NOT_IMPLEMENTED, so the next call on the channel fails.
#[test]
fn the_tutorials_immediate_flag_is_refused() {
    use lapin::options::BasicPublishOptions;
    require_rabbitmq();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let refusal = runtime.block_on(async {
        let rabbitmq = mq_common::rabbit::RabbitMQ::open(&rabbit_args(), "immediate")
            .await
            .expect("connecting");
        let channel = rabbitmq.channel();
        let immediate = BasicPublishOptions {
            immediate: true,
            ..BasicPublishOptions::default()
        };
        let published = channel
            .basic_publish(
                "".into(),
                "nowhere".into(),
                immediate,
                b"x",
                lapin::BasicProperties::default(),
            )
            .await;
        let exclusive = QueueDeclareOptions {
            exclusive: true,
            ..QueueDeclareOptions::default()
        };
        let next = channel
            .queue_declare("".into(), exclusive, FieldTable::default())
            .await;
        format!("{:?} / {:?}", published.err(), next.err())
    });
    assert!(
        refusal.contains("NOT_IMPLEMENTED") || refusal.contains("NOTIMPLEMENTED"),
        "the broker did not refuse immediate=true: {refusal}"
    );
}
