//! `cargo build` of a few packages, with one line of progress: `building rabbit-topic ....
//! ok (12 crates, 9s)`, a dot per crate compiled, and cargo's own output only if it fails.
//!
//! Cargo runs in a process group of its own, remembered by [`crate::stop`]: stopping the run
//! stops cargo and every compiler under it, and nothing is left holding the build lock.

use std::io::{BufRead, BufReader, Write};
use std::os::unix::process::CommandExt;
use std::process::{Command, Stdio};
use std::time::Instant;

use anyhow::{Context, bail};

use crate::stop;

/// One build: a label for its progress line, the packages whose binaries it builds, and
/// environment settings for cargo that the user's own settings override.
#[derive(Debug, Clone)]
pub struct Build<'a> {
    pub label: &'a str,
    pub packages: &'a [&'a str],
    pub defaults: &'a [(&'a str, &'a str)],
}

/// The cargo that runs us (`cargo run` sets CARGO), else the one on the PATH.
fn cargo() -> Command {
    Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
}

impl Build<'_> {
    fn command(&self) -> Command {
        let mut command = cargo();
        command.args(["build", "--bins"]);
        for package in self.packages {
            command.args(["-p", package]);
        }
        for (key, value) in self.defaults {
            if std::env::var_os(key).is_none() {
                command.env(key, value);
            }
        }
        command.process_group(0);
        command
    }

    /// Builds, writing the progress line to `progress` (the terminal, or a buffer for a build
    /// in the background). On failure, cargo's output follows the line.
    pub fn run(&self, progress: &mut dyn Write) -> anyhow::Result<()> {
        let started = Instant::now();
        let _ = write!(progress, "    building {} ", self.label);
        let _ = progress.flush();
        let mut command = self.command();
        command
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        let mut child = command.spawn().context("cannot start cargo")?;
        stop::remember(child.id(), stop::Kind::Group);
        let mut log = String::new();
        let mut crates = 0;
        if let Some(stderr) = child.stderr.take() {
            for line in BufReader::new(stderr).lines() {
                let Ok(line) = line else { break };
                if line.trim_start().starts_with("Compiling ") {
                    crates += 1;
                    let _ = write!(progress, ".");
                    let _ = progress.flush();
                }
                log.push_str(&line);
                log.push('\n');
            }
        }
        let status = child.wait().context("wait for cargo")?;
        stop::forget(child.id());
        if !status.success() {
            let _ = writeln!(progress, " failed:\n{log}");
            bail!("the build of {} failed (above)", self.label);
        }
        let seconds = started.elapsed().as_secs();
        let _ = match crates {
            0 => writeln!(progress, " up to date"),
            1 => writeln!(progress, " ok (1 crate, {seconds}s)"),
            n => writeln!(progress, " ok ({n} crates, {seconds}s)"),
        };
        Ok(())
    }

    /// Builds with cargo's own output on the terminal (`just demo --verbose`).
    pub fn run_verbose(&self) -> anyhow::Result<()> {
        let mut child = self.command().spawn().context("cannot start cargo")?;
        stop::remember(child.id(), stop::Kind::Group);
        let status = child.wait().context("wait for cargo")?;
        stop::forget(child.id());
        if !status.success() {
            bail!("the build of {} failed (above)", self.label);
        }
        Ok(())
    }
}
