//! Start-up and exit, the same for every binary.

use std::io::Write;

use clap::Parser;

/// Reads `.env`, sets up logging, then parses the command line.
///
/// `.env` is read first because clap takes defaults from environment variables
/// (`AMQP_URL`, `KAFKA_BROKERS`): that is how `cargo run -p rabbit-simple-producer` finds the
/// broker and password that `just up` wrote, with no flags at all. Variables already set in the
/// environment win over `.env`.
pub fn init<A: Parser>() -> A {
    quiet_on_a_closed_pipe();
    read_dotenv();
    init_logging();
    A::parse()
}

/// Reads `.env` and sets up logging, for a program without flags of its own (the quiz).
pub fn init_logging_only() {
    quiet_on_a_closed_pipe();
    read_dotenv();
    init_logging();
}

/// `cargo run -p rabbit-topic-consumer | head` closes the pipe after ten lines. A C program
/// dies of SIGPIPE then, without a word; a Rust program ignores SIGPIPE, and its next
/// `println!` panics ("failed printing to stdout: Broken pipe") with a backtrace. Here such a
/// panic ends the process as SIGPIPE would: quietly, with the shell's status for it (141).
/// Every other panic keeps the default report.
fn quiet_on_a_closed_pipe() {
    let report = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let message = info
            .payload()
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| info.payload().downcast_ref::<&str>().copied())
            .unwrap_or_default();
        if message.starts_with("failed printing to stdout") && message.contains("Broken pipe") {
            std::process::exit(128 + 13);
        }
        report(info);
    }));
}

/// Reads `.env` into the environment. A missing `.env` is fine: the flags or the environment
/// may carry everything. A malformed one is not: the program stops with the line to fix,
/// rather than run without the settings that `.env` was meant to give.
fn read_dotenv() {
    match dotenvy::dotenv() {
        Ok(_) => {}
        Err(err) if err.not_found() => {}
        Err(err) => {
            // Not the line itself: it may hold a password.
            let what = match &err {
                dotenvy::Error::LineParse(line, at) => format!(
                    "the line of {} does not parse (at character {})",
                    line.split('=').next().unwrap_or("?").trim(),
                    at + 1
                ),
                other => other.to_string(),
            };
            eprintln!(
                "error: .env cannot be read: {what}; fix it, or delete .env and run `just up` to write it again"
            );
            std::process::exit(2);
        }
    }
}

/// Logs go to stderr through `env_logger`, `info` and up unless `RUST_LOG` says otherwise.
///
/// lapin logs through `tracing`, not `log`. The workspace turns on `tracing`'s `log` feature,
/// which forwards every `tracing` event to `log` when no `tracing` subscriber is installed,
/// so `RUST_LOG=lapin=debug` shows lapin's own messages here too.
///
/// By default lapin itself is silent: it logs a connection refusal as an ERROR with the whole
/// AMQP frame, right before our one-line explanation of the same thing. `RUST_LOG=info,lapin=debug`
/// brings it back. rustfs-kafka logs every request at `info` through `tracing` too; it keeps
/// only its warnings (`RUST_LOG=info,rustfs_kafka=debug` shows them all).
fn init_logging() {
    let _ = env_logger::Builder::from_env(
        env_logger::Env::default().default_filter_or(DEFAULT_LOG_FILTER),
    )
    .format_timestamp(None)
    .try_init();
}

/// `info` for our own messages; lapin and the `tracing` span records it emits stay quiet, and
/// rustfs-kafka says only what goes wrong; the stream client only its errors (a hung-up
/// connection is our own one line).
const DEFAULT_LOG_FILTER: &str =
    "info,lapin=off,rustfs_kafka=warn,rabbitmq_stream_client=error,tracing::span=off";

/// Ends the process with the result of a binary's `run`: exit code 0, or 1 after the error.
///
/// An error is printed as one line, its causes joined by `: ` (anyhow's `{:#}`), never as a
/// panic or a backtrace: a learner who mistyped a password needs one sentence, not a stack.
///
/// It exits here instead of returning from `main`: a consumer that gives up during a broker
/// outage still has lapin's reconnecting I/O thread running on the Tokio runtime, and returning
/// from `main` would shut the runtime down under that thread, which then panics.
pub fn exit(result: anyhow::Result<()>) -> ! {
    let code = match result {
        Ok(()) => 0,
        Err(err) => {
            eprintln!("error: {}", crate::rabbit::describe(&err));
            1
        }
    };
    let _ = std::io::stdout().flush();
    std::process::exit(code)
}
