//! Helpers for the broker-backed tests in `tests/`: find the demo binaries, run them with a
//! deadline, and read what they printed.
//!
//! The binaries are those of the workspace's other crates, so build them first:
//! `cargo build --workspace --bins` (`just test` does). A test that needs a broker and cannot
//! reach one fails with "run: just up"; it never passes silently.

// Test support: a failed expectation should stop the test with its message.
#![allow(clippy::expect_used)]

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// The path of a workspace binary of the same profile: next to the test executable's `deps/`
/// folder, or next to the running binary (the bench).
pub fn bin(name: &str) -> PathBuf {
    let exe = std::env::current_exe().expect("current_exe");
    let mut dir = exe.parent().expect("target dir");
    if dir.ends_with("deps") {
        dir = dir.parent().expect("target dir");
    }
    let path = dir.join(name);
    assert!(
        path.exists(),
        "{} is missing: run `cargo build --workspace --bins` first (`just test` does)",
        path.display()
    );
    path
}

/// The settings `just up` wrote to `.env`, overridden by the environment.
pub fn setting(name: &str) -> String {
    if let Ok(value) = std::env::var(name) {
        return value;
    }
    let values: HashMap<String, String> = dotenvy::from_path_iter(repo_root().join(".env"))
        .map(|iter| iter.filter_map(Result::ok).collect())
        .unwrap_or_default();
    values
        .get(name)
        .cloned()
        .unwrap_or_else(|| panic!("{name} is not set and .env has none: run: just up"))
}

/// The `KEY=VALUE` lines of a settings file of the repository (`docker/brokers.env`,
/// `docker/kafka.env`, `.env.example`), or the `key = value` lines of `docker/rabbitmq.conf`.
pub fn settings_file(path: &str) -> HashMap<String, String> {
    let text = std::fs::read_to_string(repo_root().join(path))
        .unwrap_or_else(|err| panic!("read {path}: {err}"));
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .filter_map(|line| line.split_once('='))
        .map(|(key, value)| (key.trim().to_owned(), value.trim().to_owned()))
        .collect()
}

/// Fails the test unless something listens on 127.0.0.1:`port`.
pub fn require(what: &str, port: u16) {
    if TcpStream::connect_timeout(&([127, 0, 0, 1], port).into(), Duration::from_secs(2)).is_err() {
        panic!("{what} is not reachable on 127.0.0.1:{port}: run: just up");
    }
}

pub fn require_rabbitmq() {
    require("RabbitMQ", 5672);
}

pub fn require_kafka() {
    require("Kafka", 9092);
}

/// A name no other test (or earlier run) uses.
pub fn unique(prefix: &str) -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock after 1970")
        .as_nanos();
    format!(
        "{prefix}-{}-{}",
        std::process::id(),
        nanos % 1_000_000_000_000
    )
}

/// What a finished process printed, and what it used.
#[derive(Debug)]
pub struct Output {
    pub status: ExitStatus,
    pub stdout: Vec<String>,
    pub stderr: String,
    pub elapsed: Duration,
    pub usage: Usage,
}

/// CPU time (user + system) and peak RSS of a process, read from `/proc/PID/stat` and the
/// `VmHWM` line of `/proc/PID/status` every 20 ms, and once more after it exits and before it is
/// reaped (a zombie still shows its final CPU times). `rusage` from `wait4` would give the
/// CPU time too, but its peak RSS is inherited across `fork`+`exec`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Usage {
    pub cpu: Duration,
    pub peak_rss_kib: u64,
}

