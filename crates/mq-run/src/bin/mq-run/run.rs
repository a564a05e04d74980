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

/// A process of the run: still running, ended on its own, or ended on purpose (killed or
/// stopped by a step, so its exit status is no failure).
#[derive(Debug)]
enum Member {
    Running(Proc),
    EndingOnPurpose(Proc),
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

    fn running(&self, label: &str) -> anyhow::Result<&Proc> {
        self.members
            .iter()
            .rev()
            .find_map(|(l, m)| match m {
                Member::Running(proc) if l == label => Some(proc),
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

    /// Runs the scenario's steps, with `extra` appended to its one foreground run (the
    /// confirms chapter's flags).
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
                self.members
                    .push(((*label).to_owned(), Member::Running(proc)));
            }
            Step::Ready(label) => self
                .running(label)?
                .wait_ready(WAIT)
                .with_context(|| format!("[{label}] did not start within {WAIT:?}"))?,
            Step::Printed(label, text, n) => self
                .running(label)?
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
                let index = self
                    .members
                    .iter()
                    .rposition(|(l, m)| l == label && matches!(m, Member::Running(_)))
                    .with_context(|| format!("[{label}] is not running"))?;
                let (name, member) = self.members.remove(index);
                if let Member::Running(mut proc) = member {
                    if matches!(step, Step::Kill(_)) {
                        proc.kill();
                    } else {
                        proc.terminate();
                    }
                    self.members
                        .insert(index, (name, Member::EndingOnPurpose(proc)));
                }
            }
            Step::Sleep(seconds) => std::thread::sleep(Duration::from_secs(*seconds)),
            Step::Say(text) => println!("{text}"),
            Step::Finish => self.finish()?,
            Step::Report(report) => println!("{}", report(self)),
        }
        Ok(())
    }

    /// Waits for every process still running; fails if one failed.
    fn finish(&mut self) -> anyhow::Result<()> {
        let mut failed = Vec::new();
        for (label, member) in &mut self.members {
            let placeholder = Member::Ended(placeholder_output());
            match std::mem::replace(member, placeholder) {
                Member::Running(proc) => {
                    let out = proc
                        .try_finish(Duration::from_secs(60))
                        .with_context(|| format!("[{label}]"))?;
                    if !out.success() {
                        failed.push(format!("[{label}] {}", out.status));
                    }
                    *member = Member::Ended(out);
                }
                Member::EndingOnPurpose(proc) => {
                    *member = Member::Ended(proc.try_finish(Duration::from_secs(30))?);
                }
                ended @ Member::Ended(_) => *member = ended,
            }
        }
        if !failed.is_empty() {
            bail!("failed: {}", failed.join(", "));
        }
        Ok(())
    }
}

/// An empty output, held for a moment while a member is taken out to be reaped.
fn placeholder_output() -> Output {
    use std::os::unix::process::ExitStatusExt;
    Output {
        status: std::process::ExitStatus::from_raw(0),
        stdout: Vec::new(),
        arrived: Vec::new(),
        stderr: String::new(),
        elapsed: Duration::ZERO,
        usage: mq_run::Usage::default(),
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
                Member::Running(proc) | Member::EndingOnPurpose(proc) => proc.lines(),
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
            if let Member::Running(proc) | Member::EndingOnPurpose(proc) = member {
                proc.kill();
            }
        }
    }
}
