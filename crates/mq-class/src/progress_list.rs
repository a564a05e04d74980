//! `just progress`: every exercise, done, current or pending, from your progress file
//! (`.progress.json`, which `just check` updates).

use clap::Parser;
use mq_class::exercises::EXERCISES;
use mq_class::progress::{self, Progress};

/// List the exercises: done, current or pending.
#[derive(Parser, Debug)]
#[command(version)]
struct Args {}

fn main() -> ! {
    let _args: Args = mq_common::cli::init();
    mq_common::cli::exit(run())
}

fn run() -> anyhow::Result<()> {
    let student = mq_class::student()?;
    let progress = Progress::load()?;
    let start = progress.start();
    println!(
        "Exercises of student '{}' ({}):",
        student,
        progress::path().display()
    );
    for name in EXERCISES {
        let entry = progress.exercises.get(name);
        let tries = entry.map_or(0, |e| e.tries);
        let tried = match tries {
            0 => String::new(),
            1 => ", 1 try".to_owned(),
            n => format!(", {n} tries"),
        };
        let (mark, state) = if progress.done(name) {
            ("✔", format!("done{tried}"))
        } else if Some(name) == start {
            ("▶", format!("current{tried}"))
        } else if tries > 0 {
            ("✘", format!("pending{tried}"))
        } else {
            ("·", "pending".to_owned())
        };
        println!("  {mark} {name:<22} {state}");
        if let Some(entry) = entry.filter(|e| !e.done)
            && let Some(first) = entry.failed.first()
        {
            println!("      last failed: {first}");
        }
    }
    let done = EXERCISES.iter().filter(|e| progress.done(e)).count();
    match start {
        Some(next) => println!(
            "{done} of {} done. Next: `just watch` (or `just check {next}`); `just hint {next}` for a hint.",
            EXERCISES.len()
        ),
        None => println!("All {} exercises done.", EXERCISES.len()),
    }
    Ok(())
}
