//! The checks of the RabbitMQ exercises on one queue (simple, worker, confirms), and what
//! every RabbitMQ check uses; the exchange modes are in `exchanges.rs`.

use rust_i18n::t;
use std::time::Duration;

use lapin::ErrorKind;
use lapin::options::{ExchangeDeleteOptions, QueueDeclareOptions};
use lapin::protocol::{AMQPErrorKind, AMQPSoftError};
use lapin::types::FieldTable;
use mq_common::rabbit::RabbitMQ;
use mq_run::Output;

use super::{Check, why};

/// The text after ` [x] Received ` on each such line, without a trailing ` (routing key …)`.
pub(crate) fn received(out: &Output) -> Vec<String> {
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
pub(crate) fn routing_keys(out: &Output) -> Vec<String> {
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
    mq_common::rabbit::with_channel(&check.rabbit, "exercise checker", step)
}

/// Starts from nothing: a queue left by an earlier run (with its messages) is deleted.
pub(crate) fn delete_queue(check: &Check, queue: &str) {
    mq_common::rabbit::delete_queue(&check.rabbit, queue);
}

/// An exchange left by an earlier run may be of another kind: it is deleted.
pub(crate) fn delete_exchange(check: &Check, exchange: &str) {
    with_channel(check, async |channel| {
        channel
            .exchange_delete(exchange.into(), ExchangeDeleteOptions::default())
            .await
    });
}

/// What the broker says of a queue when asked with a passive declare.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Lookup {
    Present,
    /// NOT_FOUND: there is no such queue.
    Absent,
    /// RESOURCE_LOCKED: it exists, and is exclusive to another connection.
    Locked,
}

/// Asks the broker about `queue` (a passive declare, on a connection of the checker's own).
/// An error says the checker could not ask (the broker is down, the password is wrong, …):
/// that is never taken for an answer.
pub(crate) fn look_up_queue(check: &Check, queue: &str) -> Result<Lookup, String> {
    let passive = QueueDeclareOptions {
        passive: true,
        ..QueueDeclareOptions::default()
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|err| err.to_string())?;
    runtime.block_on(async {
        let rabbitmq = RabbitMQ::open(&check.rabbit, "exercise checker")
            .await
            .map_err(|err| format!("{err:#}"))?;
        let answer = rabbitmq
            .channel()
            .queue_declare(queue.into(), passive, FieldTable::default())
            .await;
        let _ = rabbitmq.close().await;
        match answer {
            Ok(_) => Ok(Lookup::Present),
            Err(err) => match err.kind() {
                ErrorKind::ProtocolError(amqp) => match amqp.kind() {
                    AMQPErrorKind::Soft(AMQPSoftError::NOTFOUND) => Ok(Lookup::Absent),
                    AMQPErrorKind::Soft(AMQPSoftError::RESOURCELOCKED) => Ok(Lookup::Locked),
                    _ => Err(err.to_string()),
                },
                _ => Err(err.to_string()),
            },
        }
    })
}

/// The line of a check that could not ask the broker: it fails, and says why.
pub(crate) fn could_not_ask(check: &mut Check, what: &str, err: &str) {
    check.fail(
        &t!("rabbit.could_not_ask", what = what, err = err),
        &t!("rabbit.could_not_ask_hint"),
    );
}

