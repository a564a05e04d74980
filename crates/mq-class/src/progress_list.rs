//! `just progress`: every exercise, done, current or pending, from your progress file
//! (`.progress.json`, which `just check` updates).

use clap::Parser;
use mq_class::exercises::EXERCISES;
use mq_class::progress::{self, Progress};
use rust_i18n::t;

rust_i18n::i18n!("locales", fallback = "en");

/// List the exercises: done, current or pending.
#[derive(Parser, Debug)]
#[command(version)]
struct Args {}

fn main() -> ! {
    let _args: Args = mq_common::cli::init();
    mq_class::lang::init();
    mq_common::cli::exit(run())
}

fn run() -> anyhow::Result<()> {
    let student = mq_class::student()?;
    let progress = Progress::load()?;
    let start = progress.start();
    println!(
        "{}",
        t!(
            "progress.heading",
            student = student,
            path = progress::path()?.display()
        )
    );
    for name in EXERCISES {
        let entry = progress.exercises.get(name);
        let tries = entry.map_or(0, |e| e.tries);
        let tried = match tries {
            0 => String::new(),
            1 => t!("progress.one_try").into_owned(),
            n => t!("progress.tries", count = n).into_owned(),
        };
        let (mark, state) = if progress.done(name) {
            ("✔", format!("{}{tried}", t!("progress.done")))
        } else if Some(name) == start {
            ("▶", format!("{}{tried}", t!("progress.current")))
        } else if tries > 0 {
            ("✘", format!("{}{tried}", t!("progress.pending")))
        } else {
            ("·", t!("progress.pending").into_owned())
        };
        println!("  {mark} {name:<22} {state}");
        if let Some(entry) = entry.filter(|e| !e.done)
            && let Some(first) = entry.failed.first()
        {
            println!("      {}", t!("progress.last_failed", what = first));
        }
    }
    let done = EXERCISES.iter().filter(|e| progress.done(e)).count();
    match start {
        Some(next) => println!(
            "{}",
            t!(
                "progress.next",
                done = done,
                n = EXERCISES.len(),
                next = next
            )
        ),
        None => println!("{}", t!("progress.all_done", n = EXERCISES.len())),
    }
    Ok(())
}
