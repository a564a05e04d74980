//! RabbitMQ Streams (the Streams chapter), on RabbitMQ 4's stream port (`just up-rabbitmq4`;
//! `just test` starts it): where each offset spec starts, a named consumer resuming after its
//! stored offset, a named producer that sends nothing twice after a restart, and one clear line
//! when the broker has no stream listener or is too old. Each test uses a stream of its own.

// Test support: a failed expectation should stop the test with its message.
#![allow(clippy::expect_used)]

use std::collections::BTreeMap;
use std::time::Duration;

use mq_tests::{Output, Proc, require_streams, run, unique};

/// The (offset, body) of each ` [x] Received 'BODY' (offset N)` line.
fn received(out: &Output) -> Vec<(u64, String)> {
    out.stdout
        .iter()
        .filter_map(|l| l.strip_prefix(" [x] Received '"))
        .filter_map(|rest| {
            let (body, offset) = rest.rsplit_once("' (offset ")?;
            Some((offset.strip_suffix(')')?.parse().ok()?, body.to_owned()))
        })
        .collect()
}

fn offsets(out: &Output) -> Vec<u64> {
    received(out).into_iter().map(|(o, _)| o).collect()
}

/// Produces `count` messages `m0`, `m1`, … to `stream`, with `extra` flags.
fn produce(stream: &str, count: u64, extra: &[&str]) -> Output {
    let count = count.to_string();
    let mut args = vec![
        "--stream",
        stream,
        "--count",
        &count,
        "--message",
        "m{i}",
        "--quiet",
    ];
    args.extend(extra);
    let out = run("rabbit-stream-producer", &args);
    assert!(out.success(), "{out:?}");
    out
}

fn consume(stream: &str, extra: &[&str]) -> Output {
    let mut args = vec!["--stream", stream];
    args.extend(extra);
    let out = run("rabbit-stream-consumer", &args);
    assert!(out.success(), "{out:?}");
    out
}

/// first: from the oldest message; an offset: from it; last: the last chunk only; next: only
/// what comes after the consumer subscribed.
#[test]
fn every_offset_spec_starts_where_it_says() {
    require_streams();
    let stream = unique("st-offsets");
    produce(&stream, 10, &[]);
    let first = consume(&stream, &["--offset", "first", "--max-messages", "10"]);
    assert_eq!(offsets(&first), (0..10).collect::<Vec<_>>(), "{first:?}");
    let from_7 = consume(&stream, &["--offset", "7", "--idle-timeout", "2s"]);
    assert_eq!(offsets(&from_7), [7, 8, 9], "{from_7:?}");
    let last = consume(&stream, &["--offset", "last", "--idle-timeout", "2s"]);
    let got = offsets(&last);
    assert!(got.contains(&9) && !got.contains(&0), "last: {last:?}");
    let next = Proc::spawn(
        "rabbit-stream-consumer",
        &[
            "--stream",
            &stream,
            "--offset",
            "next",
            "--idle-timeout",
            "5s",
        ],
    );
    assert!(
        next.saw("Waiting for messages", 1, Duration::from_secs(30)),
        "{:?}",
        next.lines()
    );
    produce(&stream, 3, &[]);
    let next = next.finish(Duration::from_secs(60));
    assert_eq!(offsets(&next), [10, 11, 12], "{next:?}");
}