pub(crate) fn simple(c: &mut Check) {
    let queue = c.name("simple");
    delete_queue(c, &queue);
    let Some(consumer) = c.consumer(
        &t!("step.consumer"),
        &[
            "consume",
            "--queue",
            &queue,
            "--max-messages",
            "5",
            "--idle-timeout",
            "5s",
        ],
    ) else {
        return;
    };
    c.pass(&t!("simple.consuming"));
    if c.produce(&["publish", "--queue", &queue, "--count", "5"]) {
        c.pass(&t!("simple.published"));
    }
    let Some(consumed) = c.finish(&t!("step.consumer"), consumer) else {
        return;
    };
    let expected: Vec<String> = (0..5).map(|i| format!("hello {i}")).collect();
    if received(&consumed) == expected {
        c.pass(&t!("simple.received"));
    } else {
        let hint = if consumed.success() {
            t!("simple.received_hint").into_owned()
        } else {
            why(&consumed)
        };
        c.fail(
            &t!(
                "simple.received_wrong",
                got = format!("{:?}", received(&consumed))
            ),
            &hint,
        );
    }
    let Some(again) = c.run(
        &t!("step.second_consumer"),
        &["consume", "--queue", &queue, "--idle-timeout", "1s"],
    ) else {
        return;
    };
    match received(&again).len() {
        0 if again.success() => c.pass(&t!("simple.all_acked")),
        0 => c.fail(&t!("simple.second_failed"), &why(&again)),
        n => c.fail(&t!("simple.not_acked", n = n), &t!("simple.not_acked_hint")),
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
    let Some(fast) = c.consumer(
        &t!("step.fast_worker"),
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
    let Some(slow) = c.consumer(
        &t!("step.slow_worker"),
        &[
            "work",
            "--queue",
            &queue,
            "--work",
            "60ms",
            "--idle-timeout",
            "2s",
        ],
    ) else {
        return;
    };
    if !c.produce(&["publish", "--queue", &queue, "--count", "40"]) {
        return;
    }
    let (Some(fast), Some(slow)) = (
        c.finish(&t!("step.fast_worker"), fast),
        c.finish(&t!("step.slow_worker"), slow),
    ) else {
        return;
    };
    let (f, s) = (done(&fast), done(&slow));
    let mut all: Vec<u64> = f.iter().chain(&s).copied().collect();
    all.sort_unstable();
    if all == (0..40).collect::<Vec<_>>() {
        c.pass(&t!("worker.each_once", fast = f.len(), slow = s.len()));
    } else {
        let reason = if fast.success() && slow.success() {
            t!("worker.ack_after").into_owned()
        } else {
            why(if fast.success() { &slow } else { &fast })
        };
        c.fail(&t!("worker.not_each_once", done = all.len()), &reason);
        return;
    }
    if s.len() * 2 < f.len() {
        c.pass(&t!("worker.fair", slow = s.len(), fast = f.len()));
    } else {
        c.fail(
            &t!("worker.unfair", slow = s.len(), fast = f.len()),
            &t!("worker.unfair_hint"),
        );
    }
    delete_queue(c, &queue);

    // Lossless: a worker killed in the middle of a task.
    let queue = c.name("worker-kill");
    delete_queue(c, &queue);
    let Some(mut doomed) = c.consumer(
        &t!("step.doomed_worker"),
        &[
            "work",
            "--queue",
            &queue,
            "--work",
            "400ms",
            "--idle-timeout",
            "5s",
        ],
    ) else {
        return;
    };
    if !c.produce(&["publish", "--queue", &queue, "--count", "6"]) {
        return;
    }
    // Killed while working on its second task.
    if !doomed.saw("Received", 2, Duration::from_secs(10)) {
        c.fail(
            &t!("worker.no_second_task"),
            &t!("worker.no_second_task_hint"),
        );
    }
    doomed.kill();
    let Some(doomed) = c.finish(&t!("step.killed_worker"), doomed) else {
        return;
    };
    let Some(rescuer) = c.run(
        &t!("step.second_worker"),
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
        c.pass(&t!("worker.killed_lost_nothing"));
    } else {
        c.fail(
            &t!("worker.lost", missing = format!("{missing:?}")),
            &t!("worker.lost_hint"),
        );
    }
    delete_queue(c, &queue);
}

pub(crate) fn confirms(c: &mut Check) {
    let Some(out) = c.run(&t!("step.publish_10"), &["--count", "10"]) else {
        return;
    };
    if out.success()
        && out
            .stdout
            .iter()
            .any(|l| l.contains(" [.] 10 of 10 confirmed"))
    {
        c.pass(&t!("confirms.all_confirmed"));
    } else {
        c.fail(&t!("confirms.not_all_confirmed"), &why(&out));
        return;
    }
    let max: usize = mq_run::settings_file("docker/rabbitmq.conf")
        .ok()
        .and_then(|conf| conf.get("max_message_size").cloned())
        .and_then(|v| v.parse().ok())
        .unwrap_or(16 << 20);
    let size = (max + 1).to_string();
    let Some(out) = c.run(&t!("step.oversized"), &["--count", "2", "--size", &size]) else {
        return;
    };
    let reported = out.stdout.iter().any(|l| l.starts_with(" [!] message 0"));
    if reported && !out.success() && !out.stderr.contains("panicked") {
        c.pass(&t!("confirms.oversized_reported"));
    } else if !reported {
        c.fail(
            &t!("confirms.not_reported"),
            &t!("confirms.not_reported_hint"),
        );
    } else {
        c.fail(&t!("confirms.exit_zero"), &t!("confirms.exit_zero_hint"));
    }
}
