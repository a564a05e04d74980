//! `just bench`: how fast the demo binaries move messages, next to the brokers' own tools.
//!
//! The subjects are the demo binaries themselves (release build), in a bench configuration:
//! no interval, 200-byte messages, `--quiet`, and a `--count` grown until each run lasts at
//! least 5 s (aiming at `BENCH_SECONDS`, default 6) on this machine. The references run in the
//! same session, against the same brokers:
//! - RabbitMQ: PerfTest (com.rabbitmq:perf-test, fetched from Maven Central);
//! - Kafka: ProducerPerformance and ConsumerPerformance from the Kafka 3.9 jars.
//!
//! Every process is started and read by the tests' own runner, [`mq_tests::Proc`], which also
//! samples its CPU time and peak RSS. Results: a table on stdout, `target/bench/results.json`
//! and `target/bench/results.md`. Nothing here fails on speed; it only measures and prints.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use mq_tests::{Output, Proc, bin, repo_root, unique};
use serde_json::{Value, json};

/// Bytes per message, as in the LinkedIn measurements the tutorial quotes.
const SIZE: u64 = 200;
/// A shorter run is repeated with more messages.
const MIN_SECONDS: f64 = 5.0;
/// How long our processes may take before the bench gives up on them.
const TIMEOUT: Duration = Duration::from_secs(300);

/// What `just bench` exports (scripts/lib.sh: docker/brokers.env, .env, derived paths).
struct Settings {
    amqp_url: String,
    kafka: String,
    kafka_libs: PathBuf,
    kafka_log4j: PathBuf,
    perf_test_libs: PathBuf,
    /// What a run is sized for.
    seconds: f64,
}

fn setting(name: &str) -> anyhow::Result<String> {
    match std::env::var(name) {
        Ok(value) if !value.is_empty() => Ok(value),
        _ => bail!("{name} is not set: run the benchmark with `just bench`"),
    }
}

impl Settings {
    fn from_env() -> anyhow::Result<Self> {
        let mq_home = PathBuf::from(setting("MQ_HOME")?);
        let seconds = match std::env::var("BENCH_SECONDS") {
            Ok(s) => s
                .parse()
                .with_context(|| format!("BENCH_SECONDS={s} is not a number of seconds"))?,
            Err(_) => 6.0,
        };
        Ok(Self {
            amqp_url: setting("AMQP_URL")?,
            kafka: format!("127.0.0.1:{}", setting("KAFKA_PORT")?),
            kafka_libs: PathBuf::from(setting("KAFKA_LIBS")?),
            kafka_log4j: Path::new(&setting("KAFKA_CONF")?).join("tools-log4j.properties"),
            perf_test_libs: mq_home.join("perf-test-libs"),
            seconds,
        })
    }
}

fn step(text: &str) {
    println!("\x1b[1m==>\x1b[0m {text}");
}

fn info(text: &str) {
    println!("    {text}");
}

/// Thousands separated by commas, as the Python bench printed them.
fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The last lines a process printed, for an error message.
fn tail(out: &Output) -> String {
    let mut lines: Vec<&str> = out.stdout.iter().map(String::as_str).collect();
    lines.extend(out.stderr.lines());
    let start = lines.len().saturating_sub(3);
    match lines[start..].join(" | ") {
        text if text.is_empty() => "(no output)".to_owned(),
        text => text,
    }
}

/// Waits for `proc` and fails unless it exited with 0.
fn finish(name: &str, proc: Proc, timeout: Duration) -> anyhow::Result<Output> {
    let out = proc
        .try_finish(timeout)
        .map_err(|err| anyhow::anyhow!("{name} {err}"))?;
    if !out.success() {
        bail!("{name} exited with {}: {}", out.status, tail(&out));
    }
    Ok(out)
}

fn ours(binary: &str, args: &[&str]) -> Proc {
    Proc::spawn(binary, args)
}

struct Rows {
    rows: Vec<Value>,
}

