//! The checks of the RabbitMQ exercises.

use std::collections::BTreeMap;
use std::time::Duration;

use lapin::options::{ExchangeDeleteOptions, QueueDeclareOptions, QueueDeleteOptions};
use lapin::types::FieldTable;
use mq_common::rabbit::Session;
use mq_tests::Output;

use super::{Check, why};

const WAITING: &str = "Waiting for messages";

/// The text after ` [x] Received ` on each such line, without a trailing ` (routing key …)`.
fn received(out: &Output) -> Vec<String> {
    out.stdout
        .iter()
        .filter_map(|l| l.strip_prefix(" [x] Received "))
        .map(|rest| {
            rest.split(" (routing key ")
                .next()
                .unwrap_or(rest)
                .to_owned()
        })
        .collect()
}

/// The routing keys of ` … (routing key K)` lines.
fn routing_keys(out: &Output) -> Vec<String> {
    out.stdout
        .iter()
        .filter(|l| l.starts_with(" [x] Received"))
        .filter_map(|l| {
            l.rsplit_once("(routing key ")
                .map(|(_, k)| k.trim_end_matches(')').to_owned())
        })
        .collect()
}

/// Runs one lapin step on a connection of the checker's own.
fn with_channel<T>(
    check: &Check,
    step: impl AsyncFnOnce(&lapin::Channel) -> lapin::Result<T>,
) -> Option<T> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .ok()?;
    runtime.block_on(async {
        let session = Session::open(&check.rabbit, "exercise checker")
            .await
            .ok()?;
        let result = step(session.channel()).await.ok();
        let _ = session.close().await;
        result
    })
}

/// Starts from nothing: a queue left by an earlier run (with its messages) is deleted.
fn delete_queue(check: &Check, queue: &str) {
    with_channel(check, async |channel| {
        channel
            .queue_delete(queue.into(), QueueDeleteOptions::default())
            .await
    });
}

/// An exchange left by an earlier run may be of another kind: it is deleted.
fn delete_exchange(check: &Check, exchange: &str) {
    with_channel(check, async |channel| {
        channel
            .exchange_delete(exchange.into(), ExchangeDeleteOptions::default())
            .await
    });
}

/// True if the queue still exists.
fn queue_exists(check: &Check, queue: &str) -> bool {
    let passive = QueueDeclareOptions {
        passive: true,
        ..QueueDeclareOptions::default()
    };
    with_channel(check, async |channel| {
        channel
            .queue_declare(queue.into(), passive, FieldTable::default())
            .await
    })
    .is_some()
}

pub(crate) fn simple(c: &mut Check) {
    let queue = c.name("simple");
    delete_queue(c, &queue);
    let consumer = c.start(&[
        "consume",
        "--queue",
        &queue,
        "--max-messages",
        "5",
        "--idle-timeout",
        "5s",
    ]);
    let Some(consumer) = c.started("the consumer", consumer, WAITING) else {
        return;
    };
    c.pass("the consumer declared the queue and started consuming it");
    let Some(producer) = c.run(
        "the producer",
        &["publish", "--queue", &queue, "--count", "5"],
    ) else {
        return;
    };
    if producer.success() {
        c.pass("the producer published 5 messages");
    } else {
        c.fail("the producer failed", &why(&producer));
    }
    let Some(consumed) = c.finish("the consumer", consumer) else {
        return;
    };
    let expected: Vec<String> = (0..5).map(|i| format!("hello {i}")).collect();
    if received(&consumed) == expected {
        c.pass("the consumer received hello 0 … hello 4, in order");
    } else {
        let hint = if consumed.success() {
            "publish to the default exchange \"\", with the queue's name as the routing key"
                .to_owned()
        } else {
            why(&consumed)
        };
        c.fail(
            &format!(
                "the consumer received {:?}, not hello 0 … hello 4",
                received(&consumed)
            ),
            &hint,
        );
    }
    let Some(again) = c.run(
        "a second consumer",
        &["consume", "--queue", &queue, "--idle-timeout", "1s"],
    ) else {
        return;
    };
    match received(&again).len() {
        0 if again.success() => c.pass("nothing came back to a second consumer: every message was acked"),
        0 => c.fail("a second consumer failed", &why(&again)),
        n => c.fail(
            &format!("{n} message(s) came back after the first consumer closed: they were never acked"),
            "acknowledge each delivery once it is printed: delivery.ack(BasicAckOptions::default())",
        ),
    }
    delete_queue(c, &queue);
}

