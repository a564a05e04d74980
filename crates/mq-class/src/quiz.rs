//! `just quiz topic`: predict, then let the real broker answer. For each binding pattern the
//! quiz asks which routing keys it matches; then it binds each pattern on a topic exchange of
//! the student's own (`rabbit-topic-consumer`), publishes every key once
//! (`rabbit-topic-producer`) and shows what each pattern really received, next to the guess.

use std::collections::BTreeSet;
use std::io::BufRead;
use std::process::ExitCode;
use std::time::Duration;

use mq_tests::Proc;

const KEYS: [&str; 6] = [
    "quick.orange.rabbit",
    "lazy.orange.elephant",
    "quick.orange.fox",
    "lazy.brown.fox",
    "lazy",
    "quick.orange.male.rabbit",
];
const PATTERNS: [&str; 3] = ["*.orange.*", "lazy.#", "*.*.rabbit"];

fn main() -> ExitCode {
    mq_common::cli::init_logging_only();
    match std::env::args().nth(1).as_deref() {
        None | Some("topic") => {}
        Some(other) => {
            eprintln!("error: no quiz '{other}'; the quizzes are: topic");
            return ExitCode::from(2);
        }
    }
    if let Err(err) = mq_common::student::checked() {
        eprintln!("error: {err}");
        return ExitCode::from(2);
    }
    println!("Topic quiz: `*` matches exactly one word, `#` zero or more. The routing keys:");
    for (i, key) in KEYS.iter().enumerate() {
        println!("  {}. {key}", i + 1);
    }
    let mut guesses = Vec::new();
    let mut input = std::io::stdin().lock().lines();
    for pattern in PATTERNS {
        println!("Which keys does `{pattern}` match? Their numbers, e.g. `1 4` (empty for none):");
        let Some(Ok(line)) = input.next() else {
            eprintln!(
                "error: the quiz reads your answers from the terminal; run `just quiz` in one"
            );
            return ExitCode::from(2);
        };
        let guess: BTreeSet<usize> = line
            .split(|c: char| !c.is_ascii_digit())
            .filter_map(|n| n.parse().ok())
            .filter(|n| (1..=KEYS.len()).contains(n))
            .collect();
        guesses.push(guess);
    }
    println!("Asking the broker…");
    let exchange = mq_common::student::prefixed("quiz");
    let consumers: Vec<Proc> = PATTERNS
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
    if !consumers
        .iter()
        .all(|c| c.saw("Waiting for messages", 1, Duration::from_secs(20)))
    {
        eprintln!(
            "error: the consumers did not start: is RabbitMQ running (`just up`) and .env right?"
        );
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
    let producer = mq_tests::run("rabbit-topic-producer", &publish);
    if !producer.success() {
        eprintln!("error: publishing failed: {}", producer.stderr.trim());
        return ExitCode::FAILURE;
    }
    let mut right = 0;
    for ((pattern, guess), consumer) in PATTERNS.iter().zip(&guesses).zip(consumers) {
        let out = match consumer.try_finish(Duration::from_secs(30)) {
            Ok(out) => out,
            Err(err) => {
                eprintln!("error: a consumer did not end: {err}");
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
            "right"
        } else {
            "not quite"
        };
        println!("`{pattern}`: you said {guess:?}, the broker delivered {truth:?}: {verdict}");
    }
    println!("{right} of {} right.", PATTERNS.len());
    ExitCode::SUCCESS
}