impl Rows {
    /// One result row; `out` gives CPU and memory for our own processes.
    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        case: &str,
        side: &str,
        tool: &str,
        messages: u64,
        seconds: f64,
        out: Option<&Output>,
        reference: Option<f64>,
        note: &str,
    ) {
        let rate = if seconds > 0.0 {
            messages as f64 / seconds
        } else {
            0.0
        };
        let round = |x: f64, digits: i32| (x * 10f64.powi(digits)).round() / 10f64.powi(digits);
        let ratio = reference.map(|r| round(rate / r, 2));
        let row = json!({
            "case": case,
            "side": side,
            "tool": tool,
            "messages": messages,
            "seconds": round(seconds, 3),
            "msg_per_s": rate.round() as u64,
            "mb_per_s": round(rate * SIZE as f64 / 1e6, 2),
            "cpu_s_per_100k": out.map(|o| round(o.usage.cpu.as_secs_f64() / messages as f64 * 1e5, 3)),
            "peak_rss_mb": out.map(|o| round(o.usage.peak_rss_kib as f64 / 1024.0, 1)),
            "reference_msg_per_s": reference.map(|r| r.round() as u64),
            "ratio_to_reference": ratio,
            "note": note,
        });
        let shown = ratio.map_or("-".to_owned(), |r| format!("{r:.2}x"));
        info(&format!(
            "{case} / {side} ({tool}): {} msg/s, ratio {shown}",
            grouped(rate.round() as u64)
        ));
        self.rows.push(row);
    }
}

/// Calls `run(count)`, which returns (result, seconds of its faster side), and grows the count
/// until that side lasts MIN_SECONDS. The first, short call doubles as a warm-up.
fn long_enough<T>(
    settings: &Settings,
    mut count: u64,
    high: u64,
    mut run: impl FnMut(u64) -> anyhow::Result<(T, f64)>,
) -> anyhow::Result<(u64, T)> {
    loop {
        let (result, seconds) = run(count)?;
        if seconds >= MIN_SECONDS || count >= high {
            return Ok((count, result));
        }
        let grown = (count as f64 * settings.seconds / seconds.max(0.05) * 1.1) as u64;
        let grown = grown.min(high);
        info(&format!(
            "{} messages took {seconds:.1} s; running again with {}",
            grouped(count),
            grouped(grown)
        ));
        count = grown;
    }
}

// ---------------------------------------------------------------------------------------------
// RabbitMQ: a producer and a consumer running at the same time, as PerfTest runs them.

struct Pair {
    producer: Output,
    consumer: Output,
    /// From the producer's start to the consumer's last message.
    consumed: f64,
}

fn rabbit_pair(
    mode: &str,
    queue: &str,
    count: u64,
    producer_flags: &[&str],
    consumer_flags: &[&str],
) -> anyhow::Result<Pair> {
    let count = count.to_string();
    let mut args = vec!["--queue", queue, "--max-messages", &count, "--quiet"];
    args.extend(consumer_flags);
    let consumer_name = format!("{mode}-consumer");
    let consumer = ours(&consumer_name, &args);
    consumer.wait_for("Waiting for messages", 1, Duration::from_secs(30));
    let start = Instant::now();
    let size = SIZE.to_string();
    let mut args = vec![
        "--queue",
        queue,
        "--count",
        &count,
        "--interval",
        "0",
        "--size",
        &size,
        "--quiet",
    ];
    args.extend(producer_flags);
    let producer_name = format!("{mode}-producer");
    let producer = finish(&producer_name, ours(&producer_name, &args), TIMEOUT)?;
    let consumer = finish(&consumer_name, consumer, TIMEOUT)?;
    Ok(Pair {
        producer,
        consumer,
        consumed: start.elapsed().as_secs_f64(),
    })
}

/// PerfTest with one producer and one consumer for `seconds`: (sent, received) msg/s.
fn perf_test(settings: &Settings, flags: &[&str], seconds: f64) -> anyhow::Result<(f64, f64)> {
    let queue = unique("bench-perftest");
    let classpath = format!("{}/*", settings.perf_test_libs.display());
    let (size, time) = (SIZE.to_string(), (seconds.round() as u64).to_string());
    let mut args = vec![
        "-Xmx512m",
        "-cp",
        &classpath,
        "com.rabbitmq.perf.PerfTest",
        "--uri",
        &settings.amqp_url,
        "--producers",
        "1",
        "--consumers",
        "1",
        "--size",
        &size,
        "--time",
        &time,
        "--queue",
        &queue,
    ];
    args.extend(flags);
    let proc = Proc::spawn_program("java", &args, &[]);
    let out = finish("PerfTest", proc, Duration::from_secs_f64(seconds + 120.0))?;
    let rate = |label: &str| {
        out.stdout.iter().find_map(|line| {
            let rest = &line[line.find(label)? + label.len()..];
            rest.split_whitespace().next()?.parse::<f64>().ok()
        })
    };
    match (rate("sending rate avg: "), rate("receiving rate avg: ")) {
        (Some(sent), Some(received)) => Ok((sent, received)),
        _ => bail!("PerfTest printed no rates: {}", tail(&out)),
    }
}