/// The task numbers of ` [x] Done task N` lines.
fn done(out: &Output) -> Vec<u64> {
    out.stdout
        .iter()
        .filter_map(|l| l.strip_prefix(" [x] Done task ")?.trim().parse().ok())
        .collect()
}

pub(crate) fn worker(c: &mut Check) {
    // Fair dispatch: a fast and a slow worker share 40 tasks.
    let queue = c.name("worker");
    delete_queue(c, &queue);
    let fast = c.start(&[
        "work",
        "--queue",
        &queue,
        "--work",
        "5ms",
        "--idle-timeout",
        "2s",
    ]);
    let Some(fast) = c.started("the fast worker", fast, WAITING) else {
        return;
    };
    let slow = c.start(&[
        "work",
        "--queue",
        &queue,
        "--work",
        "60ms",
        "--idle-timeout",
        "2s",
    ]);
    let Some(slow) = c.started("the slow worker", slow, WAITING) else {
        return;
    };
    let Some(producer) = c.run(
        "the producer",
        &["publish", "--queue", &queue, "--count", "40"],
    ) else {
        return;
    };
    if !producer.success() {
        c.fail("the producer failed", &why(&producer));
        return;
    }
    let (Some(fast), Some(slow)) = (
        c.finish("the fast worker", fast),
        c.finish("the slow worker", slow),
    ) else {
        return;
    };
    let (f, s) = (done(&fast), done(&slow));
    let mut all: Vec<u64> = f.iter().chain(&s).copied().collect();
    all.sort_unstable();
    if all == (0..40).collect::<Vec<_>>() {
        c.pass(&format!(
            "each of the 40 tasks was done once (fast worker {}, slow worker {})",
            f.len(),
            s.len()
        ));
    } else {
        let reason = if fast.success() && slow.success() {
            "ack each task after its work".to_owned()
        } else {
            why(if fast.success() { &slow } else { &fast })
        };
        c.fail(
            &format!(
                "the tasks done were not 0 … 39 once each: {} done",
                all.len()
            ),
            &reason,
        );
        return;
    }
    if s.len() * 2 < f.len() {
        c.pass(&format!(
            "the slow worker took fewer tasks ({} against {}): dispatch is fair",
            s.len(),
            f.len()
        ));
    } else {
        c.fail(
            &format!("the slow worker took {} tasks and the fast one {}: the broker handed them out in turn", s.len(), f.len()),
            "set the prefetch to 1 (channel.basic_qos), so a busy worker gets no new task until it acks",
        );
    }
    delete_queue(c, &queue);

    // Lossless: a worker killed in the middle of a task.
    let queue = c.name("worker-kill");
    delete_queue(c, &queue);
    let doomed = c.start(&[
        "work",
        "--queue",
        &queue,
        "--work",
        "400ms",
        "--idle-timeout",
        "5s",
    ]);
    let Some(mut doomed) = c.started("the worker to be killed", doomed, WAITING) else {
        return;
    };
    let Some(producer) = c.run(
        "the producer",
        &["publish", "--queue", &queue, "--count", "6"],
    ) else {
        return;
    };
    if !producer.success() {
        c.fail("the producer failed", &why(&producer));
        return;
    }
    // Killed while working on its second task.
    if !doomed.saw("Received", 2, Duration::from_secs(10)) {
        c.fail(
            "the worker did not take a second task",
            "ack each task after its work, so the next one comes",
        );
    }
    doomed.kill();
    let Some(doomed) = c.finish("the killed worker", doomed) else {
        return;
    };
    let Some(rescuer) = c.run(
        "the second worker",
        &[
            "work",
            "--queue",
            &queue,
            "--work",
            "5ms",
            "--idle-timeout",
            "2s",
        ],
    ) else {
        return;
    };
    let mut all: Vec<u64> = done(&doomed).into_iter().chain(done(&rescuer)).collect();
    all.sort_unstable();
    all.dedup();
    let missing: Vec<u64> = (0..6).filter(|i| !all.contains(i)).collect();
    if missing.is_empty() {
        c.pass("a worker killed mid-task lost nothing: its task went to the other worker");
    } else {
        c.fail(
            &format!("tasks {missing:?} were never done after a worker was killed"),
            "ack a task only after its work is done",
        );
    }
    delete_queue(c, &queue);
}

