//! The bench's rows, and the table and JSON made of them.

use std::path::Path;
use std::time::Duration;

use anyhow::Context;
use mq_run::Output;
use serde_json::{Value, json};

use super::go::{self, Sample};
use super::{SIZE, Settings, info};

// The tables of the reliability settings and of the streams comparison.
mod tables;

#[derive(Default)]
pub(crate) struct Rows {
    rows: Vec<Value>,
    /// The reliability settings' throughput and latency (`sweep.rs`).
    settings: Vec<Value>,
    /// Streams beside queues and Kafka (`streams.rs`).
    streams: Vec<Value>,
}

/// One row's measurements: `out` gives CPU and memory for our own processes, `reference` the
/// rate of the broker's own tool in the same run.
pub(crate) struct Measured<'a> {
    pub messages: u64,
    pub seconds: f64,
    pub out: Option<&'a Output>,
    pub reference: Option<f64>,
    pub note: &'a str,
}

impl<'a> Measured<'a> {
    /// One of our processes: `messages` in `seconds`.
    pub fn ours(messages: u64, seconds: f64, out: &'a Output, reference: Option<f64>) -> Self {
        Self {
            messages,
            seconds,
            out: Some(out),
            reference,
            note: "",
        }
    }

    /// A reference tool's rate over the same `messages`.
    pub fn tool(messages: u64, seconds: f64) -> Self {
        Self {
            messages,
            seconds,
            out: None,
            reference: None,
            note: "",
        }
    }
}

fn round(x: f64, digits: i32) -> f64 {
    (x * 10f64.powi(digits)).round() / 10f64.powi(digits)
}

impl Rows {
    /// The rows of an earlier run's results.json, without its settings rows (`keep_settings`
    /// false) or without its streams rows (true).
    pub(crate) fn from_previous(path: &Path, keep_settings: bool) -> anyhow::Result<Self> {
        let text = std::fs::read_to_string(path).with_context(|| {
            format!(
                "reading {} (BENCH_ONLY=sweep and streams need a full run first)",
                path.display()
            )
        })?;
        let report: Value = serde_json::from_str(&text)
            .with_context(|| format!("{} is not JSON", path.display()))?;
        let rows = report["rows"].as_array().cloned().unwrap_or_default();
        let kept = |key: &str| report[key].as_array().cloned().unwrap_or_default();
        let (settings, streams) = if keep_settings {
            (kept("settings"), Vec::new())
        } else {
            (Vec::new(), kept("streams"))
        };
        Ok(Self {
            rows,
            settings,
            streams,
        })
    }

    /// One reliability setting's row (`sweep.rs`).
    pub(crate) fn setting(&mut self, row: Value) {
        self.settings.push(row);
    }

    /// One subject of the streams comparison (`streams.rs`).
    pub(crate) fn stream(&mut self, row: Value) {
        self.streams.push(row);
    }

    pub(crate) fn push(&mut self, case: &str, side: &str, tool: &str, m: Measured) {
        let rate = if m.seconds > 0.0 {
            m.messages as f64 / m.seconds
        } else {
            0.0
        };
        let ratio = m.reference.map(|r| round(rate / r, 2));
        let per_100k = |o: &Output| round(o.usage.cpu.as_secs_f64() / m.messages as f64 * 1e5, 3);
        self.rows.push(json!({
            "case": case,
            "side": side,
            "tool": tool,
            "messages": m.messages,
            "seconds": round(m.seconds, 3),
            "msg_per_s": rate.round() as u64,
            "mb_per_s": round(rate * SIZE as f64 / 1e6, 2),
            "cpu_s_per_100k": m.out.map(per_100k),
            "peak_rss_mb": m.out.map(|o| round(o.usage.peak_rss_kib as f64 / 1024.0, 1)),
            "reference_msg_per_s": m.reference.map(|r| r.round() as u64),
            "ratio_to_reference": ratio,
            "note": m.note,
        }));
        let shown = ratio.map_or("-".to_owned(), |r| format!("{r:.2}x"));
        let rate = grouped(rate.round() as u64);
        info(&format!(
            "{case} / {side} ({tool}): {rate} msg/s, ratio {shown}"
        ));
    }

    /// The same work done by our binary and by the Go tutorial's code, [`go::RUNS`] times each:
    /// a row per side with the medians, ours carrying `ratio_to_go` (throughput: above 1 is
    /// faster than Go; CPU per message: below 1 is cheaper). `go` is `Err(why)` when the Go
    /// reference could not be built.
    pub(crate) fn vs_go(
        &mut self,
        case: &str,
        side: &str,
        ours: &[Sample],
        go: Result<&[Sample], &str>,
        go_tool: &str,
    ) {
        let mine = go::medians(ours);
        let theirs = go.map(go::medians);
        let ratio = theirs.as_ref().ok().map(|g| {
            json!({
                "msg_per_s": round(mine.rate / g.rate, 2),
                "cpu_s_per_100k": round(mine.cpu_per_100k / g.cpu_per_100k, 2),
            })
        });
        let row = |tool: &str, m: &go::Medians, ratio: Option<Value>, note: &str| {
            json!({
                "case": case,
                "side": side,
                "tool": tool,
                "messages": m.messages,
                "runs": m.runs,
                "msg_per_s": m.rate.round() as u64,
                "mb_per_s": round(m.rate * SIZE as f64 / 1e6, 2),
                "cpu_s_per_100k": round(m.cpu_per_100k, 3),
                "peak_rss_mb": round(m.peak_rss_kib as f64 / 1024.0, 1),
                "ratio_to_go": ratio,
                "note": note,
            })
        };
        let note = go.err().unwrap_or("median of the runs");
        self.rows.push(row("ours", &mine, ratio.clone(), note));
        match &theirs {
            Ok(g) => {
                self.rows.push(row(go_tool, g, None, "median of the runs"));
                info(&format!(
                    "{case} / {side}: ours {} msg/s, {:.3} CPU s/100k; Go {} msg/s, {:.3} CPU s/100k",
                    grouped(mine.rate.round() as u64),
                    mine.cpu_per_100k,
                    grouped(g.rate.round() as u64),
                    g.cpu_per_100k
                ));
            }
            Err(why) => {
                self.rows
                    .push(json!({"case": case, "side": side, "tool": go_tool, "note": why}));
                info(&format!("{case} / {side}: no Go row: {why}"));
            }
        }
    }

