//! The ledger: every message of a lab run has a number, and the producer writes down what the
//! broker answered for each one. After the fault, the verifier reads everything back and sets
//! the two side by side: sent, acknowledged, present, **lost** (acknowledged, then missing),
//! duplicated, out of order.
//!
//! A ledger is a text file, one line per attempt, tab-separated: the number, `acked`,
//! `refused` or `unknown`, and the reason (`208 refused Broker: Not enough in-sync replicas`).
//! A message sent twice (a retry after a reconnection) has two lines; it counts as
//! acknowledged if either attempt was.

use std::collections::{BTreeMap, BTreeSet};
use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::Path;

use anyhow::Context as _;
use serde_json::json;

/// What the broker said about one attempt to send a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Stored, says the broker (Kafka's produce response, RabbitMQ's confirm).
    Acked,
    /// Not stored, says the broker (an error response, a nack, a return).
    Refused(String),
    /// No answer: the connection went away first. The message may or may not be stored.
    Unknown(String),
}

/// The message body for number `n`; [`number`] reads it back.
pub fn body(n: u64) -> String {
    format!("lab-{n}")
}

/// The number in a body that [`body`] made, if it is one.
pub fn number(body: &[u8]) -> Option<u64> {
    std::str::from_utf8(body)
        .ok()?
        .strip_prefix("lab-")?
        .parse()
        .ok()
}

// ANCHOR: ledger
/// The producer's side: one line per attempt, as the answers come.
#[derive(Debug)]
pub struct Ledger {
    out: BufWriter<File>,
    /// How many answers of each kind so far (for the progress line).
    pub acked: u64,
    pub refused: u64,
    pub unknown: u64,
    /// Each distinct reason is printed once, with the number of the first message it hit.
    reasons: BTreeSet<String>,
}

impl Ledger {
    /// Opens the ledger at `path`, adding to what an earlier phase of the run wrote there.
    pub fn open(path: &Path) -> anyhow::Result<Self> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        }
        let file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .with_context(|| format!("opening {}", path.display()))?;
        Ok(Self {
            out: BufWriter::new(file),
            acked: 0,
            refused: 0,
            unknown: 0,
            reasons: BTreeSet::new(),
        })
    }

    /// Writes down the broker's answer for message `n`.
    pub fn record(&mut self, n: u64, outcome: &Outcome) -> anyhow::Result<()> {
        let (status, reason) = match outcome {
            Outcome::Acked => {
                self.acked += 1;
                ("acked", None)
            }
            Outcome::Refused(reason) => {
                self.refused += 1;
                ("refused", Some(reason))
            }
            Outcome::Unknown(reason) => {
                self.unknown += 1;
                ("unknown", Some(reason))
            }
        };
        match reason {
            Some(reason) => {
                writeln!(self.out, "{n}\t{status}\t{reason}")?;
                if self.reasons.insert(format!("{status}: {reason}")) {
                    println!(" [!] message {n}: {status}: {reason} (each later one is counted)");
                }
            }
            None => writeln!(self.out, "{n}\t{status}")?,
        }
        Ok(())
    }

    /// Flushes the file.
    pub fn finish(mut self) -> anyhow::Result<()> {
        self.out.flush().context("writing the ledger")
    }
}
// ANCHOR_END: ledger

/// A ledger read back: which numbers were sent, and which of them the broker acknowledged.
#[derive(Debug, Default)]
pub struct Entries {
    pub sent: BTreeSet<u64>,
    pub acked: BTreeSet<u64>,
}

