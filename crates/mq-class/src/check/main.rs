//! `just check NAME [--solution]`: checks a classroom exercise by what it does against the
//! real brokers, not by its text. It runs the student's binary (`ex-NAME`, built from
//! `exercises/NAME/src/main.rs`) or, with `--solution`, the reference (`ex-NAME-solution`),
//! prints what passed and what failed with one hint, and exits 0 only when all passed.
//!
//! Every name a check uses starts with the student's name (`STUDENT`, or the login name), so
//! a class can check on one shared broker at the same time.

// The checker's lines, in the learner's language (mq_class::lang).
rust_i18n::i18n!("locales", fallback = "en");

mod exchanges;
mod kafka;
mod rabbit;
mod resume;
mod rpc;
mod streams;

use std::process::ExitCode;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use clap::Parser;
use mq_class::exercises::EXERCISES;
use mq_class::progress::Progress;
use mq_class::results::{self, CheckResult};
use mq_common::config::{KafkaArgs, RabbitArgs};
use mq_common::lines::WAITING;
use mq_run::{Output, Proc, bin_path};
use rust_i18n::t;

/// Check an exercise against the real brokers.
#[derive(Parser, Debug)]
struct Args {
    /// The exercise, as `just exercises` lists it.
    name: String,
    /// Check the reference solution instead of your code.
    #[arg(long)]
    solution: bool,
    #[command(flatten)]
    rabbit: RabbitArgs,
    #[command(flatten)]
    kafka: KafkaArgs,
    #[command(flatten)]
    stream: mq_common::stream::StreamArgs,
}

/// The exercises and their checks, in the order of the chapters.
type CheckFn = fn(&mut Check);

/// The check of each exercise of [`EXERCISES`], the one list of their names, in its order.
const CHECKS: [CheckFn; EXERCISES.len()] = [
    rabbit::simple,
    rabbit::worker,
    exchanges::pubsub,
    exchanges::routing,
    exchanges::topic,
    rpc::rpc,
    rabbit::confirms,
    kafka::from_beginning,
    kafka::resume,
    kafka::rebalance,
    streams::offsets,
];

/// How long one program may run before the check gives up on it.
const TIMEOUT: Duration = Duration::from_secs(60);

/// One exercise's check in progress: what passed, what failed, and the first hint.
pub(crate) struct Check {
    /// The binary under test.
    binary: String,
    pub(crate) student: String,
    pub(crate) rabbit: RabbitArgs,
    passed: usize,
    /// What failed, in order (kept in the student's progress file).
    failures: Vec<String>,
    hint: Option<String>,
}

impl Check {
    /// A name for a queue, exchange, topic or group: the student's, then the exercise's.
    pub(crate) fn name(&self, what: &str) -> String {
        format!("{}-check-{what}", self.student)
    }