pub(crate) fn pubsub(c: &mut Check) {
    let exchange = c.name("pubsub");
    delete_exchange(c, &exchange);
    let args = [
        "subscribe",
        "--exchange",
        &exchange,
        "--max-messages",
        "5",
        "--idle-timeout",
        "5s",
    ];
    let one = c.start(&args);
    let Some(one) = c.started("the first subscriber", one, WAITING) else {
        return;
    };
    let two = c.start(&args);
    let Some(two) = c.started("the second subscriber", two, WAITING) else {
        return;
    };
    let queues: Vec<String> = [&one, &two]
        .iter()
        .filter_map(|p| {
            p.lines().iter().find_map(|l| {
                Some(
                    l.strip_prefix(" [*] Bound queue ")?
                        .split(' ')
                        .next()?
                        .to_owned(),
                )
            })
        })
        .collect();
    if queues.len() == 2
        && queues.iter().all(|q| q.starts_with("amq.gen-"))
        && queues[0] != queues[1]
    {
        c.pass("each subscriber has a queue of its own, named by the server");
    } else {
        c.fail(
            &format!("the subscribers' queues are {queues:?}"),
            "declare the queue with the name \"\": the server then names it (amq.gen-…)",
        );
    }
    let Some(producer) = c.run(
        "the producer",
        &["publish", "--exchange", &exchange, "--count", "5"],
    ) else {
        return;
    };
    if !producer.success() {
        c.fail("the producer failed", &why(&producer));
        return;
    }
    let (Some(one), Some(two)) = (
        c.finish("the first subscriber", one),
        c.finish("the second subscriber", two),
    ) else {
        return;
    };
    let expected: Vec<String> = (0..5).map(|i| format!("news {i}")).collect();
    if received(&one) == expected && received(&two) == expected {
        c.pass("both subscribers received all 5 messages");
    } else {
        c.fail(
            &format!(
                "the subscribers received {} and {} of 5",
                received(&one).len(),
                received(&two).len()
            ),
            "bind the queue to the exchange: channel.queue_bind(queue, exchange, \"\", …)",
        );
    }
    let left: Vec<&String> = queues.iter().filter(|q| queue_exists(c, q)).collect();
    if left.is_empty() {
        c.pass("the queues went away with their subscribers (exclusive)");
    } else {
        c.fail(
            &format!("queues {left:?} are still there after their subscribers left"),
            "declare the queue exclusive: true",
        );
        for queue in left {
            delete_queue(c, queue);
        }
    }
}

pub(crate) fn routing(c: &mut Check) {
    let exchange = c.name("routing");
    delete_exchange(c, &exchange);
    let two_keys = c.start(&[
        "consume",
        "--exchange",
        &exchange,
        "--binding-key",
        "info",
        "--binding-key",
        "warning",
        "--idle-timeout",
        "3s",
    ]);
    let Some(two_keys) = c.started("the consumer of info and warning", two_keys, WAITING) else {
        return;
    };
    let one_key = c.start(&[
        "consume",
        "--exchange",
        &exchange,
        "--binding-key",
        "error",
        "--idle-timeout",
        "3s",
    ]);
    let Some(one_key) = c.started("the consumer of error", one_key, WAITING) else {
        return;
    };
    for key in ["info", "warning", "error", "debug"] {
        let Some(producer) = c.run(
            "the producer",
            &[
                "publish",
                "--exchange",
                &exchange,
                "--key",
                key,
                "--count",
                "2",
            ],
        ) else {
            return;
        };
        if !producer.success() {
            c.fail("the producer failed", &why(&producer));
            return;
        }
    }
    let (Some(two_keys), Some(one_key)) = (
        c.finish("a consumer", two_keys),
        c.finish("a consumer", one_key),
    ) else {
        return;
    };
    let count = |out: &Output| {
        let mut keys = BTreeMap::new();
        for key in routing_keys(out) {
            *keys.entry(key).or_insert(0) += 1;
        }
        keys
    };
    let want_two = BTreeMap::from([("info".to_owned(), 2), ("warning".to_owned(), 2)]);
    let want_one = BTreeMap::from([("error".to_owned(), 2)]);
    let hint = "a direct exchange (ExchangeKind::Direct), and one queue_bind per binding key";
    if count(&two_keys) == want_two {
        c.pass(
            "bound to info and warning: received the 2 info and 2 warning messages, nothing else",
        );
    } else {
        let reason = if two_keys.success() {
            hint.to_owned()
        } else {
            why(&two_keys)
        };
        c.fail(
            &format!("bound to info and warning, received {:?}", count(&two_keys)),
            &reason,
        );
    }
    if count(&one_key) == want_one {
        c.pass("bound to error: received the 2 error messages, nothing else (debug went nowhere)");
    } else {
        c.fail(
            &format!("bound to error, received {:?}", count(&one_key)),
            hint,
        );
    }
}