/// Samples [`Usage`] until the process exits; `done` turns true once the final values are in.
fn sample_usage(pid: u32, usage: Arc<Mutex<Usage>>, done: Arc<std::sync::atomic::AtomicBool>) {
    // /proc reports times in USER_HZ, which Linux fixes at 100 per second.
    const TICKS_PER_SECOND: u64 = 100;
    loop {
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
        // The fields after the command name, which is in parentheses and may hold spaces.
        let fields: Vec<&str> = stat
            .rsplit_once(')')
            .map(|(_, rest)| rest.split_whitespace().collect())
            .unwrap_or_default();
        let state = fields.first().copied().unwrap_or("X");
        let ticks = |i: usize| {
            fields
                .get(i)
                .and_then(|f| f.parse::<u64>().ok())
                .unwrap_or(0)
        };
        {
            let mut usage = usage.lock().expect("usage lock");
            // utime and stime are fields 14 and 15 of stat, 12 and 13 after the name.
            let cpu_ticks = ticks(11) + ticks(12);
            if cpu_ticks > 0 {
                usage.cpu = Duration::from_millis(cpu_ticks * 1000 / TICKS_PER_SECOND);
            }
            let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
            if let Some(kib) = status
                .lines()
                .find_map(|line| line.strip_prefix("VmHWM:"))
                .and_then(|rest| {
                    rest.trim()
                        .trim_end_matches("kB")
                        .trim()
                        .parse::<u64>()
                        .ok()
                })
            {
                usage.peak_rss_kib = usage.peak_rss_kib.max(kib);
            }
        }
        if state == "Z" || state == "X" {
            done.store(true, std::sync::atomic::Ordering::SeqCst);
            return;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

impl Output {
    /// The bodies of ` [x] Received <body> (routing key <k>)` lines, as (body, key).
    pub fn received(&self) -> Vec<(String, String)> {
        self.stdout
            .iter()
            .filter_map(|line| line.strip_prefix(" [x] Received "))
            .map(|rest| {
                let rest = rest.trim_end_matches(" (redelivered)");
                let (body, key) = rest.rsplit_once(" (routing key ").expect("routing key");
                (body.to_owned(), key.trim_end_matches(')').to_owned())
            })
            .collect()
    }

    /// Just the bodies of [`Output::received`], in the order received.
    pub fn bodies(&self) -> Vec<String> {
        self.received().into_iter().map(|(body, _)| body).collect()
    }

    /// `Partition:<p> Offset:<o> Key:<k> Value:<v>` lines, as (p, o, k, v).
    pub fn kafka_messages(&self) -> Vec<(i32, i64, String, String)> {
        self.stdout
            .iter()
            .filter_map(|line| {
                let rest = line.strip_prefix("Partition:")?;
                let (p, rest) = rest.split_once(" Offset:")?;
                let (o, rest) = rest.split_once(" Key:")?;
                let (k, v) = rest.split_once(" Value:")?;
                Some((p.parse().ok()?, o.parse().ok()?, k.to_owned(), v.to_owned()))
            })
            .collect()
    }

    pub fn success(&self) -> bool {
        self.status.success()
    }

    /// Asserts a clean failure: non-zero exit, one `error:` line naming `needle`, no panic.
    pub fn assert_clean_failure(&self, needle: &str) {
        assert!(
            !self.status.success(),
            "expected a failure, got success: {self:?}"
        );
        assert!(
            self.stderr.contains(needle),
            "stderr should mention {needle:?}: {}",
            self.stderr
        );
        assert!(
            !self.stderr.contains("panicked") && !self.stderr.contains("stack backtrace"),
            "a panic instead of an error: {}",
            self.stderr
        );
        assert!(
            self.elapsed < Duration::from_secs(10),
            "took {:?}",
            self.elapsed
        );
    }
}

/// A running demo binary whose stdout is collected line by line.
#[derive(Debug)]
pub struct Proc {
    child: Child,
    lines: Arc<Mutex<Vec<String>>>,
    stdout_reader: Option<JoinHandle<()>>,
    stderr_reader: Option<JoinHandle<String>>,
    usage: Arc<Mutex<Usage>>,
    exited: Arc<std::sync::atomic::AtomicBool>,
    started: Instant,
}

impl Proc {
    pub fn spawn(name: &str, args: &[&str]) -> Self {
        Self::spawn_with_env(name, args, &[])
    }

    pub fn spawn_with_env(name: &str, args: &[&str], env: &[(&str, &str)]) -> Self {
        Self::spawn_program(&bin(name).to_string_lossy(), args, env)
    }

    /// Starts any program (`java` for the bench's reference tools), found on the PATH.
    pub fn spawn_program(program: &str, args: &[&str], env: &[(&str, &str)]) -> Self {
        let mut command = Command::new(program);
        command
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        for (key, value) in env {
            command.env(key, value);
        }
        let mut child = command
            .spawn()
            .unwrap_or_else(|err| panic!("cannot start {program}: {err}"));
        let lines = Arc::new(Mutex::new(Vec::new()));
        let stdout = child.stdout.take().expect("stdout");
        let sink = Arc::clone(&lines);
        let stdout_reader = std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                match line {
                    Ok(line) => sink.lock().expect("lines lock").push(line),
                    Err(_) => break,
                }
            }
        });
        let mut stderr = child.stderr.take().expect("stderr");
        let stderr_reader = std::thread::spawn(move || {
            let mut text = String::new();
            let _ = stderr.read_to_string(&mut text);
            text
        });
        let usage = Arc::new(Mutex::new(Usage::default()));
        let exited = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let (pid, sink, done) = (child.id(), Arc::clone(&usage), Arc::clone(&exited));
        std::thread::spawn(move || sample_usage(pid, sink, done));
        Self {
            child,
            lines,
            stdout_reader: Some(stdout_reader),
            stderr_reader: Some(stderr_reader),
            usage,
            exited,
            started: Instant::now(),
        }
    }

    pub fn lines(&self) -> Vec<String> {
        self.lines.lock().expect("lines lock").clone()
    }

    /// Waits until a stdout line contains `needle` `count` times.
    pub fn wait_for(&self, needle: &str, count: usize, timeout: Duration) {
        self.wait_until(timeout, &format!("{count}× {needle:?}"), |lines| {
            lines.iter().filter(|l| l.contains(needle)).count() >= count
        });
    }

    /// Waits for a consumer to be subscribed (RabbitMQ) or assigned (Kafka).
    pub fn wait_ready(&self) {
        self.wait_until(Duration::from_secs(20), "the consumer to start", |lines| {
            lines
                .iter()
                .any(|l| l.contains("Waiting for messages") || l.starts_with('['))
        });
    }

    fn wait_until(&self, timeout: Duration, what: &str, done: impl Fn(&[String]) -> bool) {
        let deadline = Instant::now() + timeout;
        while !done(&self.lines()) {
            assert!(
                Instant::now() < deadline,
                "no {what} within {timeout:?}: {:?}",
                self.lines()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    pub fn kill(&mut self) {
        let _ = self.child.kill(); // SIGKILL on Unix
    }

    /// Waits for exit, killing the process (and failing) after `timeout`.
    pub fn finish(self, timeout: Duration) -> Output {
        self.try_finish(timeout)
            .unwrap_or_else(|err| panic!("{err}"))
    }

    /// Waits for exit; after `timeout`, kills the process and says what it printed.
    pub fn try_finish(mut self, timeout: Duration) -> Result<Output, String> {
        let deadline = Instant::now() + timeout;
        // The sampler sees the exit first (the zombie keeps its CPU times); only then is the
        // process reaped.
        while !self.exited.load(std::sync::atomic::Ordering::SeqCst) {
            if Instant::now() > deadline {
                self.child.kill().ok();
                let status = self.child.wait().expect("wait");
                let stderr = self
                    .stderr_reader
                    .take()
                    .map(|r| r.join().expect("stderr reader"))
                    .unwrap_or_default();
                return Err(format!(
                    "did not exit within {timeout:?} ({status}); stdout: {:?}; stderr: {stderr}",
                    self.lines()
                ));
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        let status = self.child.wait().expect("wait");
        let elapsed = self.started.elapsed();
        if let Some(reader) = self.stdout_reader.take() {
            reader.join().expect("stdout reader");
        }
        let stderr = self
            .stderr_reader
            .take()
            .map(|r| r.join().expect("stderr reader"))
            .unwrap_or_default();
        let usage = *self.usage.lock().expect("usage lock");
        Ok(Output {
            status,
            stdout: self.lines(),
            stderr,
            elapsed,
            usage,
        })
    }
}

/// Runs a binary to completion (at most 60 s).
pub fn run(name: &str, args: &[&str]) -> Output {
    Proc::spawn(name, args).finish(Duration::from_secs(60))
}

/// Runs a binary with extra environment variables to completion (at most 60 s).
pub fn run_with_env(name: &str, args: &[&str], env: &[(&str, &str)]) -> Output {
    Proc::spawn_with_env(name, args, env).finish(Duration::from_secs(60))
}

/// The workspace's top folder.
pub fn repo_root() -> PathBuf {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    root.canonicalize().unwrap_or(root)
}

/// Runs one of the repository's scripts (those behind the `just` recipes) to completion and
/// fails the test, with what it printed, if it fails.
fn run_script(script: &str, args: &[&str]) {
    let out = Command::new(repo_root().join(script))
        .args(args)
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|err| panic!("run {script}: {err}"));
    assert!(
        out.status.success(),
        "{script} {args:?} failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Restarts one broker (`rabbitmq` or `kafka`) through `scripts/restart.sh`, the script behind
/// `just restart`, and waits until it answers again. Only the fault tests call this: they run
/// one at a time, apart from the other tests (`just test-faults`).
pub fn restart_broker(broker: &str) -> Duration {
    let started = Instant::now();
    run_script("scripts/restart.sh", &[broker]);
    started.elapsed()
}

/// Creates a Kafka topic the way `just kafka-topic NAME PARTITIONS` does: Kafka's own
/// TopicCommand, through `scripts/kafka-topic.sh`.
pub fn create_topic(topic: &str, partitions: u32) {
    run_script(
        "scripts/kafka-topic.sh",
        &["create", topic, &partitions.to_string()],
    );
}