    /// A name no earlier run used, for a topic or a stream: both keep old messages, which
    /// would skew a check.
    pub(crate) fn fresh(&self, what: &str) -> String {
        let stamp = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_millis());
        self.name(&format!("{what}-{stamp}"))
    }

    pub(crate) fn pass(&mut self, text: &str) {
        println!("  ✔ {text}");
        self.passed += 1;
    }

    pub(crate) fn fail(&mut self, text: &str, hint: &str) {
        println!("  ✘ {text}");
        self.failures.push(text.to_owned());
        self.hint.get_or_insert_with(|| hint.to_owned());
    }

    /// Starts the binary under test with `args`; `None`, recorded as a failure, if it cannot
    /// be started.
    pub(crate) fn start(&mut self, args: &[&str]) -> Option<Proc> {
        let binary = self.binary.clone();
        self.helper(&binary, args)
    }

    /// Starts one of the chapters' binaries (a producer or server the check runs beside the
    /// student's); `None`, recorded as a failure, if it cannot be started.
    pub(crate) fn helper(&mut self, binary: &str, args: &[&str]) -> Option<Proc> {
        match Proc::spawn(binary, args) {
            Ok(proc) => Some(proc),
            Err(err) => {
                self.fail(
                    &t!("check.did_not_start", step = binary),
                    &format!("{err:#}"),
                );
                None
            }
        }
    }

    /// Runs the binary under test to its end; `None` (reported as a failure of `step`) if it
    /// did not end within a minute.
    pub(crate) fn run(&mut self, step: &str, args: &[&str]) -> Option<Output> {
        let proc = self.start(args)?;
        self.finish(step, proc)
    }

    /// Runs the binary under test as the producer of a check; false, recorded as a failure with
    /// the reason, if it did not succeed.
    pub(crate) fn produce(&mut self, args: &[&str]) -> bool {
        let Some(out) = self.run(&t!("step.producer"), args) else {
            return false;
        };
        if !out.success() {
            self.fail(&t!("check.producer_failed"), &why(&out));
        }
        out.success()
    }

    /// Waits for `proc` to end; one that hangs is stopped and reported as a failure of `step`.
    pub(crate) fn finish(&mut self, step: &str, proc: Proc) -> Option<Output> {
        match proc.try_finish(TIMEOUT) {
            Ok(out) => Some(out),
            Err(err) => {
                self.fail(
                    &t!("check.did_not_end", step = step, secs = TIMEOUT.as_secs()),
                    &format!("{err:#}"),
                );
                None
            }
        }
    }

    /// Starts the binary under test as a consumer and waits until it says it is consuming; if
    /// it does not, stops it and records a failure of `step` with the reason.
    pub(crate) fn consumer(&mut self, step: &str, args: &[&str]) -> Option<Proc> {
        let mut proc = self.start(args)?;
        if proc.saw(WAITING, 1, Duration::from_secs(20)) {
            return Some(proc);
        }
        proc.kill();
        let reason = match proc.try_finish(TIMEOUT) {
            Ok(out) => why(&out),
            Err(err) => format!("{err:#}"),
        };
        self.fail(&t!("check.did_not_start", step = step), &reason);
        None
    }
}

/// Why a program failed, in a few words: the `todo!()` it reached, its error line, or its
/// exit status.
pub(crate) fn why(out: &Output) -> String {
    if let Some(line) = out
        .stderr
        .lines()
        .find(|l| l.contains("not yet implemented"))
    {
        let pointer = line
            .split("not yet implemented")
            .nth(1)
            .unwrap_or("")
            .trim_start_matches(':')
            .trim();
        return t!("check.why_todo", pointer = pointer).into_owned();
    }
    match out.stderr.lines().rev().find(|l| l.starts_with("error:")) {
        Some(line) => line.to_owned(),
        None => t!("check.why_exit", status = out.status).into_owned(),
    }
}

fn main() -> ExitCode {
    let args: Args = mq_common::cli::init();
    mq_class::lang::init();
    let Some((name, check)) = EXERCISES
        .iter()
        .zip(CHECKS)
        .find(|(name, _)| **name == args.name)
    else {
        if let Err(err) = mq_class::exercises::known(&args.name) {
            eprintln!("error: {err}");
        }
        return ExitCode::from(2);
    };
    let binary = if args.solution {
        format!("ex-{name}-solution")
    } else {
        format!("ex-{name}")
    };
    if !bin_exists(&binary) {
        eprintln!(
            "error: {}",
            t!("check.not_built", binary = binary, name = name)
        );
        return ExitCode::from(2);
    }
    let student = match mq_class::student() {
        Ok(student) => student,
        Err(err) => {
            eprintln!("error: {err}");
            return ExitCode::from(2);
        }
    };
    // The result goes into the progress file: one that cannot be read stops the check before
    // it runs, rather than after.
    if !args.solution
        && let Err(err) = Progress::load()
    {
        eprintln!("error: {err:#}");
        return ExitCode::from(2);
    }
    let whose = if args.solution {
        t!("check.the_solution").into_owned()
    } else {
        format!("exercises/{name}/src/main.rs")
    };
    println!(
        "{}",
        t!(
            "check.checking",
            name = name,
            whose = whose,
            student = student,
            broker = broker_of(name, &args)
        )
    );
    let mut run = Check {
        binary,
        student,
        rabbit: args.rabbit.clone(),
        passed: 0,
        failures: Vec::new(),
        hint: None,
    };
    // A check that cannot look fails: the exercise's broker must answer the checker first.
    match can_ask(name, &args) {
        Ok(()) => check(&mut run),
        Err(err) => run.fail(
            &t!("check.could_not_ask", err = format!("{err:#}")),
            &t!("check.could_not_ask_hint"),
        ),
    }
    if let Some(hint) = &run.hint {
        println!("{}", t!("check.hint", hint = hint));
    }
    let passed = run.failures.is_empty() && run.passed > 0;
    if !args.solution {
        record(name, &run);
    }
    if passed {
        println!("{}", t!("check.all_passed", n = run.passed));
        ExitCode::SUCCESS
    } else {
        println!(
            "{}",
            t!(
                "check.some_failed",
                failed = run.failures.len(),
                total = run.passed + run.failures.len()
            )
        );
        ExitCode::FAILURE
    }
}