fn bench_rabbit(settings: &Settings, rows: &mut Rows, have_perf_test: bool) -> anyhow::Result<()> {
    // The consumers get --prefetch 1000 (the demos default to 100): with 100, a consumer that
    // shares 2 cores with the broker and the producer falls behind. PerfTest gets the same
    // --qos, so both clients work under the same limit.
    // (case, binaries, producer flags, consumer flags, PerfTest flags)
    type Case<'a> = (
        &'a str,
        &'a str,
        &'a [&'a str],
        &'a [&'a str],
        &'a [&'a str],
    );
    let cases: [Case; 4] = [
        (
            "rabbit plain",
            "rabbit-simple",
            &[],
            &["--prefetch", "1000"],
            &["--qos", "1000"],
        ),
        (
            "rabbit --confirm",
            "rabbit-simple",
            &["--confirm"],
            &["--prefetch", "1000"],
            &["--confirm", "1024", "--qos", "1000"],
        ),
        (
            "rabbit --persistent --confirm",
            "rabbit-simple",
            &["--persistent", "--confirm"],
            &["--persistent", "--prefetch", "1000"],
            &["--confirm", "1024", "--flag", "persistent", "--qos", "1000"],
        ),
        // The worker consumer acks each task and has prefetch 1, as the chapter teaches.
        (
            "rabbit worker (ack, prefetch 1)",
            "rabbit-worker",
            &[],
            &[],
            &["--qos", "1"],
        ),
    ];
    for (case, mode, producer_flags, consumer_flags, perf_flags) in cases {
        step(case);
        // The prefetch-1 worker consumes ten times slower than its producer publishes: sizing
        // on the faster side makes its consumer run for about a minute.
        let (count, pair) = long_enough(settings, 20_000, 3_000_000, |count| {
            let pair = rabbit_pair(
                mode,
                &unique("bench-q"),
                count,
                producer_flags,
                consumer_flags,
            )?;
            let faster = pair.producer.elapsed.as_secs_f64().min(pair.consumed);
            Ok((pair, faster))
        })?;
        let (sent_ref, received_ref) = if have_perf_test {
            let (sent, received) = perf_test(settings, perf_flags, settings.seconds.max(5.0))?;
            (Some(sent), Some(received))
        } else {
            (None, None)
        };
        let published = pair.producer.elapsed.as_secs_f64();
        rows.push(
            case,
            "publish",
            "ours",
            count,
            published,
            Some(&pair.producer),
            sent_ref,
            "",
        );
        rows.push(
            case,
            "consume",
            "ours",
            count,
            pair.consumed,
            Some(&pair.consumer),
            received_ref,
            "",
        );
        if let (Some(sent), Some(received)) = (sent_ref, received_ref) {
            let s = settings.seconds;
            rows.push(
                case,
                "publish",
                "PerfTest",
                (sent * s).round() as u64,
                s,
                None,
                None,
                "",
            );
            rows.push(
                case,
                "consume",
                "PerfTest",
                (received * s).round() as u64,
                s,
                None,
                None,
                "",
            );
        }
        if case == "rabbit plain" {
            // Memory: the same consumer over 10x fewer messages. Prefetch bounds what it holds.
            let small = rabbit_pair(
                mode,
                &unique("bench-q"),
                count / 10,
                producer_flags,
                consumer_flags,
            )?;
            rows.push(
                case,
                "consume, count/10",
                "ours",
                count / 10,
                small.consumer.elapsed.as_secs_f64(),
                Some(&small.consumer),
                None,
                "peak RSS vs the full run: flat means bounded",
            );
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Kafka

fn kafka_java(
    settings: &Settings,
    name: &str,
    main: &str,
    args: &[&str],
) -> anyhow::Result<Output> {
    let log4j = format!(
        "-Dlog4j.configuration=file:{}",
        settings.kafka_log4j.display()
    );
    let classpath = format!("{}/*", settings.kafka_libs.display());
    let mut argv = vec!["-Xmx512m", &log4j, "-cp", &classpath, main];
    argv.extend(args);
    finish(name, Proc::spawn_program("java", &argv, &[]), TIMEOUT)
}

fn kafka_produce(
    settings: &Settings,
    topic: &str,
    count: u64,
    acks: &str,
) -> anyhow::Result<Output> {
    let (count, size) = (count.to_string(), SIZE.to_string());
    let args = [
        "--topic",
        topic,
        "--count",
        &count,
        "--size",
        &size,
        "--acks",
        acks,
        "--batch",
        "1000",
        "--quiet",
        "--message",
        "m{i}",
        "--kafka-brokers",
        &settings.kafka,
    ];
    finish("kafka-producer", ours("kafka-producer", &args), TIMEOUT)
}

fn kafka_consume(settings: &Settings, topic: &str, count: u64) -> anyhow::Result<Output> {
    let count = count.to_string();
    let args = [
        "--topic",
        topic,
        "--from-beginning",
        "--max-messages",
        &count,
        "--quiet",
        "--kafka-brokers",
        &settings.kafka,
    ];
    finish("kafka-consumer", ours("kafka-consumer", &args), TIMEOUT)
}

fn producer_performance(
    settings: &Settings,
    topic: &str,
    count: u64,
    acks: &str,
) -> anyhow::Result<f64> {
    let (count, size) = (count.to_string(), SIZE.to_string());
    let (servers, acks) = (
        format!("bootstrap.servers={}", settings.kafka),
        format!("acks={acks}"),
    );
    let out = kafka_java(
        settings,
        "ProducerPerformance",
        "org.apache.kafka.tools.ProducerPerformance",
        &[
            "--topic",
            topic,
            "--num-records",
            &count,
            "--record-size",
            &size,
            "--throughput",
            "-1",
            "--producer-props",
            &servers,
            &acks,
        ],
    )?;
    // "<n> records sent, <rate> records/sec (…)"
    out.stdout
        .iter()
        .find_map(|line| {
            let (_, rest) = line.split_once(" records sent, ")?;
            rest.split_whitespace().next()?.parse().ok()
        })
        .with_context(|| format!("ProducerPerformance printed no rate: {}", tail(&out)))
}

fn consumer_performance(settings: &Settings, topic: &str, count: u64) -> anyhow::Result<f64> {
    let count = count.to_string();
    let out = kafka_java(
        settings,
        "ConsumerPerformance",
        "org.apache.kafka.tools.ConsumerPerformance",
        &[
            "--bootstrap-server",
            &settings.kafka,
            "--topic",
            topic,
            "--messages",
            &count,
            "--timeout",
            "60000",
        ],
    )?;
    let header = out.stdout.iter().position(|l| l.starts_with("start.time"));
    let rate = header.and_then(|i| {
        let names: Vec<&str> = out.stdout[i].split(',').map(str::trim).collect();
        let values: Vec<&str> = out.stdout.get(i + 1)?.split(',').map(str::trim).collect();
        // fetch.nMsg.sec leaves out the group join, which our consumer does not do.
        let at = names.iter().position(|n| *n == "fetch.nMsg.sec")?;
        values.get(at)?.parse().ok()
    });
    rate.with_context(|| format!("ConsumerPerformance printed no rate: {}", tail(&out)))
}

/// Deletes every bench-* topic: a run writes gigabytes, and Kafka keeps them for a week.
fn delete_bench_topics(settings: &Settings) -> anyhow::Result<()> {
    kafka_java(
        settings,
        "TopicCommand",
        "org.apache.kafka.tools.TopicCommand",
        &[
            "--bootstrap-server",
            &settings.kafka,
            "--delete",
            "--if-exists",
            "--topic",
            "bench-.*",
        ],
    )?;
    Ok(())
}

fn bench_kafka(settings: &Settings, rows: &mut Rows) -> anyhow::Result<()> {
    let mut consume_topic = String::new();
    let mut consume_count = 0;
    for acks in ["1", "all"] {
        let case = format!("kafka --acks {acks} --batch 1000");
        step(&case);
        let (count, (topic, produced)) = long_enough(settings, 100_000, 10_000_000, |count| {
            let topic = unique(&format!("bench-acks{acks}"));
            let produced = kafka_produce(settings, &topic, count, acks)?;
            let seconds = produced.elapsed.as_secs_f64();
            Ok(((topic, produced), seconds))
        })?;
        let java_acks = if acks == "1" { "1" } else { "-1" };
        let reference = producer_performance(settings, &unique("bench-ref"), count, java_acks)?;
        let seconds = produced.elapsed.as_secs_f64();
        rows.push(
            &case,
            "produce",
            "ours",
            count,
            seconds,
            Some(&produced),
            Some(reference),
            "",
        );
        rows.push(
            &case,
            "produce",
            "ProducerPerformance",
            count,
            count as f64 / reference,
            None,
            None,
            "",
        );
        if acks == "1" {
            (consume_topic, consume_count) = (topic, count);
        }
    }

    let case = "kafka consume --from-beginning";
    step(case);
    let mut stored = consume_count;
    let (count, consumed) = long_enough(settings, consume_count, 30_000_000, |count| {
        // Make the topic long enough first: the consumer reads it from the beginning.
        if count > stored {
            info(&format!(
                "producing {} more messages to read",
                grouped(count - stored)
            ));
            kafka_produce(settings, &consume_topic, count - stored, "1")?;
            stored = count;
        }
        let consumed = kafka_consume(settings, &consume_topic, count)?;
        let seconds = consumed.elapsed.as_secs_f64();
        Ok((consumed, seconds))
    })?;
    let reference = consumer_performance(settings, &consume_topic, count)?;
    let seconds = consumed.elapsed.as_secs_f64();
    rows.push(
        case,
        "consume",
        "ours",
        count,
        seconds,
        Some(&consumed),
        Some(reference),
        "",
    );
    rows.push(
        case,
        "consume",
        "ConsumerPerformance",
        count,
        count as f64 / reference,
        None,
        None,
        "",
    );
    let small = kafka_consume(settings, &consume_topic, count / 10)?;
    rows.push(
        case,
        "consume, count/10",
        "ours",
        count / 10,
        small.elapsed.as_secs_f64(),
        Some(&small),
        None,
        "peak RSS vs the full run: flat means bounded",
    );
    Ok(())
}

// ---------------------------------------------------------------------------------------------

/// Fetches PerfTest once; returns false (and says why) if Maven cannot.
fn fetch_perf_test(settings: &Settings) -> anyhow::Result<bool> {
    let libs = &settings.perf_test_libs;
    let marker = libs.join(".complete");
    if marker.exists() {
        return Ok(true);
    }
    step("Fetching RabbitMQ PerfTest from Maven Central (first run only)");
    std::fs::create_dir_all(libs).with_context(|| format!("creating {}", libs.display()))?;
    let pom = repo_root().join("scripts/bench/perf-test-pom.xml");
    let result = Command::new("mvn")
        .args(["-B", "-q", "--no-transfer-progress", "-f"])
        .arg(&pom)
        .args(["dependency:copy-dependencies", "-DincludeScope=runtime"])
        .arg(format!("-DoutputDirectory={}", libs.display()))
        .stdin(Stdio::null())
        .output();
    let jars = |prefix: &str| -> usize {
        std::fs::read_dir(libs).map_or(0, |dir| {
            dir.filter_map(Result::ok)
                .filter(|e| {
                    let name = e.file_name().to_string_lossy().into_owned();
                    name.starts_with(prefix) && name.ends_with(".jar")
                })
                .count()
        })
    };
    match result {
        Ok(out) if out.status.success() && jars("perf-test-") > 0 => {
            info(&format!("{} jars in {}", jars(""), libs.display()));
            std::fs::write(&marker, "").with_context(|| format!("writing {}", marker.display()))?;
            Ok(true)
        }
        Ok(out) => {
            let text = String::from_utf8_lossy(&out.stderr).into_owned()
                + &String::from_utf8_lossy(&out.stdout);
            info("PerfTest could not be fetched; RabbitMQ rows will have no reference:");
            info(text.trim().lines().last().unwrap_or("no output"));
            Ok(false)
        }
        Err(err) => {
            info(&format!(
                "PerfTest could not be fetched (mvn: {err}); RabbitMQ rows will have no reference"
            ));
            Ok(false)
        }
    }
}

fn machine() -> String {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let cpu = cpuinfo
        .lines()
        .find_map(|l| {
            l.strip_prefix("model name")?
                .split_once(':')
                .map(|(_, v)| v.trim().to_owned())
        })
        .unwrap_or_else(|| "unknown CPU".to_owned());
    let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
    let kib: f64 = meminfo
        .lines()
        .find_map(|l| {
            l.strip_prefix("MemTotal:")?
                .trim()
                .trim_end_matches("kB")
                .trim()
                .parse()
                .ok()
        })
        .unwrap_or(0.0);
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let release = std::fs::read_to_string("/proc/sys/kernel/osrelease").unwrap_or_default();
    format!(
        "{cores} cores ({cpu}), {:.0} GiB, Linux {}",
        kib / (1u64 << 20) as f64,
        release.trim()
    )
}

fn markdown(rows: &[Value]) -> String {
    let mut lines = vec![
        "| Case | Side | Tool | Messages | msg/s | MB/s | CPU s/100k | Peak RSS MB | Ratio to reference |".to_owned(),
        "|---|---|---|---:|---:|---:|---:|---:|---:|".to_owned(),
    ];
    for r in rows {
        let text = |k: &str| r[k].as_str().unwrap_or("").to_owned();
        let number = |k: &str, f: &dyn Fn(f64) -> String| r[k].as_f64().map_or("-".to_owned(), f);
        lines.push(format!(
            "| {} | {} | {} | {} | {} | {:.1} | {} | {} | {} |",
            text("case"),
            text("side"),
            text("tool"),
            grouped(r["messages"].as_u64().unwrap_or(0)),
            grouped(r["msg_per_s"].as_u64().unwrap_or(0)),
            r["mb_per_s"].as_f64().unwrap_or(0.0),
            number("cpu_s_per_100k", &|x| format!("{x:.2}")),
            number("peak_rss_mb", &|x| format!("{x:.0}")),
            number("ratio_to_reference", &|x| format!("{x:.2}x")),
        ));
    }
    lines.join("\n")
}

fn run() -> anyhow::Result<()> {
    let started = Instant::now();
    let settings = Settings::from_env()?;
    for binary in ["rabbit-simple-producer", "kafka-producer", "kafka-consumer"] {
        let path = bin(binary);
        if !path.exists() {
            bail!(
                "{} is missing: `just bench` builds it (cargo build --release)",
                path.display()
            );
        }
    }
    if !settings.kafka_libs.join(".complete").exists() {
        bail!("the Kafka jars are missing: run `just up` (native) once");
    }
    let have_perf_test = fetch_perf_test(&settings)?;
    let mut rows = Rows { rows: Vec::new() };
    bench_rabbit(&settings, &mut rows, have_perf_test)?;
    delete_bench_topics(&settings)?; // left over by an interrupted run
    bench_kafka(&settings, &mut rows)?;
    step("Deleting the bench topics");
    delete_bench_topics(&settings)?;

    let out_dir = repo_root().join("target/bench");
    std::fs::create_dir_all(&out_dir).with_context(|| format!("creating {}", out_dir.display()))?;
    let machine = machine();
    let total = (started.elapsed().as_secs_f64() * 10.0).round() / 10.0;
    let report = json!({
        "machine": machine,
        "message_bytes": SIZE,
        "target_seconds_per_run": settings.seconds,
        "total_seconds": total,
        "rows": rows.rows,
    });
    let table = markdown(&rows.rows);
    let json_path = out_dir.join("results.json");
    std::fs::write(&json_path, serde_json::to_string_pretty(&report)? + "\n")
        .with_context(|| format!("writing {}", json_path.display()))?;
    std::fs::write(
        out_dir.join("results.md"),
        format!("Machine: {machine}\n\n{table}\n"),
    )
    .context("writing results.md")?;
    println!();
    println!("Machine: {machine}; {SIZE}-byte messages; brokers on the same machine.");
    println!("{table}");
    println!(
        "\nWritten: {} and results.md ({total} s in all)",
        json_path.display()
    );
    Ok(())
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::FAILURE
        }
    }
}
