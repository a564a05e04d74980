//! `just demo`: every chapter, one after the other, with a table at the end.
//!
//! The first message should come within a minute or so of a fresh clone, so nothing is built
//! before it is needed: the first chapter's two binaries build while RabbitMQ starts, and the
//! rest build in the background, in the order the chapters need them, while the RabbitMQ
//! chapters run (the Kafka side last: librdkafka's C build is the longest). The exercises, the
//! checker and the bench are not built at all.

use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use anyhow::bail;
use mq_run::build::Build;
use mq_run::stop;

use crate::brokers::{self, Starting};
use crate::printed::Printed;
use crate::run::Run;
use crate::say;
use crate::scenarios::{self, Broker, Scenario};

/// The chapters, in the order they run.
const CHAPTERS: &[&str] = &[
    "rabbit-simple",
    "rabbit-worker",
    "rabbit-pubsub",
    "rabbit-routing",
    "rabbit-topic",
    "rabbit-rpc",
    "rabbit-confirms",
    "kafka",
    "kafka-p2p",
    "kafka-pubsub",
    "kafka-group",
];

/// A first build has nothing to be incremental about: no incremental cache for our crates
/// (less CPU for a cold build of two binaries; a later edit rebuilds them once with it).
const FIRST_BUILD: &[(&str, &str)] = &[("CARGO_INCREMENTAL", "0")];
/// The same, and librdkafka's C build (the demo's longest step) without -O2 and debug symbols:
/// its Makefile puts CFLAGS after its own -O2, and rdkafka-sys passes CFLAGS through.
const FIRST_C_BUILD: &[(&str, &str)] = &[("CARGO_INCREMENTAL", "0"), ("CFLAGS", "-O0 -g0")];

/// The builds, one per stage, in the order the chapters need them; each builds while the
/// chapter before it runs. Settings of your own (CARGO_INCREMENTAL, CFLAGS) win.
const STAGES: &[Build<'static>] = &[
    stage(
        "rabbit-simple",
        &["rabbit-simple-producer", "rabbit-simple-consumer"],
    ),
    stage(
        "rabbit-worker",
        &["rabbit-worker-producer", "rabbit-worker-consumer"],
    ),
    stage(
        "rabbit-pubsub",
        &["rabbit-pubsub-producer", "rabbit-pubsub-consumer"],
    ),
    stage(
        "rabbit-routing",
        &["rabbit-routing-producer", "rabbit-routing-consumer"],
    ),
    stage(
        "rabbit-topic",
        &["rabbit-topic-producer", "rabbit-topic-consumer"],
    ),
    stage("rabbit-rpc", &["rabbit-rpc-server", "rabbit-rpc-client"]),
    stage("rabbit-confirms", &["rabbit-confirms"]),
    stage("kafka", &["kafka-producer", "kafka-consumer"]),
    Build {
        label: "kafka-group (librdkafka, a C build)",
        packages: &["kafka-group-consumer"],
        defaults: FIRST_C_BUILD,
    },
];

