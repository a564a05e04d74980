//! Stopping cleanly: every process started through this crate is remembered until it is
//! reaped, and [`on_signal`] makes Ctrl+C or SIGTERM end all of them before the program exits.
//!
//! A chapter's binaries run in the runner's process group, so a terminal's Ctrl+C reaches them
//! too; a build runs in a group of its own ([`Kind::Group`]), so that stopping it stops cargo and
//! every rustc and build script under it, and nothing is left holding the build lock. When the
//! runner alone gets SIGTERM, it passes it on to each.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use nix::sys::signal::{Signal, kill, killpg};
use nix::unistd::Pid;

use crate::procfs;

/// How a started process is stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The process alone.
    Process,
    /// Its whole process group, which it leads (a build: cargo and its compilers).
    Group,
}

static STARTED: Mutex<Vec<(u32, Kind)>> = Mutex::new(Vec::new());

/// Remembers a process started here, until [`forget`].
pub fn remember(pid: u32, kind: Kind) {
    if let Ok(mut started) = STARTED.lock() {
        started.push((pid, kind));
    }
}

/// Forgets a process once it is reaped (its pid may be reused after that).
pub fn forget(pid: u32) {
    if let Ok(mut started) = STARTED.lock() {
        started.retain(|(p, _)| *p != pid);
    }
}

fn signal(pid: u32, kind: Kind, signal: Signal) -> bool {
    let Ok(raw) = i32::try_from(pid) else {
        return false;
    };
    let pid = Pid::from_raw(raw);
    match kind {
        Kind::Process => kill(pid, signal).is_ok(),
        Kind::Group => killpg(pid, signal).is_ok(),
    }
}

/// Is the process (or a member of the group) still there, other than as a zombie (which still
/// belongs to its group until its parent reaps it)?
fn alive(pid: u32, kind: Kind) -> bool {
    match kind {
        Kind::Process => procfs::stat(pid).is_some_and(|s| !s.ended()),
        Kind::Group => procfs::all()
            .iter()
            .any(|(_, s)| s.pgrp == pid && !s.ended()),
    }
}

/// Sends SIGTERM to everything still running that was started here, waits up to 2 s, then
/// sends SIGKILL to what is left.
pub fn stop_all() {
    let started: Vec<(u32, Kind)> = STARTED.lock().map(|s| s.clone()).unwrap_or_default();
    for &(pid, kind) in &started {
        signal(pid, kind, Signal::SIGTERM);
    }
    let deadline = Instant::now() + Duration::from_secs(2);
    while Instant::now() < deadline && started.iter().any(|&(pid, kind)| alive(pid, kind)) {
        std::thread::sleep(Duration::from_millis(50));
    }
    for &(pid, kind) in &started {
        if alive(pid, kind) {
            signal(pid, kind, Signal::SIGKILL);
        }
    }
}

/// On Ctrl+C (SIGINT), SIGTERM or SIGHUP: [`stop_all`], then exit with 130, as a shell reports
/// an interrupted command.
pub fn on_signal() -> anyhow::Result<()> {
    ctrlc::set_handler(|| {
        eprintln!("\nstopping: every process this run started ends");
        stop_all();
        std::process::exit(130);
    })?;
    Ok(())
}

/// Starts `command` in a process group of its own, remembered until [`wait`]: a stop ends it
/// and everything it started (a broker script's children, a build's compilers).
pub fn spawn_group(command: &mut std::process::Command) -> anyhow::Result<std::process::Child> {
    use std::os::unix::process::CommandExt;
    let program = command.get_program().to_string_lossy().into_owned();
    let child = command
        .process_group(0)
        .spawn()
        .map_err(|err| anyhow::anyhow!("cannot start {program}: {err}"))?;
    remember(child.id(), Kind::Group);
    Ok(child)
}

/// Waits for a child of [`spawn_group`] and forgets it.
pub fn wait(child: &mut std::process::Child) -> anyhow::Result<std::process::ExitStatus> {
    let status = child.wait()?;
    forget(child.id());
    Ok(status)
}

/// [`spawn_group`], then [`wait`]: a command run to its end, its output on the terminal.
pub fn status(command: &mut std::process::Command) -> anyhow::Result<std::process::ExitStatus> {
    let mut child = spawn_group(command)?;
    wait(&mut child)
}