    /// Writes results.json and results.md into `dir` and prints the table.
    pub(crate) fn write(
        &self,
        dir: &Path,
        settings: &Settings,
        took: Duration,
    ) -> anyhow::Result<()> {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        let machine = machine();
        let total = round(took.as_secs_f64(), 1);
        let report = json!({
            "machine": machine,
            "message_bytes": SIZE,
            "target_seconds_per_run": settings.seconds,
            "total_seconds": total,
            "rows": self.rows,
            "settings": self.settings,
            "streams": self.streams,
        });
        let table = format!(
            "{}\n\n{}\n\n{}\n\n{}",
            self.markdown(),
            self.markdown_vs_go(),
            self.markdown_settings(),
            self.markdown_streams()
        );
        let json_path = dir.join("results.json");
        std::fs::write(&json_path, serde_json::to_string_pretty(&report)? + "\n")
            .with_context(|| format!("writing {}", json_path.display()))?;
        std::fs::write(
            dir.join("results.md"),
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

    fn markdown(&self) -> String {
        let mut lines = vec![
            "| Case | Side | Tool | Messages | msg/s | MB/s | CPU s/100k | Peak RSS MB | Ratio to reference |".to_owned(),
            "|---|---|---|---:|---:|---:|---:|---:|---:|".to_owned(),
        ];
        for r in self.rows.iter().filter(|r| r.get("runs").is_none()) {
            let text = |k: &str| r[k].as_str().unwrap_or("").to_owned();
            let number =
                |k: &str, f: &dyn Fn(f64) -> String| r[k].as_f64().map_or("-".to_owned(), f);
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
}

impl Rows {
    /// The comparisons with the Go tutorial's code, side by side.
    fn markdown_vs_go(&self) -> String {
        let mut lines = vec![
            "Against the Go tutorial's code (medians of the runs of each side):".to_owned(),
            String::new(),
            "| Case | Side | Messages | Rust msg/s | Go msg/s | Throughput vs Go | Rust CPU s/100k | Go CPU s/100k | CPU vs Go |".to_owned(),
            "|---|---|---:|---:|---:|---:|---:|---:|---:|".to_owned(),
        ];
        let ours = self
            .rows
            .iter()
            .filter(|r| r.get("runs").is_some() && r["tool"] == "ours");
        for r in ours {
            let go = self
                .rows
                .iter()
                .find(|g| g["case"] == r["case"] && g["side"] == r["side"] && g["tool"] != "ours");
            let rate = |row: &Value| grouped(row["msg_per_s"].as_u64().unwrap_or(0));
            let cpu = |row: &Value| {
                row["cpu_s_per_100k"]
                    .as_f64()
                    .map_or("-".to_owned(), |x| format!("{x:.3}"))
            };
            let ratio = |k: &str| {
                r["ratio_to_go"][k]
                    .as_f64()
                    .map_or("-".to_owned(), |x| format!("{x:.2}x"))
            };
            let (go_rate, go_cpu) = match go {
                Some(g) if g.get("msg_per_s").is_some() => (rate(g), cpu(g)),
                _ => (r["note"].as_str().unwrap_or("-").to_owned(), "-".to_owned()),
            };
            lines.push(format!(
                "| {} | {} | {} | {} | {go_rate} | {} | {} | {go_cpu} | {} |",
                r["case"].as_str().unwrap_or(""),
                r["side"].as_str().unwrap_or(""),
                grouped(r["messages"].as_u64().unwrap_or(0)),
                rate(r),
                ratio("msg_per_s"),
                cpu(r),
                ratio("cpu_s_per_100k"),
            ));
        }
        lines.join("\n")
    }
}

/// Thousands separated by commas.
pub(crate) fn grouped(n: u64) -> String {
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

fn machine() -> String {
    let read = |path: &str| std::fs::read_to_string(path).unwrap_or_default();
    let cpu = read("/proc/cpuinfo")
        .lines()
        .find_map(|l| {
            Some(
                l.strip_prefix("model name")?
                    .split_once(':')?
                    .1
                    .trim()
                    .to_owned(),
            )
        })
        .unwrap_or_else(|| "unknown CPU".to_owned());
    let kib: f64 = read("/proc/meminfo")
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
    let release = read("/proc/sys/kernel/osrelease");
    format!(
        "{cores} cores ({cpu}), {:.0} GiB, Linux {}",
        kib / f64::from(1u32 << 20),
        release.trim()
    )
}
