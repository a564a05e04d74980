//! The two chapters beyond the tutorial, against the real RabbitMQ: RPC (request, reply,
//! correlation id) and publisher confirms (three strategies, every message accounted for).

// Test support: a failed expectation should stop the test with its message.
#![allow(clippy::expect_used)]

use std::collections::BTreeMap;
use std::time::Duration;

use mq_tests::{Output, Proc, TestQueue, require_rabbitmq, run};

const WAIT: Duration = Duration::from_secs(60);

fn fib(n: u64) -> u64 {
    let (mut a, mut b) = (0u64, 1u64);
    for _ in 0..n {
        (a, b) = (b, a.wrapping_add(b));
    }
    a
}

/// The client's ` [.] fib(n) = value` lines, as n → value (and a count of repeats).
fn answers(out: &Output) -> (BTreeMap<i64, String>, usize) {
    let mut answers = BTreeMap::new();
    let mut lines = 0;
    for line in &out.stdout {
        let Some(rest) = line.strip_prefix(" [.] fib(") else {
            continue;
        };
        let (n, value) = rest.split_once(") = ").expect("fib(n) = value");
        answers.insert(n.parse().expect("n"), value.to_owned());
        lines += 1;
    }
    (answers, lines)
}

fn server(queue: &str) -> Proc {
    let server = Proc::spawn(
        "rabbit-rpc-server",
        &["--queue", queue, "--idle-timeout", "3s"],
    );
    server.wait_for("Awaiting RPC requests", 1, Duration::from_secs(20));
    server
}

