//! `just watch [NAME]`: checks an exercise every time you save it, and moves on to the next
//! one not done yet when it passes. Without NAME it starts where your progress says (the
//! exercise you checked last, if it does not pass yet, else the first that does not).
//!
//! Each check is `just check NAME`, the same as typing it: its output, its hint, and your
//! progress file updated. The file watched is `exercises/NAME/src/main.rs`; editors that save
//! through a temporary file and a rename are seen too, since the folder is what is watched.
//! Ctrl+C stops watching.

use std::path::Path;
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use anyhow::{Context as _, bail};
use clap::Parser;
use mq_class::exercises;
use mq_class::progress::Progress;
use notify::{EventKind, RecommendedWatcher, RecursiveMode, Watcher};
use rust_i18n::t;

/// Check an exercise on every save, and move on when it passes.
#[derive(Parser, Debug)]
#[command(version)]
struct Args {
    /// The exercise to start with (default: where your progress says).
    name: Option<String>,
    /// Check the reference solutions instead of your code (for authors: each passes, in turn).
    #[arg(long)]
    solution: bool,
}

/// Saves closer together than this are one save (an editor may write a file in several steps).
const SETTLE: Duration = Duration::from_millis(300);

rust_i18n::i18n!("locales", fallback = "en");

fn main() -> ! {
    let args: Args = mq_common::cli::init();
    mq_class::lang::init();
    let stop = Arc::new(AtomicBool::new(false));
    let set = Arc::clone(&stop);
    // Ctrl+C reaches the check that runs too (the terminal signals the whole group); this
    // process then stops between checks, instead of dying in the middle of one.
    if let Err(err) = ctrlc::set_handler(move || set.store(true, Ordering::SeqCst)) {
        log::warn!("cannot listen for Ctrl+C ({err})");
    }
    mq_common::cli::exit(run(&args, &stop))
}

fn run(args: &Args, stop: &AtomicBool) -> anyhow::Result<()> {
    mq_class::student()?;
    let progress = Progress::load()?;
    let mut name = match &args.name {
        Some(name) => exercises::known(name)?,
        None => match progress.start() {
            Some(name) => name,
            None => {
                println!("{}", t!("watch.all_pass_already"));
                return Ok(());
            }
        },
    };
    let (events, saved) = channel();
    let mut watcher: RecommendedWatcher =
        notify::recommended_watcher(events).context("starting to watch files")?;
    // Passed in this session: with --solution nothing is recorded in the progress file.
    let mut passed: Vec<&str> = Vec::new();
    loop {
        let folder = exercises::source(name)?
            .parent()
            .map(Path::to_path_buf)
            .context("the exercise's folder")?;
        watcher
            .watch(&folder, RecursiveMode::NonRecursive)
            .with_context(|| format!("watching {}", folder.display()))?;
        println!("{}", t!("watch.checking", name = name));
        let mut ok = check(name, args.solution)?;
        loop {
            if stop.load(Ordering::SeqCst) {
                println!("{}", t!("watch.stopped"));
                return Ok(());
            }
            if ok {
                break;
            }
            println!("{}", t!("watch.failed", name = name));
            if !wait_for_save(&saved, stop)? {
                continue; // Ctrl+C: said above
            }
            println!("{}", t!("watch.saved", name = name));
            ok = check(name, args.solution)?;
        }
        watcher.unwatch(&folder).ok();
        passed.push(name);
        let progress = Progress::load()?;
        let next = exercises::EXERCISES
            .iter()
            .cycle()
            .skip_while(|e| **e != name)
            .skip(1)
            .take(exercises::EXERCISES.len())
            .find(|e| !passed.contains(e) && (args.solution || !progress.done(e)));
        match next {
            Some(next) => {
                println!("{}", t!("watch.next", name = name, next = next));
                name = next;
            }
            None => {
                println!("{}", t!("watch.all_done", name = name));
                return Ok(());
            }
        }
    }
}

/// Runs `just check NAME` (with `--solution`): true if it passed.
fn check(name: &str, solution: bool) -> anyhow::Result<bool> {
    let mut command = Command::new("just");
    command.args(["check", name]);
    if solution {
        command.arg("--solution");
    }
    let status = command
        .current_dir(mq_run::repo_root()?)
        .status()
        .context("running `just check` (is `just` on the PATH?)")?;
    Ok(status.success())
}

/// Waits until `main.rs` of the watched folder is saved (true), or Ctrl+C (false).
fn wait_for_save(
    saved: &Receiver<notify::Result<notify::Event>>,
    stop: &AtomicBool,
) -> anyhow::Result<bool> {
    loop {
        if stop.load(Ordering::SeqCst) {
            return Ok(false);
        }
        match saved.recv_timeout(Duration::from_millis(200)) {
            Ok(Ok(event)) if is_save(&event) => {
                // The rest of this save: whatever comes within SETTLE of it.
                let settled = Instant::now() + SETTLE;
                while let Some(left) = settled.checked_duration_since(Instant::now()) {
                    if saved.recv_timeout(left).is_err() {
                        break;
                    }
                }
                return Ok(true);
            }
            Ok(Ok(_other)) => {}
            Ok(Err(err)) => log::warn!("watching: {err}"),
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => bail!("the file watcher stopped"),
        }
    }
}

/// A write, a new file or a rename that leaves `main.rs` in place.
fn is_save(event: &notify::Event) -> bool {
    matches!(
        event.kind,
        EventKind::Modify(_) | EventKind::Create(_) | EventKind::Any
    ) && event
        .paths
        .iter()
        .any(|p| p.file_name().is_some_and(|f| f == "main.rs"))
}
