//! Running one scenario's steps: its processes, labelled, and what they printed.

use std::process::Command;
use std::time::Duration;

use anyhow::{Context, bail};
use mq_common::lines;
use mq_run::{Output, Proc, bin, repo_root};

use crate::printed::Printed;
use crate::scenarios::{Scenario, Step};

/// How long a consumer may take to subscribe, or to print what a step waits for.
const WAIT: Duration = Duration::from_secs(30);

/// A process of the run: running, or ended and reaped.
#[derive(Debug)]
enum Member {
    /// `on_purpose` once a step killed or stopped it: its exit status is then no failure.
    Running {
        proc: Proc,
        on_purpose: bool,
    },
    Ended(Output),
}

/// One run of a scenario: its stamp, and every process it started, by label.
#[derive(Debug)]
pub struct Run {
    /// `{stamp}` in the scenario's arguments: the seconds since 1970 at the start.
    pub stamp: u64,
    members: Vec<(String, Member)>,
}

impl Run {
    pub fn new() -> Self {
        let stamp = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |t| t.as_secs());
        Self {
            stamp,
            members: Vec::new(),
        }
    }

    fn fill(&self, text: &str) -> String {
        text.replace("{stamp}", &self.stamp.to_string())
    }

    /// The latest process started as LABEL, if it is still running and no step stopped it.
    fn running(&mut self, label: &str) -> anyhow::Result<(&mut Proc, &mut bool)> {
        self.members
            .iter_mut()
            .rev()
            .find_map(|(l, m)| match m {
                Member::Running { proc, on_purpose } if l == label && !*on_purpose => {
                    Some((proc, on_purpose))
                }
                _ => None,
            })
            .with_context(|| format!("[{label}] is not running"))
    }

    fn start(&mut self, label: &str, binary: &str, args: &[&str]) -> anyhow::Result<Proc> {
        let args: Vec<String> = args.iter().map(|a| self.fill(a)).collect();
        let mut command = Command::new(bin(binary)?);
        command.args(&args);
        Proc::start(command, Some(label))
    }

    /// Runs the scenario's steps, one after the other; the first that fails ends the run.
    pub fn steps(&mut self, scenario: &Scenario) -> anyhow::Result<()> {
        for step in scenario.steps {
            self.step(step)?;
        }
        Ok(())
    }

    fn step(&mut self, step: &Step) -> anyhow::Result<()> {
        match step {
            Step::Topic(name, partitions) => {
                let script = repo_root()?.join("scripts/kafka-topic.sh");
                let status = mq_run::stop::status(Command::new(script).args([
                    "create",
                    &self.fill(name),
                    &partitions.to_string(),
                ]))?;
                if !status.success() {
                    bail!("creating topic {} failed (above)", self.fill(name));
                }
            }
            Step::Start(label, binary, args) => {
                let proc = self.start(label, binary, args)?;
                let member = Member::Running {
                    proc,
                    on_purpose: false,
                };
                self.members.push(((*label).to_owned(), member));
            }
            Step::Ready(label) => self
                .running(label)?
                .0
                .wait_ready(WAIT)
                .with_context(|| format!("[{label}] did not start within {WAIT:?}"))?,
            Step::Printed(label, text, n) => self
                .running(label)?
                .0
                .wait_until(&format!("{n}× {text:?}"), WAIT, |l| l.starts_with(text), *n)
                .with_context(|| format!("[{label}] did not print '{text}' {n} time(s)"))?,
            Step::Messages(n) => {
                let deadline = std::time::Instant::now() + WAIT;
                while self
                    .all_lines()
                    .iter()
                    .filter(|l| lines::is_message(l))
                    .count()
                    < *n
                {
                    if std::time::Instant::now() > deadline {
                        bail!("the consumers did not receive the {n} messages within {WAIT:?}");
                    }
                    std::thread::sleep(Duration::from_millis(50));
                }
            }
            Step::Run(label, binary, args) => {
                let proc = self.start(label, binary, args)?;
                let out = proc.try_finish(Duration::from_secs(300))?;
                let ok = out.success();
                let status = out.status;
                self.members.push(((*label).to_owned(), Member::Ended(out)));
                if !ok {
                    bail!("[{label}] failed ({status})");
                }
            }
            Step::Kill(label) | Step::Stop(label) => {
                let (proc, on_purpose) = self.running(label)?;
                if matches!(step, Step::Kill(_)) {
                    proc.kill();
                } else {
                    proc.terminate();
                }
                *on_purpose = true;
            }
            Step::Sleep(seconds) => std::thread::sleep(Duration::from_secs(*seconds)),
            Step::Say(text) => println!("{text}"),
            Step::Finish => self.finish()?,
            Step::Report(report) => println!("{}", report(self)),
        }
        Ok(())
    }

    /// Waits for every process still running; fails if one that no step stopped failed, or
    /// did not end within a minute (it is then killed).
    fn finish(&mut self) -> anyhow::Result<()> {
        let mut failed = Vec::new();
        for (label, member) in std::mem::take(&mut self.members) {
            let member = match member {
                Member::Running { proc, on_purpose } => {
                    match proc.try_finish(Duration::from_secs(60)) {
                        Ok(out) => {
                            if !on_purpose && !out.success() {
                                failed.push(format!("[{label}] {}", out.status));
                            }
                            Member::Ended(out)
                        }
                        Err(err) => {
                            failed.push(format!("[{label}] {err:#}"));
                            continue;
                        }
                    }
                }
                ended => ended,
            };
            self.members.push((label, member));
        }
        if !failed.is_empty() {
            bail!("failed: {}", failed.join(", "));
        }
        Ok(())
    }
}

impl Printed for Run {
    fn stamp(&self) -> u64 {
        self.stamp
    }

    fn lines(&self, label: &str) -> Vec<String> {
        self.members
            .iter()
            .filter(|(l, _)| l == label)
            .flat_map(|(_, member)| match member {
                Member::Running { proc, .. } => proc.lines(),
                Member::Ended(out) => out.stdout.clone(),
            })
            .collect()
    }

    fn all_lines(&self) -> Vec<String> {
        let mut labels: Vec<&String> = Vec::new();
        for (label, _) in &self.members {
            if !labels.contains(&label) {
                labels.push(label);
            }
        }
        labels
            .into_iter()
            .flat_map(|label| self.lines(label))
            .collect()
    }
}

/// A run that ends early (a step failed) stops what it started.
impl Drop for Run {
    fn drop(&mut self) {
        for (_, member) in &mut self.members {
            if let Member::Running { proc, .. } = member {
                proc.kill();
            }
        }
    }
}