/// A named consumer stopped after message 500 of 1,000 and started again reads 501 to 1,000
/// (offsets 500 to 999), each once; a consumer of another name reads all 1,000 again, since
/// reading takes nothing away.
#[test]
fn a_named_consumer_resumes_after_its_stored_offset() {
    require_streams();
    let stream = unique("st-resume");
    produce(&stream, 1000, &[]);
    let name = unique("reader");
    let first = consume(
        &stream,
        &["--name", &name, "--max-messages", "500", "--quiet"],
    );
    assert!(
        first
            .stdout
            .iter()
            .any(|l| l == &format!(" [.] stored offset 499 for '{name}'")),
        "{first:?}"
    );
    let again = consume(&stream, &["--name", &name, "--idle-timeout", "3s"]);
    assert!(
        again
            .stdout
            .iter()
            .any(|l| l.contains("stored offset 499: going on after it")),
        "{again:?}"
    );
    let got = received(&again);
    let expected: Vec<(u64, String)> = (500..1000).map(|i| (i, format!("m{i}"))).collect();
    assert_eq!(got, expected, "the restart read something else");
    let other = consume(
        &stream,
        &[
            "--name",
            &unique("other"),
            "--idle-timeout",
            "3s",
            "--quiet",
        ],
    );
    assert!(
        other.stdout.iter().any(|l| l == " [.] received 1000"),
        "{other:?}"
    );
}

/// A named producer killed halfway and started again with the same name and publishing ids
/// leaves each message on the stream once: the broker drops the ids it has stored already.
#[test]
fn a_restarted_named_producer_sends_nothing_twice() {
    require_streams();
    let stream = unique("st-dedup");
    let name = unique("writer");
    let args = [
        "--stream",
        &stream,
        "--name",
        &name,
        "--count",
        "100",
        "--message",
        "m{i}",
        "--interval",
        "20ms",
    ];
    let mut doomed = Proc::spawn("rabbit-stream-producer", &args);
    assert!(
        doomed.saw(" [x] Sent", 30, Duration::from_secs(60)),
        "{:?}",
        doomed.lines()
    );
    doomed.kill();
    let killed_after = doomed.finish(Duration::from_secs(10)).stdout.len();
    let again = run("rabbit-stream-producer", &args);
    assert!(again.success(), "{again:?}");
    let read = consume(&stream, &["--offset", "first", "--idle-timeout", "3s"]);
    let mut copies: BTreeMap<String, usize> = BTreeMap::new();
    for (_, body) in received(&read) {
        *copies.entry(body).or_default() += 1;
    }
    let twice: Vec<_> = copies.iter().filter(|(_, n)| **n > 1).collect();
    assert!(twice.is_empty(), "sent twice: {twice:?}");
    assert_eq!(copies.len(), 100, "the stream holds {copies:?}");
    println!(
        "dedup: killed after {killed_after} sends, restarted with the same ids: {} messages on the stream, each once",
        copies.len()
    );
}

/// No stream listener on the port, and a broker that closes the connection at the client's
/// first words (as RabbitMQ before 3.13 does): one line each, naming RabbitMQ 4 and
/// `just up-rabbitmq4`.
#[test]
fn a_broker_without_streams_gets_one_line() {
    let closed = mq_tests::class::free_port().to_string();
    for binary in ["rabbit-stream-consumer", "rabbit-superstream-consumer"] {
        let out = run(binary, &["--stream-port", &closed]);
        out.assert_clean_failure("nothing listens for the stream protocol on 127.0.0.1:");
        assert!(out.stderr.contains("just up-rabbitmq4"), "{}", out.stderr);
    }
    // A stand-in for RabbitMQ 3.10 with its stream plugin: it reads the client's first frame
    // and hangs up, as 3.10.8 does at the 3.13 command it does not know.
    let old = std::net::TcpListener::bind("127.0.0.1:0").expect("a port");
    let port = old.local_addr().expect("its address").port().to_string();
    std::thread::spawn(move || {
        for stream in old.incoming().flatten() {
            use std::io::Read as _;
            let mut stream = stream;
            let _ = stream.read(&mut [0_u8; 512]);
        }
    });
    for binary in ["rabbit-stream-producer", "rabbit-superstream-producer"] {
        let out = run(binary, &["--stream-port", &port]);
        out.assert_clean_failure("RabbitMQ older than 3.13");
        assert!(out.stderr.contains("just up-rabbitmq4"), "{}", out.stderr);
        assert_eq!(out.stderr.lines().count(), 1, "{}", out.stderr);
    }
}
