//! Running a demo binary (or any program): its stdout line by line, its stderr, its exit, and
//! what it used (CPU time, peak RSS). The tests, the exercise checker (`mq-class`) and the bench (`mq-bench`) share it.

// Test support: a failed expectation should stop the test with its message.
#![allow(clippy::expect_used)]

use std::io::{BufRead, BufReader, Read};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::bin;

/// What a finished process printed, and what it used.
#[derive(Debug)]
pub struct Output {
    pub status: ExitStatus,
    pub stdout: Vec<String>,
    /// When each stdout line was read, in microseconds since 1970 (the bench's latency).
    pub arrived: Vec<u128>,
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
    arrived: Arc<Mutex<Vec<u128>>>,
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
            .stderr(Stdio::piped())
            // The class tools speak the locale's language (MQ_LANG, LANG): what is matched
            // here is English, whatever the machine's locale, unless `env` says otherwise.
            .env("MQ_LANG", "en");
        for (key, value) in env {
            command.env(key, value);
        }
        let mut child = command
            .spawn()
            .unwrap_or_else(|err| panic!("cannot start {program}: {err}"));
        let lines = Arc::new(Mutex::new(Vec::new()));
        let arrived = Arc::new(Mutex::new(Vec::new()));
        let stdout = child.stdout.take().expect("stdout");
        let (sink, stamps) = (Arc::clone(&lines), Arc::clone(&arrived));
        let stdout_reader = std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                let now = std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(0, |t| t.as_micros());
                // Both under the lines lock's order: a line and its time are pushed together.
                let mut lines = sink.lock().expect("lines lock");
                stamps.lock().expect("arrivals lock").push(now);
                lines.push(line);
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
            arrived,
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

    /// True once the process has exited (it is reaped only by `finish`).
    pub fn has_exited(&self) -> bool {
        self.exited.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// Waits until a stdout line contains `needle` `count` times; false if the process exits
    /// first or `timeout` passes. Never panics: the exercise checker reports instead.
    pub fn saw(&self, needle: &str, count: usize, timeout: Duration) -> bool {
        let deadline = Instant::now() + timeout;
        loop {
            if self.lines().iter().filter(|l| l.contains(needle)).count() >= count {
                return true;
            }
            if self.has_exited() || Instant::now() > deadline {
                return false;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    pub fn kill(&mut self) {
        let _ = self.child.kill(); // SIGKILL on Unix
    }

    /// Sends SIGINT, as Ctrl+C in a terminal does.
    pub fn interrupt(&self) {
        let _ = Command::new("kill")
            .args(["-INT", &self.child.id().to_string()])
            .status();
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
        let arrived = self.arrived.lock().expect("arrivals lock").clone();
        Ok(Output {
            status,
            stdout: self.lines(),
            arrived,
            stderr,
            elapsed,
            usage,
        })
    }
}
