//! `just hint NAME`: the next hint of an exercise that you have not seen yet, one per call.
//! How many you have seen is kept with your progress (`.progress.json`).

use clap::Parser;
use mq_class::exercises;
use mq_class::progress::Progress;
use rust_i18n::t;

/// Show the next hint of an exercise.
#[derive(Parser, Debug)]
#[command(version)]
struct Args {
    /// The exercise, as `just exercises` lists it.
    name: String,
}

rust_i18n::i18n!("locales", fallback = "en");

fn main() -> ! {
    let args: Args = mq_common::cli::init();
    mq_class::lang::init();
    mq_common::cli::exit(run(&args))
}

fn run(args: &Args) -> anyhow::Result<()> {
    mq_class::student()?;
    let name = exercises::known(&args.name)?;
    let hints = exercises::hints(name)?;
    let mut progress = Progress::load()?;
    let entry = progress.exercises.entry(name.to_owned()).or_default();
    let Some(hint) = hints.get(entry.hints_shown) else {
        println!("{}", t!("hint.no_more", name = name, n = hints.len()));
        return Ok(());
    };
    entry.hints_shown += 1;
    println!(
        "{}",
        t!(
            "hint.line",
            i = entry.hints_shown,
            n = hints.len(),
            name = name,
            hint = hint
        )
    );
    progress.save()
}
