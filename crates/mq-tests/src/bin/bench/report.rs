//! The bench's rows, and the table and JSON made of them.

use std::path::Path;
use std::time::Duration;

use anyhow::Context;
use mq_tests::Output;
use serde_json::{Value, json};

use super::{SIZE, Settings, info};

#[derive(Default)]
pub(crate) struct Rows {
    rows: Vec<Value>,
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
        });
        let table = self.markdown();
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
        for r in &self.rows {
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
