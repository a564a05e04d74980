//! The classroom exercises stay honest: for every exercise the checker fails on the untouched
//! starter and passes on the reference solution, for two students checking at the same time
//! on the same brokers. Also: a class's students are confined to their own vhosts, and the
//! topic quiz scores against what the broker really does.

// Test support: a failed expectation should stop the test with its message.
#![allow(clippy::expect_used)]

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::Duration;

use mq_tests::{
    Output, Proc, bin, repo_root, require_kafka, require_rabbitmq, run_with_env, unique,
};

const WAIT: Duration = Duration::from_secs(120);

fn check(student: &str, name: &str, solution: bool) -> Proc {
    let mut args = vec![name];
    if solution {
        args.push("--solution");
    }
    // The student's progress goes to a file of the test's, not to the checkout's .progress.json.
    let progress = std::env::temp_dir().join(format!("{student}.progress.json"));
    let progress = progress.to_str().expect("a UTF-8 temp dir");
    Proc::spawn_with_env(
        "check",
        &args,
        &[("STUDENT", student), ("MQ_PROGRESS_FILE", progress)],
    )
}

/// The starter fails its check (exit 1, with a ✘ line and a hint); the solution passes for two
/// students at once.
fn exercise(name: &str) {
    let student = unique("t").replace('-', "");
    let starter = check(&format!("{student}s"), name, false).finish(WAIT);
    assert_eq!(
        starter.status.code(),
        Some(1),
        "the starter must fail its check: {starter:?}"
    );
    assert!(
        starter.stdout.iter().any(|l| l.contains('✘')),
        "{starter:?}"
    );
    assert!(
        starter.stdout.iter().any(|l| l.starts_with("Hint: ")),
        "{starter:?}"
    );
    let (a, b) = (
        check(&format!("{student}a"), name, true),
        check(&format!("{student}b"), name, true),
    );
    for out in [a.finish(WAIT), b.finish(WAIT)] {
        assert!(out.success(), "the solution must pass its check: {out:?}");
        assert!(out.stdout.iter().any(|l| l.starts_with("All ")), "{out:?}");
        assert!(!out.stdout.iter().any(|l| l.contains('✘')), "{out:?}");
    }
}

/// One test per exercise, each named after it (`exercise_kafka_from_beginning` checks
/// `kafka-from-beginning`), so that a broker's pass can skip the others by name. The names
/// themselves are listed once, in mq-class's `exercises::EXERCISES`.
macro_rules! exercise_test {
    ($test:ident, $require:path) => {
        #[test]
        fn $test() {
            $require();
            exercise(&stringify!($test)["exercise_".len()..].replace('_', "-"));
        }
    };
}

exercise_test!(exercise_simple, require_rabbitmq);
exercise_test!(exercise_worker, require_rabbitmq);
exercise_test!(exercise_pubsub, require_rabbitmq);
exercise_test!(exercise_routing, require_rabbitmq);
exercise_test!(exercise_topic, require_rabbitmq);
exercise_test!(exercise_rpc, require_rabbitmq);
exercise_test!(exercise_confirms, require_rabbitmq);
exercise_test!(exercise_kafka_from_beginning, require_kafka);
exercise_test!(exercise_kafka_resume, require_kafka);
exercise_test!(exercise_kafka_rebalance, require_kafka);
// On RabbitMQ 4's stream port, as the Streams chapter.
exercise_test!(exercise_stream_offsets, mq_tests::require_streams);