/// The topic puzzle's answer: the keys of its table that the wanted patterns select.
const TOPIC_WANTED: [&str; 5] = [
    "lazy.brown.fox",
    "lazy.orange.elephant",
    "lazy.orange.male.rabbit",
    "lazy.pink.rabbit",
    "quick.orange.rabbit",
];

pub(crate) fn topic(c: &mut Check) {
    let exchange = c.name("topic");
    delete_exchange(c, &exchange);
    let consumer = c.start(&["consume", "--exchange", &exchange, "--idle-timeout", "3s"]);
    let Some(consumer) = c.started("the consumer", consumer, WAITING) else {
        return;
    };
    let Some(producer) = c.run("the producer", &["publish", "--exchange", &exchange]) else {
        return;
    };
    if !producer.success() {
        c.fail("the producer failed", &why(&producer));
        return;
    }
    let Some(consumed) = c.finish("the consumer", consumer) else {
        return;
    };
    let mut got = routing_keys(&consumed);
    got.sort();
    let missing: Vec<&str> = TOPIC_WANTED
        .iter()
        .copied()
        .filter(|k| !got.iter().any(|g| g == k))
        .collect();
    let extra: Vec<&String> = got
        .iter()
        .filter(|g| !TOPIC_WANTED.contains(&g.as_str()))
        .collect();
    if missing.is_empty() && extra.is_empty() && got.len() == TOPIC_WANTED.len() {
        c.pass("the broker delivered exactly the wanted keys");
    } else if !consumed.success() {
        c.fail("the consumer failed", &why(&consumed));
    } else {
        c.fail(
            &format!("missing {missing:?}, not wanted {extra:?}"),
            "`*` matches exactly one word and `#` zero or more: lazy.* does not match lazy.orange.male.rabbit",
        );
    }
}

pub(crate) fn confirms(c: &mut Check) {
    let Some(out) = c.run("publishing 10 messages", &["--count", "10"]) else {
        return;
    };
    if out.success()
        && out
            .stdout
            .iter()
            .any(|l| l.contains(" [.] 10 of 10 confirmed"))
    {
        c.pass("10 messages published, all 10 confirmed, exit code 0");
    } else {
        c.fail(
            "10 messages were not reported as 10 of 10 confirmed",
            &why(&out),
        );
        return;
    }
    let max: usize = mq_tests::settings_file("docker/rabbitmq.conf")
        .get("max_message_size")
        .and_then(|v| v.parse().ok())
        .unwrap_or(16 << 20);
    let size = (max + 1).to_string();
    let Some(out) = c.run(
        "publishing an oversized message",
        &["--count", "2", "--size", &size],
    ) else {
        return;
    };
    let reported = out.stdout.iter().any(|l| l.starts_with(" [!] message 0"));
    if reported && !out.success() && !out.stderr.contains("panicked") {
        c.pass("a message over the broker's size limit is reported, and the exit code is non-zero");
    } else if !reported {
        c.fail(
            "the refused message was not reported",
            "print ` [!] message <i> not confirmed: …` for a Nack or an Err",
        );
    } else {
        c.fail(
            "the exit code was 0 although a message was not confirmed",
            "return an error (bail!) when not every message was confirmed",
        );
    }
}