/// Reads a ledger that [`Ledger`] wrote.
pub fn read(path: &Path) -> anyhow::Result<Entries> {
    let file = File::open(path).with_context(|| {
        format!(
            "opening the ledger {}: run the producer first",
            path.display()
        )
    })?;
    let mut entries = Entries::default();
    for (i, line) in BufReader::new(file).lines().enumerate() {
        let line = line.context("reading the ledger")?;
        let mut fields = line.split('\t');
        let n: u64 = fields
            .next()
            .and_then(|n| n.parse().ok())
            .with_context(|| format!("{}:{}: not a ledger line", path.display(), i + 1))?;
        entries.sent.insert(n);
        if fields.next() == Some("acked") {
            entries.acked.insert(n);
        }
    }
    Ok(entries)
}

/// Reads the numbers a consumer wrote, one per line, in the order it received them.
pub fn read_numbers(path: &Path) -> anyhow::Result<Vec<u64>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    text.lines()
        .map(|line| {
            line.trim()
                .parse()
                .with_context(|| format!("{}: '{line}' is not a number", path.display()))
        })
        .collect()
}

// ANCHOR: tally
/// One row of the table: a ledger against what was read back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tally {
    pub run: String,
    pub sent: u64,
    pub acknowledged: u64,
    /// Distinct numbers read back.
    pub present: u64,
    /// Acknowledged, and not read back: the broker's promise broken.
    pub lost: Vec<u64>,
    /// Copies read beyond the first of each number.
    pub duplicated: u64,
    /// Numbers read after a higher number had been read.
    pub out_of_order: u64,
    /// Read back although the producer never heard "stored" (refused, or no answer).
    pub stored_unacknowledged: u64,
}

/// Sets the ledger beside the numbers read back, in the order they were read.
pub fn tally(run: &str, entries: &Entries, read_back: &[u64]) -> Tally {
    let mut copies: BTreeMap<u64, u64> = BTreeMap::new();
    let mut out_of_order = 0;
    let mut highest = None;
    for &n in read_back {
        let seen = copies.entry(n).or_insert(0);
        *seen += 1;
        if *seen == 1 {
            if highest.is_some_and(|h| n < h) {
                out_of_order += 1;
            }
            highest = highest.max(Some(n));
        }
    }
    Tally {
        run: run.to_owned(),
        sent: entries.sent.len() as u64,
        acknowledged: entries.acked.len() as u64,
        present: copies.len() as u64,
        lost: entries
            .acked
            .iter()
            .filter(|n| !copies.contains_key(n))
            .copied()
            .collect(),
        duplicated: copies.values().map(|c| c - 1).sum(),
        out_of_order,
        stored_unacknowledged: copies.keys().filter(|n| !entries.acked.contains(n)).count() as u64,
    }
}
// ANCHOR_END: tally

impl Tally {
    /// One JSON object per line of a report file, for the tests and for `lab report`.
    pub fn to_json(&self) -> serde_json::Value {
        json!({
            "run": self.run,
            "sent": self.sent,
            "acknowledged": self.acknowledged,
            "present": self.present,
            "lost": self.lost.len(),
            "lost_numbers": ranges(&self.lost),
            "duplicated": self.duplicated,
            "out_of_order": self.out_of_order,
            "stored_unacknowledged": self.stored_unacknowledged,
        })
    }

    fn from_json(value: &serde_json::Value) -> Option<Self> {
        let count = |key: &str| value.get(key)?.as_u64();
        Some(Self {
            run: value.get("run")?.as_str()?.to_owned(),
            sent: count("sent")?,
            acknowledged: count("acknowledged")?,
            present: count("present")?,
            lost: expand(value.get("lost_numbers")?.as_str()?),
            duplicated: count("duplicated")?,
            out_of_order: count("out_of_order")?,
            stored_unacknowledged: count("stored_unacknowledged")?,
        })
    }

    /// Appends this row to a report file.
    pub fn append_to(&self, path: &Path) -> anyhow::Result<()> {
        let mut file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .with_context(|| format!("opening {}", path.display()))?;
        writeln!(file, "{}", self.to_json()).context("writing the report")
    }
}