/// Writes the result into the student's progress file (`just progress` lists it). A check
/// that ran nothing counts as failed.
fn record(name: &str, run: &Check) {
    let mut failed = run.failures.clone();
    if run.passed == 0 && failed.is_empty() {
        failed.push(t!("check.none_ran").into_owned());
    }
    let saved = Progress::load().and_then(|mut progress| {
        progress.record(name, failed.clone());
        progress.save()
    });
    if let Err(err) = saved {
        eprintln!(
            "warning: {}",
            t!("check.progress_not_saved", err = format!("{err:#}"))
        );
    }
    // In a class (its .env sets CLASS_RESULTS_URL), the teacher's board gets the result too.
    if let Some(url) = results::destination() {
        let result = CheckResult::new(&run.student, name, failed);
        match results::publish(&url, &result) {
            Ok(()) => println!("{}", t!("check.result_sent")),
            Err(err) => eprintln!(
                "warning: {}",
                t!("check.result_not_sent", err = format!("{err:#}"))
            ),
        }
    }
}

/// Connects to the broker of exercise `name` (Kafka for the kafka-* exercises, RabbitMQ for
/// the others) as the checker does, so that a check never takes "could not ask" for "absent".
fn can_ask(name: &str, args: &Args) -> anyhow::Result<()> {
    if name.starts_with("kafka-") {
        mq_common::kafka::connect(&args.kafka)?;
        return Ok(());
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    if name.starts_with("stream-") {
        // The environment opens a connection and logs in: that is the question.
        return runtime.block_on(async {
            mq_common::stream::connect(&args.rabbit, &args.stream).await?;
            Ok(())
        });
    }
    runtime.block_on(async {
        let rabbitmq = mq_common::rabbit::RabbitMQ::open(&args.rabbit, "exercise checker").await?;
        rabbitmq.close().await
    })
}

/// Which broker the check talks to, without the password: a student whose `.env` points at
/// the class's broker through an SSH forward sees whether it reaches that one or their own.
fn broker_of(name: &str, args: &Args) -> String {
    if name.starts_with("kafka-") {
        return format!("Kafka {}", args.kafka.kafka_brokers.join(","));
    }
    let url = args.rabbit.amqp_url.as_deref().unwrap_or_default();
    match url.parse::<lapin::uri::AMQPUri>() {
        // The Streams exercise speaks the stream protocol, on its own port.
        Ok(uri) if name.starts_with("stream-") => format!(
            "RabbitMQ Streams {}:{}, vhost '{}'",
            uri.authority.host, args.stream.stream_port, uri.vhost
        ),
        Ok(uri) => format!(
            "RabbitMQ {}:{}, vhost '{}'",
            uri.authority.host, uri.authority.port, uri.vhost
        ),
        Err(_) => "RabbitMQ (AMQP_URL is not set or not a URL)".to_owned(),
    }
}

fn bin_exists(name: &str) -> bool {
    bin_path(name).exists()
}
