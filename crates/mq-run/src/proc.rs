//! Running a chapter's binary (or any program): its stdout line by line, its stderr, its exit,
//! and what it used (CPU time, peak RSS).

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use mq_common::lines;

use crate::procfs;
use crate::repo::bin;
use crate::stop;

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

/// A lock that a panicked holder did not poison for the others: the data is lines and numbers.
fn locked<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Samples [`Usage`] until the process exits; `done` turns true once the final values are in.
fn sample_usage(pid: u32, usage: &Mutex<Usage>, done: &AtomicBool) {
    // /proc reports times in USER_HZ, which Linux fixes at 100 per second.
    const TICKS_PER_SECOND: u64 = 100;
    loop {
        let stat = procfs::stat(pid);
        {
            let mut usage = locked(usage);
            let cpu_ticks = stat.as_ref().map_or(0, |s| s.utime + s.stime);
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
        if stat.as_ref().is_none_or(procfs::Stat::ended) {
            done.store(true, Ordering::SeqCst);
            return;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

impl Output {
    /// The bodies of ` [x] Received <body> (routing key <k>)` lines, as (body, key). A line
    /// without a routing key (a stream's) has an empty key.
    pub fn received(&self) -> Vec<(String, String)> {
        self.stdout
            .iter()
            .filter_map(|line| line.strip_prefix(lines::RECEIVED)?.strip_prefix(' '))
            .map(|rest| {
                let rest = rest.trim_end_matches(" (redelivered)");
                match rest.rsplit_once(" (routing key ") {
                    Some((body, key)) => (body.to_owned(), key.trim_end_matches(')').to_owned()),
                    None => (rest.to_owned(), String::new()),
                }
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
                let rest = line.strip_prefix(lines::KAFKA_MESSAGE)?;
                let (p, rest) = rest.split_once(" Offset:")?;
                let (o, rest) = rest.split_once(" Key:")?;
                let (k, v) = rest.split_once(" Value:")?;
                Some((p.parse().ok()?, o.parse().ok()?, k.to_owned(), v.to_owned()))
            })
            .collect()
    }

    /// How many messages it reports received, on either broker ([`lines::is_message`]).
    pub fn messages(&self) -> usize {
        self.stdout.iter().filter(|l| lines::is_message(l)).count()
    }

    pub fn success(&self) -> bool {
        self.status.success()
    }
}

/// A running program whose stdout is collected line by line (and, when it has a label, also
/// printed as it comes, each line after `[label] `, its stderr too).
#[derive(Debug)]
pub struct Proc {
    child: Child,
    lines: Arc<Mutex<Vec<String>>>,
    stdout_reader: Option<JoinHandle<()>>,
    stderr_reader: Option<JoinHandle<String>>,
    arrived: Arc<Mutex<Vec<u128>>>,
    usage: Arc<Mutex<Usage>>,
    exited: Arc<AtomicBool>,
    started: Instant,
}

/// Prints one labelled line; a closed stdout is ignored (the run goes on).
fn echo(label: &str, line: &str) {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "[{label}] {line}");
    let _ = out.flush();
}

impl Proc {
    /// Starts a workspace binary built next to the running program.
    pub fn spawn(name: &str, args: &[&str]) -> anyhow::Result<Self> {
        Self::spawn_with_env(name, args, &[])
    }

    pub fn spawn_with_env(name: &str, args: &[&str], env: &[(&str, &str)]) -> anyhow::Result<Self> {
        Self::spawn_program(&bin(name)?, args, env)
    }

    /// Starts any program (`java` for the bench's reference tools), found on the PATH.
    pub fn spawn_program(
        program: impl AsRef<Path>,
        args: &[&str],
        env: &[(&str, &str)],
    ) -> anyhow::Result<Self> {
        let mut command = Command::new(program.as_ref());
        command
            .args(args)
            // The class tools speak the locale's language (MQ_LANG, LANG): what is matched
            // here is English, whatever the machine's locale, unless `env` says otherwise.
            .env("MQ_LANG", "en");
        for (key, value) in env {
            command.env(key, value);
        }
        Self::start(command, None)
    }

    /// Starts `command` (stdin closed, stdout and stderr read here). With a label, every line it
    /// prints is also printed here after `[label] `, as it comes.
    pub fn start(mut command: Command, label: Option<&str>) -> anyhow::Result<Self> {
        command
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let program = command.get_program().to_string_lossy().into_owned();
        let mut child = command
            .spawn()
            .with_context(|| format!("cannot start {program}"))?;
        stop::remember(child.id(), stop::Kind::Process);
        let (Some(stdout), Some(mut stderr)) = (child.stdout.take(), child.stderr.take()) else {
            bail!("{program}: no pipe to read its output from");
        };
        let lines = Arc::new(Mutex::new(Vec::new()));
        let arrived = Arc::new(Mutex::new(Vec::new()));
        let (sink, stamps, shown) = (
            Arc::clone(&lines),
            Arc::clone(&arrived),
            label.map(str::to_owned),
        );
        let stdout_reader = std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                let now = std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(0, |t| t.as_micros());
                if let Some(label) = &shown {
                    echo(label, &line);
                }
                // Both under the lines lock: a line and its time are pushed together.
                let mut lines = locked(&sink);
                locked(&stamps).push(now);
                lines.push(line);
            }
        });
        let shown = label.map(str::to_owned);
        let stderr_reader = std::thread::spawn(move || {
            let mut text = String::new();
            let mut reader = BufReader::new(&mut stderr);
            let mut line = String::new();
            while reader.read_line(&mut line).unwrap_or(0) > 0 {
                if let Some(label) = &shown {
                    echo(label, line.trim_end_matches('\n'));
                }
                text.push_str(&line);
                line.clear();
            }
            text
        });
        let usage = Arc::new(Mutex::new(Usage::default()));
        let exited = Arc::new(AtomicBool::new(false));
        let (pid, sink, done) = (child.id(), Arc::clone(&usage), Arc::clone(&exited));
        std::thread::spawn(move || sample_usage(pid, &sink, &done));
        Ok(Self {
            child,
            lines,
            arrived,
            stdout_reader: Some(stdout_reader),
            stderr_reader: Some(stderr_reader),
            usage,
            exited,
            started: Instant::now(),
        })
    }

    pub fn id(&self) -> u32 {
        self.child.id()
    }

    pub fn lines(&self) -> Vec<String> {
        locked(&self.lines).clone()
    }

    /// How many stdout lines so far satisfy `matches`.
    pub fn count(&self, matches: impl Fn(&str) -> bool) -> usize {
        locked(&self.lines).iter().filter(|l| matches(l)).count()
    }

    /// Waits until `count` stdout lines contain `needle`; an error (with what it printed) if
    /// the process exits first or `timeout` passes.
    pub fn wait_for(&self, needle: &str, count: usize, timeout: Duration) -> anyhow::Result<()> {
        self.wait_until(
            &format!("{count}× {needle:?}"),
            timeout,
            |l| l.contains(needle),
            count,
        )
    }

    /// Waits for a consumer to be subscribed (RabbitMQ) or assigned (Kafka):
    /// [`lines::is_ready`].
    pub fn wait_ready(&self, timeout: Duration) -> anyhow::Result<()> {
        self.wait_until("the consumer to start", timeout, lines::is_ready, 1)
    }

    /// Waits until `count` stdout lines satisfy `matches`.
    pub fn wait_until(
        &self,
        what: &str,
        timeout: Duration,
        matches: impl Fn(&str) -> bool,
        count: usize,
    ) -> anyhow::Result<()> {
        let deadline = Instant::now() + timeout;
        loop {
            if self.count(&matches) >= count {
                return Ok(());
            }
            if self.has_exited() {
                // The last lines may still be in the pipe: one more look.
                std::thread::sleep(Duration::from_millis(50));
                if self.count(&matches) >= count {
                    return Ok(());
                }
                bail!("it ended before printing {what}: {:?}", self.lines());
            }
            if Instant::now() > deadline {
                bail!("no {what} within {timeout:?}: {:?}", self.lines());
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// True once the process has exited (it is reaped only by `try_finish`).
    pub fn has_exited(&self) -> bool {
        self.exited.load(Ordering::SeqCst)
    }

    /// Waits until a stdout line contains `needle` `count` times; false if the process exits
    /// first or `timeout` passes.
    pub fn saw(&self, needle: &str, count: usize, timeout: Duration) -> bool {
        self.wait_for(needle, count, timeout).is_ok()
    }

    /// SIGKILL: no chance to clean up (the chapters' "a consumer dies" steps).
    pub fn kill(&mut self) {
        let _ = self.child.kill();
    }

    /// SIGINT, as Ctrl+C in a terminal.
    pub fn interrupt(&self) {
        self.signal(nix::sys::signal::Signal::SIGINT);
    }

    /// SIGTERM, as `kill PID`.
    pub fn terminate(&self) {
        self.signal(nix::sys::signal::Signal::SIGTERM);
    }

    fn signal(&self, signal: nix::sys::signal::Signal) {
        if let Ok(pid) = i32::try_from(self.child.id()) {
            let _ = nix::sys::signal::kill(nix::unistd::Pid::from_raw(pid), signal);
        }
    }

    /// Waits for exit; after `timeout`, kills the process and says what it printed.
    pub fn try_finish(mut self, timeout: Duration) -> anyhow::Result<Output> {
        let deadline = Instant::now() + timeout;
        // The sampler sees the exit first (the zombie keeps its CPU times); only then is the
        // process reaped.
        while !self.exited.load(Ordering::SeqCst) {
            if Instant::now() > deadline {
                let _ = self.child.kill();
                let status = self.child.wait().context("wait for the process")?;
                stop::forget(self.child.id());
                let stderr = self.join_stderr();
                bail!(
                    "did not exit within {timeout:?} ({status}); stdout: {:?}; stderr: {stderr}",
                    self.lines()
                );
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        let status = self.child.wait().context("wait for the process")?;
        stop::forget(self.child.id());
        let elapsed = self.started.elapsed();
        if let Some(reader) = self.stdout_reader.take() {
            let _ = reader.join();
        }
        let stderr = self.join_stderr();
        let usage = *locked(&self.usage);
        let arrived = locked(&self.arrived).clone();
        Ok(Output {
            status,
            stdout: self.lines(),
            arrived,
            stderr,
            elapsed,
            usage,
        })
    }

    fn join_stderr(&mut self) -> String {
        self.stderr_reader
            .take()
            .and_then(|r| r.join().ok())
            .unwrap_or_default()
    }
}