/// The rows of a report file, in order.
pub fn read_report(path: &Path) -> anyhow::Result<Vec<Tally>> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("reading the report {}", path.display()))?;
    text.lines()
        .map(|line| {
            serde_json::from_str(line)
                .ok()
                .as_ref()
                .and_then(Tally::from_json)
                .with_context(|| format!("{}: not a report line: {line}", path.display()))
        })
        .collect()
}

/// The table: one row per run, then which numbers were lost.
pub fn print_table(rows: &[Tally]) {
    let width = rows
        .iter()
        .map(|r| r.run.chars().count())
        .max()
        .unwrap_or(3)
        .max(3);
    println!(
        "{:<width$}  {:>6}  {:>12}  {:>7}  {:>6}  {:>10}  {:>12}",
        "run", "sent", "acknowledged", "present", "lost", "duplicated", "out of order"
    );
    for r in rows {
        println!(
            "{:<width$}  {:>6}  {:>12}  {:>7}  {:>6}  {:>10}  {:>12}",
            r.run,
            r.sent,
            r.acknowledged,
            r.present,
            r.lost.len(),
            r.duplicated,
            r.out_of_order
        );
    }
    for r in rows {
        if !r.lost.is_empty() {
            println!(
                "{}: lost = acknowledged, then missing: {}",
                r.run,
                ranges(&r.lost)
            );
        }
        if r.stored_unacknowledged > 0 {
            println!(
                "{}: {} message(s) present although never acknowledged (no answer, or refused after all)",
                r.run, r.stored_unacknowledged
            );
        }
    }
}

/// `1-3,7` for [1, 2, 3, 7].
fn ranges(numbers: &[u64]) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut i = 0;
    while i < numbers.len() {
        let start = numbers[i];
        let mut end = start;
        while i + 1 < numbers.len() && numbers[i + 1] == end + 1 {
            i += 1;
            end = numbers[i];
        }
        parts.push(if start == end {
            start.to_string()
        } else {
            format!("{start}-{end}")
        });
        i += 1;
    }
    parts.join(",")
}

/// The numbers of a [`ranges`] string.
fn expand(text: &str) -> Vec<u64> {
    text.split(',')
        .filter(|p| !p.is_empty())
        .flat_map(|part| {
            let (a, b) = part.split_once('-').unwrap_or((part, part));
            match (a.parse::<u64>(), b.parse::<u64>()) {
                (Ok(a), Ok(b)) => (a..=b).collect(),
                _ => Vec::new(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entries(
        sent: impl IntoIterator<Item = u64>,
        acked: impl IntoIterator<Item = u64>,
    ) -> Entries {
        Entries {
            sent: sent.into_iter().collect(),
            acked: acked.into_iter().collect(),
        }
    }

    #[test]
    fn a_tally_counts_lost_duplicated_and_out_of_order() {
        // 1..=6 sent; 1..=5 acknowledged; read back: 1, 2, 2, 4, 3, 6 (5 missing, 6 never acked).
        let t = tally("r", &entries(1..=6, 1..=5), &[1, 2, 2, 4, 3, 6]);
        assert_eq!(t.sent, 6);
        assert_eq!(t.acknowledged, 5);
        assert_eq!(t.present, 5);
        assert_eq!(t.lost, vec![5]);
        assert_eq!(t.duplicated, 1);
        assert_eq!(t.out_of_order, 1);
        assert_eq!(t.stored_unacknowledged, 1);
    }

    #[test]
    fn ranges_round_trip() {
        let numbers = vec![1, 2, 3, 7, 9, 10];
        assert_eq!(ranges(&numbers), "1-3,7,9-10");
        assert_eq!(expand(&ranges(&numbers)), numbers);
        assert_eq!(expand(""), Vec::<u64>::new());
    }

    #[test]
    fn a_report_line_reads_back_as_written() {
        let t = tally("acks=1", &entries(1..=4, 1..=4), &[1, 2]);
        let back = Tally::from_json(&t.to_json());
        assert_eq!(back, Some(t));
    }
}