const fn stage(label: &'static str, packages: &'static [&'static str]) -> Build<'static> {
    Build {
        label,
        packages,
        defaults: FIRST_BUILD,
    }
}

/// The stage after which all of a chapter's binaries are built: the last stage that builds
/// one of its packages (`kafka-group` needs the group consumer's stage and, before it, the
/// producer's).
fn stage_of(scenario: &Scenario) -> anyhow::Result<usize> {
    let mut last = 0;
    for package in scenario.packages {
        let Some(stage) = STAGES.iter().position(|s| s.packages.contains(package)) else {
            bail!(
                "no stage of the demo builds {package}, which {} runs",
                scenario.name
            );
        };
        last = last.max(stage);
    }
    Ok(last)
}

/// Where each background build is: not done, done (with its progress line), or failed.
#[derive(Debug, Clone)]
enum Built {
    Pending,
    Done(String),
    Failed(String),
}

#[derive(Debug, Default)]
struct Builds {
    state: Mutex<Vec<Built>>,
    changed: Condvar,
}

impl Builds {
    fn set(&self, i: usize, built: Built) {
        if let Ok(mut state) = self.state.lock()
            && let Some(slot) = state.get_mut(i)
        {
            *slot = built;
        }
        self.changed.notify_all();
    }

    fn get(&self, i: usize) -> Built {
        self.state
            .lock()
            .ok()
            .and_then(|s| s.get(i).cloned())
            .unwrap_or(Built::Failed("the builder is gone".into()))
    }

    /// One build after the other (cargo takes one build at a time); stops at the first failure.
    fn run_all(&self) {
        for (i, build) in STAGES.iter().enumerate() {
            let mut line = Vec::new();
            let result = build.run(&mut line);
            let line = String::from_utf8_lossy(&line).into_owned();
            match result {
                Ok(()) => self.set(i, Built::Done(line)),
                Err(_) => {
                    self.set(i, Built::Failed(line));
                    return;
                }
            }
        }
    }

    /// Waits for build `i`, with a dot a second after the first 2 s; its line once done.
    fn wait(&self, i: usize) -> anyhow::Result<String> {
        let started = Instant::now();
        let mut dots = 0;
        loop {
            match self.get(i) {
                Built::Done(line) => {
                    if dots > 0 {
                        println!();
                    }
                    return Ok(line);
                }
                Built::Failed(line) => {
                    if dots > 0 {
                        println!();
                    }
                    print!("{line}");
                    bail!("the build of {} failed (above)", STAGES[i].label);
                }
                Built::Pending => {}
            }
            let waited = started.elapsed().as_secs();
            if waited >= 2 && waited > dots + 1 {
                if dots == 0 {
                    print!("    waiting for the build of {} ", STAGES[i].label);
                }
                print!(".");
                let _ = std::io::Write::flush(&mut std::io::stdout());
                dots += 1;
            }
            if let Ok(state) = self.state.lock() {
                let _ = self.changed.wait_timeout(state, Duration::from_millis(250));
            }
        }
    }
}

/// One chapter's row of the closing table.
struct Row {
    chapter: &'static str,
    seconds: u64,
    messages: usize,
    error: Option<String>,
}

/// Messages received: the consumers' lines, the RPC client's replies, or the confirms
/// chapter's confirmed messages (the 5th column of its table).
fn messages(chapter: &str, run: &Run) -> usize {
    match chapter {
        "rabbit-rpc" => run.count("client", &|l| l.starts_with(mq_common::lines::FIB_REPLY)),
        "rabbit-confirms" => run
            .lines("confirms")
            .iter()
            .filter_map(|line| {
                let fields: Vec<&str> = line.split_whitespace().collect();
                fields.get(1)?.parse::<u64>().ok()?;
                fields.get(4)?.parse::<usize>().ok()
            })
            .sum(),
        _ => run
            .all_lines()
            .iter()
            .filter(|l| mq_common::lines::is_message(l))
            .count(),
    }
}

pub fn run(verbose: bool) -> anyhow::Result<()> {
    let builds = Arc::new(Builds {
        state: Mutex::new(vec![Built::Pending; STAGES.len()]),
        changed: Condvar::new(),
    });
    let mut kafka: Option<Starting> = None;
    if verbose {
        // cargo's own output on the terminal: the builds run in the foreground.
        let up = brokers::start("scripts/up.sh", &[], "the brokers (just up")?;
        for (i, build) in STAGES.iter().enumerate() {
            build.run_verbose()?;
            builds.set(i, Built::Done(String::new()));
        }
        print!("{}", up.wait()?);
    } else {
        say::step(
            "Building the first chapter while RabbitMQ starts; the rest builds in the background as the chapters run",
        );
        let builder = Arc::clone(&builds);
        std::thread::spawn(move || builder.run_all());
        let up = mq_run::repo_root()?.join("scripts/up.sh");
        let status = stop::status(std::process::Command::new(up).arg("rabbitmq"))?;
        if !status.success() {
            bail!("RabbitMQ did not start (above)");
        }
        builds.wait(0)?;
        // Kafka starts once the first chapter runs, in the background, so that its start does
        // not slow the first build; the Kafka chapters wait for it.
        kafka = Some(brokers::start(
            "scripts/up.sh",
            &["kafka"],
            "Kafka (just up kafka",
        )?);
    }

    let started = Instant::now();
    let mut shown = vec![false; STAGES.len()];
    let mut rows = Vec::new();
    for &chapter in CHAPTERS {
        let scenario: &Scenario =
            scenarios::find(chapter).ok_or_else(|| anyhow::anyhow!("no scenario '{chapter}'"))?;
        let stage = stage_of(scenario)?;
        let line = builds.wait(stage)?;
        if !shown[stage] {
            print!("{line}");
            shown[stage] = true;
        }
        if scenario.broker == Broker::Kafka
            && let Some(starting) = kafka.take()
        {
            print!("{}", starting.wait()?);
        }
        say::step(&format!("just {chapter}"));
        let chapter_started = Instant::now();
        let mut run = Run::new();
        let result = run.steps(scenario);
        if let Err(err) = &result {
            eprintln!("error: {err:#}");
        }
        rows.push(Row {
            chapter,
            seconds: chapter_started.elapsed().as_secs(),
            messages: messages(chapter, &run),
            error: result.err().map(|e| format!("{e:#}")),
        });
        // A failed chapter's processes end here (Run's Drop); the demo goes on.
        drop(run);
    }
    table(&rows, started.elapsed().as_secs());
    let failed = rows.iter().filter(|r| r.error.is_some()).count();
    if failed > 0 {
        bail!("{failed} chapter(s) failed (above)");
    }
    Ok(())
}

/// The closing table, in the learner's language (as `just check` speaks it).
fn table(rows: &[Row], seconds: u64) {
    let zh = say::chinese();
    println!();
    if zh {
        // Each Chinese character takes two columns: the heading is padded by hand.
        println!("章节                用时      消息  结果");
    } else {
        println!("{:<16} {:>7} {:>9}  result", "chapter", "time", "messages");
    }
    for row in rows {
        let result = match (&row.error, zh) {
            (None, false) => "ok".to_owned(),
            (None, true) => "通过".to_owned(),
            (Some(_), false) => "FAILED".to_owned(),
            (Some(_), true) => "失败".to_owned(),
        };
        println!(
            "{:<16} {:>6}s {:>9}  {result}",
            row.chapter, row.seconds, row.messages
        );
    }
    let failed = rows.iter().filter(|r| r.error.is_some()).count();
    if zh {
        println!("{} 个章节,用时 {seconds} 秒,失败 {failed} 个", rows.len());
    } else {
        println!("{} chapters in {seconds}s, {failed} failed", rows.len());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each chapter waits for the build of its own binaries, and only for that.
    #[test]
    fn each_chapter_waits_for_the_stage_of_its_binaries() {
        let stage = |name| stage_of(scenarios::find(name).expect(name)).expect(name);
        assert_eq!(stage("rabbit-simple"), 0);
        assert_eq!(stage("rabbit-confirms"), 6);
        assert_eq!(stage("kafka"), 7);
        assert_eq!(stage("kafka-p2p"), 7);
        assert_eq!(stage("kafka-pubsub"), 7);
        assert_eq!(stage("kafka-group"), 8);
        for chapter in CHAPTERS {
            assert!(
                stage_of(scenarios::find(chapter).expect(chapter)).is_ok(),
                "{chapter}"
            );
        }
    }
}
