//! `just hint NAME`: the next hint of an exercise that you have not seen yet, one per call.
//! How many you have seen is kept with your progress (`.progress.json`).

use clap::Parser;
use mq_class::exercises;
use mq_class::progress::Progress;

/// Show the next hint of an exercise.
#[derive(Parser, Debug)]
#[command(version)]
struct Args {
    /// The exercise, as `just exercises` lists it.
    name: String,
}

fn main() -> ! {
    let args: Args = mq_common::cli::init();
    mq_common::cli::exit(run(&args))
}

fn run(args: &Args) -> anyhow::Result<()> {
    mq_class::student()?;
    let name = exercises::known(&args.name)?;
    let hints = exercises::hints(name)?;
    let mut progress = Progress::load()?;
    let entry = progress.exercises.entry(name.to_owned()).or_default();
    let Some(hint) = hints.get(entry.hints_shown) else {
        println!(
            "No more hints for {name}: you have seen all {}. Its page in the book walks through \
             the chapter's code, and `just check {name}` says what still fails.",
            hints.len()
        );
        return Ok(());
    };
    entry.hints_shown += 1;
    println!(
        "Hint {} of {} for {name}: {hint}",
        entry.hints_shown,
        hints.len()
    );
    progress.save()
}
