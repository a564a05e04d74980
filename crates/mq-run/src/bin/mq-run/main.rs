//! `mq-run`: the chapters' scenarios and `just demo`, behind the `just` recipes.
//!
//! ```text
//! mq-run CHAPTER                 the chapter's scenario: consumers, then the producer, labelled
//! mq-run CHAPTER ROLE [ARGS...]  one role's binary with those arguments (`consumer 'lazy.#'`)
//! mq-run rabbit-confirms [ARGS]  the confirms chapter's one binary, with its flags
//! mq-run demo [--verbose]        every chapter, then a table
//! ```
//!
//! It builds what a chapter runs (one progress line) while the broker starts, if its port does
//! not answer. Ctrl+C or SIGTERM ends every process it started, builds included.

mod brokers;
mod demo;
mod printed;
mod run;
mod say;
mod scenarios;
mod superstream;

use std::os::unix::process::CommandExt;
use std::process::{Command, ExitCode};

use anyhow::{Context, bail};
use mq_run::build::Build;
use mq_run::{bin_path, stop};

use crate::scenarios::{SCENARIOS, Scenario};

const USAGE: &str = "\
mq-run: runs the chapters' scenarios against the real brokers (behind `just rabbit-topic`, `just demo`)

Usage:
  mq-run CHAPTER                 the chapter's scenario: consumers first, then the producer,
                                 every line labelled by who printed it
  mq-run CHAPTER ROLE [ARGS...]  one role's binary with those arguments:
                                 `mq-run rabbit-topic consumer --quiet 'lazy.#'`
  mq-run rabbit-confirms [ARGS]  the confirms chapter's one binary, with its flags
  mq-run demo [--verbose]        every chapter, one after the other, then a table
                                 (--verbose: cargo's own output instead of one line per build)

Each builds what it runs and, if the broker's port does not answer, starts the broker meanwhile.
Ctrl+C or SIGTERM ends every process it started, builds included.";

fn main() -> ExitCode {
    // A closed stdout (`just rabbit-topic | head`) ends the run quietly, as SIGPIPE would.
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if info.to_string().contains("failed printing to stdout") {
            stop::stop_all();
            std::process::exit(141);
        }
        default_hook(info);
    }));
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err:#}");
            stop::stop_all();
            ExitCode::FAILURE
        }
    }
}

fn run(args: &[String]) -> anyhow::Result<()> {
    let Some(first) = args.first() else {
        bail!("which chapter? `mq-run --help` lists the usage, `just --list` the chapters");
    };
    if first == "--help" || first == "-h" {
        println!("{USAGE}\n\nChapters: demo {}", names().join(" "));
        return Ok(());
    }
    stop::on_signal()?;
    if first == "demo" {
        return match args.get(1).map(String::as_str) {
            None => demo::run(false),
            Some("--verbose") => demo::run(true),
            Some(other) => bail!("unknown flag '{other}' for demo: use --verbose"),
        };
    }
    let Some(scenario) = scenarios::find(first) else {
        bail!(
            "unknown chapter '{first}': use one of {}",
            names().join(", ")
        );
    };
    let rest = &args[1..];
    if rest.is_empty() {
        return scenario_run(scenario);
    }
    // One role with its arguments, or the confirms chapter's one binary with its flags: the
    // binary takes this process's place, so Ctrl+C and its exit status are its own.
    let (binary, args) = if scenario.roles.is_empty() && scenario.packages.len() == 1 {
        (scenario.packages[0], rest)
    } else {
        let role = rest[0].as_str();
        if role == "--help" || role == "-h" {
            let roles: Vec<&str> = scenario.roles.iter().map(|(r, _)| *r).collect();
            match roles.as_slice() {
                [] => println!(
                    "{USAGE}\n\n{} runs as a whole: it has no roles",
                    scenario.name
                ),
                _ => println!("{USAGE}\n\n{}'s roles: {}", scenario.name, roles.join(", ")),
            }
            return Ok(());
        }
        let Some((_, binary)) = scenario.roles.iter().find(|(r, _)| *r == role) else {
            if scenario.roles.is_empty() {
                bail!(
                    "{} takes no role: run `just {}` alone",
                    scenario.name,
                    scenario.name
                );
            }
            let roles: Vec<&str> = scenario.roles.iter().map(|(r, _)| *r).collect();
            bail!("unknown role '{role}': use {}", roles.join(" or "));
        };
        (*binary, &rest[1..])
    };
    prepare(scenario)?;
    let err = Command::new(bin_path(binary)).args(args).exec();
    Err(err).with_context(|| format!("cannot run {binary}"))
}

fn names() -> Vec<&'static str> {
    SCENARIOS.iter().map(|s| s.name).collect()
}

/// Builds the scenario's binaries (one progress line) and, at the same time, starts its broker
/// if the broker does not answer.
fn prepare(scenario: &Scenario) -> anyhow::Result<()> {
    let starting = brokers::start_unless_up(scenario.broker)?;
    Build {
        label: scenario.name,
        packages: scenario.packages,
        defaults: &[],
    }
    .run(&mut std::io::stdout())?;
    if let Some(starting) = starting {
        starting.wait()?;
        say::info("brokers up");
    }
    Ok(())
}

fn scenario_run(scenario: &Scenario) -> anyhow::Result<()> {
    prepare(scenario)?;
    run::Run::new().steps(scenario)
}
