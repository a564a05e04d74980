//! `just quiz topic`: predict, then let the real broker answer. For each binding pattern the
//! quiz asks which routing keys it matches; then it binds each pattern on a topic exchange of
//! the student's own (`rabbit-topic-consumer`), publishes every key once
//! (`rabbit-topic-producer`) and shows what each pattern really received, next to the guess.

use std::collections::BTreeSet;
use std::io::BufRead;
use std::process::ExitCode;
use std::time::Duration;

use mq_common::lines::WAITING;
use mq_run::Proc;
use rust_i18n::t;

const KEYS: [&str; 6] = [
    "quick.orange.rabbit",
    "lazy.orange.elephant",
    "quick.orange.fox",
    "lazy.brown.fox",
    "lazy",
    "quick.orange.male.rabbit",
];
const PATTERNS: [&str; 3] = ["*.orange.*", "lazy.#", "*.*.rabbit"];

rust_i18n::i18n!("locales", fallback = "en");

fn main() -> ExitCode {
    mq_common::cli::init_logging_only();
    mq_class::lang::init();
    match std::env::args().nth(1).as_deref() {
        None | Some("topic") => {}
        Some(other) => {
            eprintln!("error: {}", t!("quiz.unknown", name = other));
            return ExitCode::from(2);
        }
    }
    if let Err(err) = mq_class::student() {
        eprintln!("error: {err}");
        return ExitCode::from(2);
    }
    println!("{}", t!("quiz.intro"));
    for (i, key) in KEYS.iter().enumerate() {
        println!("  {}. {key}", i + 1);
    }
    let mut guesses = Vec::new();
    let mut input = std::io::stdin().lock().lines();
    for pattern in PATTERNS {
        println!("{}", t!("quiz.ask", pattern = pattern));
        let Some(Ok(line)) = input.next() else {
            eprintln!("error: {}", t!("quiz.no_terminal"));
            return ExitCode::from(2);
        };
        let guess: BTreeSet<usize> = line
            .split(|c: char| !c.is_ascii_digit())
            .filter_map(|n| n.parse().ok())
            .filter(|n| (1..=KEYS.len()).contains(n))
            .collect();
        guesses.push(guess);
    }
    println!("{}", t!("quiz.asking"));
    let exchange = mq_common::student::prefixed("quiz");
    let consumers: anyhow::Result<Vec<Proc>> = PATTERNS
        .iter()
        .map(|pattern| {
            Proc::spawn(
                "rabbit-topic-consumer",
                &[
                    "--exchange",
                    &exchange,
                    "--binding-key",
                    pattern,
                    "--idle-timeout",
                    "2s",
                    "--max-messages",
                    "6",
                ],
            )
        })
        .collect();
    let consumers = match consumers {
        Ok(consumers) => consumers,
        Err(err) => {
            eprintln!("error: {err:#}");
            return ExitCode::FAILURE;
        }
    };
    if !consumers
        .iter()
        .all(|c| c.saw(WAITING, 1, Duration::from_secs(20)))
    {
        eprintln!("error: {}", t!("quiz.consumers_did_not_start"));
        return ExitCode::FAILURE;
    }
    let mut publish = vec![
        "--exchange",
        exchange.as_str(),
        "--count",
        "1",
        "--interval",
        "0",
    ];
    for key in KEYS {
        publish.extend(["--key", key]);
    }
    let producer = match Proc::spawn("rabbit-topic-producer", &publish)
        .and_then(|p| p.try_finish(Duration::from_secs(60)))
    {
        Ok(out) => out,
        Err(err) => {
            eprintln!("error: {err:#}");
            return ExitCode::FAILURE;
        }
    };
    if !producer.success() {
        eprintln!(
            "error: {}",
            t!("quiz.publish_failed", err = producer.stderr.trim())
        );
        return ExitCode::FAILURE;
    }
    let mut right = 0;
    for ((pattern, guess), consumer) in PATTERNS.iter().zip(&guesses).zip(consumers) {
        let out = match consumer.try_finish(Duration::from_secs(30)) {
            Ok(out) => out,
            Err(err) => {
                eprintln!(
                    "error: {}",
                    t!("quiz.consumer_did_not_end", err = format!("{err:#}"))
                );
                return ExitCode::FAILURE;
            }
        };
        let truth: BTreeSet<usize> = out
            .received()
            .iter()
            .filter_map(|(_, key)| KEYS.iter().position(|k| k == key).map(|i| i + 1))
            .collect();
        let verdict = if *guess == truth {
            right += 1;
            t!("quiz.right")
        } else {
            t!("quiz.not_quite")
        };
        println!(
            "{}",
            t!(
                "quiz.verdict",
                pattern = pattern,
                guess = format!("{guess:?}"),
                truth = format!("{truth:?}"),
                verdict = verdict
            )
        );
    }
    println!("{}", t!("quiz.score", right = right, n = PATTERNS.len()));
    ExitCode::SUCCESS
}