/// Every committed starter is its solution with the student's lines cut out.
#[test]
fn starters_are_cut_from_their_solutions() {
    let out = Command::new("python3")
        .arg(repo_root().join("scripts/exercises.py"))
        .arg("check-cut")
        .output()
        .expect("run scripts/exercises.py");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn class(dir: &str, args: &[&str]) -> std::process::Output {
    let out = Command::new(repo_root().join("scripts/class.sh"))
        .args(args)
        .env("CLASS_DIR", dir)
        .stdin(Stdio::null())
        .output()
        .expect("run scripts/class.sh");
    assert!(
        out.status.success(),
        "class.sh {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn publish_as(url: &str) -> Output {
    run_with_env(
        "rabbit-simple-producer",
        &["--count", "1", "--interval", "0", "--queue", "class-test"],
        &[("AMQP_URL", url)],
    )
}

/// `just class-setup`: each student reaches their own vhost and no other; teardown removes them.
#[test]
fn class_students_are_confined_to_their_own_vhost() {
    require_rabbitmq();
    let port: u16 = mq_tests::settings_file("docker/brokers.env")["RABBITMQ4_AMQP_PORT"]
        .parse()
        .expect("a port");
    mq_tests::require("RabbitMQ 4 (just up-rabbitmq4)", port);
    let dir = std::env::temp_dir().join(unique("class"));
    let dir = dir.to_str().expect("utf-8 temp dir");
    let stamp = unique("c").replace('-', "");
    let (ann, bob) = (format!("{stamp}ann"), format!("{stamp}bob"));
    class(dir, &["setup", &ann, &bob]);
    let csv = std::fs::read_to_string(format!("{dir}/students.csv")).expect("students.csv");
    let url = |name: &str| -> String {
        csv.lines()
            .find(|l| l.starts_with(&format!("{name},")))
            .and_then(|l| l.rsplit(',').next())
            .expect("a student's URL")
            .to_owned()
    };
    let env = std::fs::read_to_string(format!("{dir}/{ann}.env")).expect("ann's .env");
    assert!(
        env.contains(&format!("STUDENT={ann}")) && env.contains(&url(&ann)),
        "{env}"
    );
    assert!(
        publish_as(&url(&ann)).success(),
        "ann reaches her own vhost"
    );
    // Ann's credentials on Bob's vhost.
    let crossed = url(&ann).replace(&format!("/class-{ann}"), &format!("/class-{bob}"));
    publish_as(&crossed).assert_clean_failure("refused user");
    // The same user and vhost on RabbitMQ 4 (running in `just test`), for stream-offsets.
    let stream = format!("{ann}-events");
    let on_rabbitmq4 = |who: &str| {
        run_with_env(
            "rabbit-stream-producer",
            &["--stream", &stream, "--count", "1", "--quiet"],
            &[("AMQP_URL", &url(who))],
        )
    };
    let out = on_rabbitmq4(&ann);
    assert!(
        out.success(),
        "ann reaches her vhost on RabbitMQ 4: {out:?}"
    );
    class(dir, &["teardown"]);
    publish_as(&url(&bob)).assert_clean_failure("ACCESS_REFUSED");
    let out = on_rabbitmq4(&bob);
    assert!(!out.success(), "bob is gone from RabbitMQ 4 too: {out:?}");
}

/// The quiz scores the answers against what the broker delivers.
#[test]
fn topic_quiz_scores_against_the_broker() {
    require_rabbitmq();
    let mut quiz = Command::new(bin("quiz"))
        .arg("topic")
        .env("STUDENT", unique("quiz").replace('-', ""))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start the quiz");
    // Right, wrong (lazy.# matches `lazy` too), right.
    quiz.stdin
        .take()
        .expect("stdin")
        .write_all(b"1 2 3\n2 4\n1\n")
        .expect("answers");
    let out = quiz.wait_with_output().expect("quiz output");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("`lazy.#`: you said {2, 4}, the broker delivered {2, 4, 5}: not quite"),
        "{stdout}"
    );
    assert!(stdout.contains("2 of 3 right."), "{stdout}");
}

/// The topic exercise's page (both books) shows the very table of keys the exercise publishes,
/// so a student can solve it from the page alone.
#[test]
fn topic_exercise_page_shows_the_exercise_table() {
    let source = std::fs::read_to_string(repo_root().join("exercises/topic/solution.rs"))
        .expect("solution.rs");
    let table = &source[source.find("pub const KEYS").expect("KEYS")..];
    let keys: Vec<&str> = table[..table.find("];").expect("end of KEYS")]
        .split('"')
        .skip(1)
        .step_by(2)
        .collect();
    assert_eq!(keys.len(), 9, "{keys:?}");
    for lang in ["en", "zh"] {
        let page =
            std::fs::read_to_string(repo_root().join(format!("docs/{lang}/src/ex-topic.md")))
                .expect("page");
        let shown: Vec<&str> = page
            .lines()
            .filter_map(|l| {
                l.strip_prefix("| ")?
                    .split(" | `")
                    .nth(1)?
                    .strip_suffix("` |")
            })
            .collect();
        assert_eq!(shown, keys, "docs/{lang}/src/ex-topic.md");
    }
}

/// A check that cannot ask its broker fails, and says so: never a ✔ from a broker it could not
/// reach. RabbitMQ exercises with a wrong password, Kafka exercises with Kafka unreachable, the
/// Streams exercise with either.
#[test]
fn a_check_that_cannot_ask_the_broker_fails() {
    let url = mq_tests::setting("AMQP_URL");
    let password = mq_tests::setting("RABBITMQ_PASSWORD");
    let wrong = url.replacen(&format!(":{password}@"), ":not-the-password@", 1);
    assert_ne!(wrong, url, "AMQP_URL holds the password of .env");
    let progress = std::env::temp_dir().join(format!("{}.progress.json", unique("cannotask")));
    let progress = progress.to_str().expect("a UTF-8 temp dir");
    for (name, key, value) in [
        ("pubsub", "AMQP_URL", wrong.as_str()),
        ("simple", "AMQP_URL", wrong.as_str()),
        ("kafka-from-beginning", "KAFKA_BROKERS", "127.0.0.1:1"),
        ("kafka-resume", "KAFKA_BROKERS", "127.0.0.1:1"),
        ("stream-offsets", "RABBITMQ_STREAM_PORT", "1"),
        ("stream-offsets", "AMQP_URL", wrong.as_str()),
    ] {
        let out = Proc::spawn_with_env(
            "check",
            &[name, "--solution"],
            &[(key, value), ("MQ_PROGRESS_FILE", progress)],
        )
        .finish(WAIT);
        assert_eq!(out.status.code(), Some(1), "{name}: {out:?}");
        assert!(
            out.stdout
                .iter()
                .any(|l| l.starts_with("  ✘ could not ask the broker")),
            "{name}: {out:?}"
        );
        assert!(
            !out.stdout.iter().any(|l| l.contains('✔')),
            "{name} passed a step it could not check: {out:?}"
        );
    }
}