/// 50 requests in flight at once, answered by two servers (so replies can come back out of
/// order): each request gets exactly one reply, the right one, matched by correlation id.
#[test]
fn rpc_fifty_concurrent_requests_are_all_answered_correctly() {
    require_rabbitmq();
    let queue = TestQueue::new("rpc");
    let servers = [server(&queue), server(&queue)];
    let mut args = vec!["--queue".to_owned(), queue.to_string()];
    for n in 0..50 {
        args.extend(["--n".to_owned(), n.to_string()]);
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let client = run("rabbit-rpc-client", &args);
    assert!(client.success(), "{client:?}");
    let (answers, lines) = answers(&client);
    assert_eq!(lines, 50, "one reply per request: {client:?}");
    for n in 0..50u64 {
        assert_eq!(
            answers.get(&(n as i64)),
            Some(&fib(n).to_string()),
            "fib({n})"
        );
    }
    let served: usize = servers
        .into_iter()
        .map(|s| {
            let out = s.finish(WAIT);
            assert!(out.success(), "{out:?}");
            out.stdout.iter().filter(|l| l.contains("] fib(")).count()
        })
        .sum();
    assert_eq!(
        served, 50,
        "the two servers answered 50 requests between them"
    );
}

/// A bad n is answered with an error, and the server goes on serving.
#[test]
fn rpc_bad_n_gets_an_error_reply_and_the_server_keeps_serving() {
    require_rabbitmq();
    let queue = TestQueue::new("rpc-bad");
    let server = server(&queue);
    let client = run(
        "rabbit-rpc-client",
        &["--queue", &queue, "--n", "-1", "--n", "94", "--n", "10"],
    );
    client.assert_clean_failure("the server refused 2 request(s)");
    assert!(
        client
            .stdout
            .iter()
            .any(|l| l.starts_with(" [!] fib(-1): error: n must be between 0 and 93")),
        "{client:?}"
    );
    assert!(
        client
            .stdout
            .iter()
            .any(|l| l.starts_with(" [!] fib(94): error:")),
        "{client:?}"
    );
    assert_eq!(answers(&client).0.get(&10).map(String::as_str), Some("55"));
    // Still serving.
    let again = run("rabbit-rpc-client", &["--queue", &queue, "--n", "20"]);
    assert!(again.success(), "{again:?}");
    assert_eq!(answers(&again).0.get(&20).map(String::as_str), Some("6765"));
    let out = server.finish(WAIT);
    assert!(out.success(), "{out:?}");
}

/// The server is killed: the client gives up after --timeout with one clear line.
#[test]
fn rpc_client_times_out_cleanly_when_the_server_is_gone() {
    require_rabbitmq();
    let queue = TestQueue::new("rpc-gone");
    let mut server = server(&queue);
    let first = run("rabbit-rpc-client", &["--queue", &queue, "--n", "7"]);
    assert!(first.success(), "{first:?}");
    server.kill();
    let _ = server.finish(WAIT);
    let client = run(
        "rabbit-rpc-client",
        &["--queue", &queue, "--n", "7", "--timeout", "2s"],
    );
    client.assert_clean_failure("no reply within 2s for 1 request(s)");
    assert!(
        client.elapsed >= Duration::from_secs(2),
        "{:?}",
        client.elapsed
    );
}

/// The rows of rabbit-confirms' table: strategy → [messages, confirmed, nacked, returned,
/// not confirmed].
/// Each strategy's row: messages, confirmed, nacked, returned, not confirmed, not sent.
fn table(out: &Output) -> BTreeMap<String, [u64; 6]> {
    out.stdout
        .iter()
        .filter_map(|line| {
            let f: Vec<&str> = line.split_whitespace().collect();
            if !["individual", "batch", "async"].contains(f.first()?) || f.len() != 9 {
                return None;
            }
            let n = |i: usize| f[i].parse::<u64>().expect("a number");
            Some((f[0].to_owned(), [n(1), n(4), n(5), n(6), n(7), n(8)]))
        })
        .collect()
}

/// Each strategy gets a confirm for every message.
#[test]
fn confirms_every_strategy_confirms_every_message() {
    require_rabbitmq();
    let out = run(
        "rabbit-confirms",
        &["--count", "2000", "--batch-size", "64"],
    );
    assert!(out.success(), "{out:?}");
    let rows = table(&out);
    assert_eq!(rows.len(), 3, "{out:?}");
    for (strategy, row) in rows {
        assert_eq!(row, [2000, 2000, 0, 0, 0, 0], "{strategy}: {out:?}");
    }
}

/// A message over the broker's max_message_size is reported as not confirmed, with the
/// broker's reason, under each strategy; the exit code says so.
#[test]
fn confirms_an_oversized_message_is_reported_under_each_strategy() {
    require_rabbitmq();
    let max: usize = mq_tests::settings_file("docker/rabbitmq.conf")["max_message_size"]
        .parse()
        .expect("max_message_size is a number");
    let size = (max + 1).to_string();
    // Told RabbitMQ's ceiling as the limit, it sends, and the broker refuses.
    let out = run(
        "rabbit-confirms",
        &[
            "--count",
            "2",
            "--size",
            &size,
            "--max-message-size",
            "536870911",
        ],
    );
    out.assert_clean_failure("did not reach a queue");
    let rows = table(&out);
    assert_eq!(rows.len(), 3, "{out:?}");
    // The first message is published and never confirmed (the broker closes the channel);
    // the second is either published the same way or not published at all. The table tells
    // the two apart: "not confirmed" counts what the summary saw unconfirmed, one line each,
    // and "not sent" what never left.
    let mut unconfirmed = 0;
    for (strategy, row) in &rows {
        let [
            messages,
            confirmed,
            nacked,
            returned,
            not_confirmed,
            not_sent,
        ] = *row;
        assert_eq!(
            [messages, confirmed, nacked, returned],
            [2, 0, 0, 0],
            "{strategy}: {out:?}"
        );
        assert!(not_confirmed >= 1, "{strategy}: {out:?}");
        assert_eq!(not_confirmed + not_sent, 2, "{strategy}: {out:?}");
        unconfirmed += not_confirmed;
    }
    let reasons = out
        .stdout
        .iter()
        .filter(|l| l.starts_with(" [!] Not confirmed"))
        .count() as u64;
    assert_eq!(
        reasons, unconfirmed,
        "one line per message not confirmed: {out:?}"
    );
    assert!(
        out.stdout
            .iter()
            .any(|l| l.contains("larger than configured max size")),
        "the broker's reason is shown: {out:?}"
    );
}

/// A body over the broker's max_message_size is refused at once: one line that names the
/// limit and where it is set, within 5 s, in under 100 MB (the body is never built).
#[test]
fn confirms_refuses_a_body_over_the_limit_at_once() {
    let max: usize = mq_tests::settings_file("docker/rabbitmq.conf")["max_message_size"]
        .parse()
        .expect("max_message_size is a number");
    let out = run("rabbit-confirms", &["--count", "1", "--size", "999999999"]);
    out.assert_clean_failure(&format!(
        "--size 999999999 is over RabbitMQ's max_message_size, {max} bytes"
    ));
    assert!(
        out.stderr.contains("docker/rabbitmq.conf"),
        "{}",
        out.stderr
    );
    assert_eq!(out.stderr.lines().count(), 1, "{}", out.stderr);
    assert!(
        out.elapsed < Duration::from_secs(5),
        "took {:?}",
        out.elapsed
    );
    assert!(
        out.usage.peak_rss_kib < 100 * 1024,
        "peak RSS {} KiB",
        out.usage.peak_rss_kib
    );
    println!(
        "rabbit-confirms --count 1 --size 999999999: exit {:?} in {:?}, peak RSS {} KiB",
        out.status.code(),
        out.elapsed,
        out.usage.peak_rss_kib
    );
}

/// A mandatory message that no queue takes is returned, and reported as such.
#[test]
fn confirms_an_unroutable_message_is_reported_as_returned() {
    require_rabbitmq();
    let out = run("rabbit-confirms", &["--count", "5", "--unroutable", "2"]);
    out.assert_clean_failure("6 message(s) did not reach a queue");
    let rows = table(&out);
    assert_eq!(rows.len(), 3, "{out:?}");
    for (strategy, row) in &rows {
        // Returned messages are still acked: the broker took responsibility, and dropped them.
        assert_eq!(*row, [5, 5, 0, 2, 0, 0], "{strategy}: {out:?}");
    }
    let returned = out
        .stdout
        .iter()
        .filter(|l| l.starts_with(" [!] No queue matched routing key"))
        .count();
    assert_eq!(returned, 6, "two per strategy: {out:?}");
}
