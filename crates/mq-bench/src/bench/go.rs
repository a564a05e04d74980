//! The Go tutorial as a reference: `scripts/bench/go` does what the tutorial's programs do,
//! with its libraries (streadway/amqp, IBM/sarama), and takes the same count, size, prefetch
//! and ack mode as our binaries. Each comparison runs both sides three times
//! and reports the median rate and the median CPU seconds per 100k messages of each side.

use std::path::PathBuf;
use std::process::{Command, Stdio};

use mq_run::{Output, Proc, repo_root};

use super::{TIMEOUT, finish, info, step};

/// Runs per side; the rows show the median (these machines are noisy).
pub(crate) const RUNS: usize = 3;

/// The reference program, or why there is none.
pub(crate) enum Go {
    Ready(PathBuf),
    Missing(String),
}

impl Go {
    /// Builds `scripts/bench/go` into target/bench with the Go toolchain, if there is one.
    pub(crate) fn build() -> anyhow::Result<Self> {
        step("Building the Go tutorial's reference (scripts/bench/go, Go modules)");
        let root = repo_root()?;
        let binary = root.join("target/bench/go-tutorial");
        let result = Command::new("go")
            .arg("build")
            .arg("-o")
            .arg(&binary)
            .arg(".")
            .current_dir(root.join("scripts/bench/go"))
            .stdin(Stdio::null())
            .output();
        let go = match result {
            Ok(out) if out.status.success() => Go::Ready(binary),
            Ok(out) => {
                let text = String::from_utf8_lossy(&out.stderr);
                let last = text.trim().lines().last().unwrap_or("no output").to_owned();
                Go::Missing(format!("`go build` in scripts/bench/go failed: {last}"))
            }
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => Go::Missing(
                "Go is not installed (https://go.dev/dl/): no Go reference rows".to_owned(),
            ),
            Err(err) => Go::Missing(format!("`go build` could not start: {err}")),
        };
        match &go {
            Go::Ready(path) => info(&format!("built {}", path.display())),
            Go::Missing(reason) => info(reason),
        }
        Ok(go)
    }

    /// Runs one mode of the reference program to completion.
    pub(crate) fn run(path: &std::path::Path, mode: &str, args: &str) -> anyhow::Result<Output> {
        let mut all = vec![mode];
        all.extend(args.split_whitespace());
        finish(
            &format!("go-tutorial {mode}"),
            Proc::spawn_program(path, &all, &[])?,
            TIMEOUT,
        )
    }
}

/// One run of one side: what the rows need of it.
#[derive(Clone, Copy)]
pub(crate) struct Sample {
    pub messages: u64,
    pub seconds: f64,
    pub cpu_seconds: f64,
    pub peak_rss_kib: u64,
}

impl Sample {
    /// `messages` moved by the process of `out`, timed from its start to its exit.
    pub(crate) fn of(messages: u64, out: &Output) -> Self {
        Self {
            messages,
            seconds: out.elapsed.as_secs_f64(),
            cpu_seconds: out.usage.cpu.as_secs_f64(),
            peak_rss_kib: out.usage.peak_rss_kib,
        }
    }

    pub(crate) fn rate(&self) -> f64 {
        self.messages as f64 / self.seconds.max(1e-9)
    }

    pub(crate) fn cpu_per_100k(&self) -> f64 {
        self.cpu_seconds / self.messages as f64 * 1e5
    }
}

/// The median of each measure over the runs of one side.
pub(crate) struct Medians {
    pub rate: f64,
    pub cpu_per_100k: f64,
    pub peak_rss_kib: u64,
    pub messages: u64,
    pub runs: usize,
}

pub(crate) fn medians(samples: &[Sample]) -> Medians {
    let median = |f: &dyn Fn(&Sample) -> f64| {
        let mut values: Vec<f64> = samples.iter().map(f).collect();
        values.sort_by(f64::total_cmp);
        values.get(values.len() / 2).copied().unwrap_or(0.0)
    };
    Medians {
        rate: median(&Sample::rate),
        cpu_per_100k: median(&Sample::cpu_per_100k),
        peak_rss_kib: median(&|s| s.peak_rss_kib as f64) as u64,
        messages: samples.first().map_or(0, |s| s.messages),
        runs: samples.len(),
    }
}
