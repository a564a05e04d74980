//! The students' tools around `just check`: the progress file it writes, `just progress`,
//! `just hint` one hint per call, and `just watch` checking again on every save and moving on
//! when an exercise passes. Each test has a progress file of its own (`MQ_PROGRESS_FILE`) and
//! a student name of its own, so they run beside the other tests on the shared brokers.

// Test support: a failed expectation should stop the test with its message.
#![allow(clippy::expect_used)]

use std::path::PathBuf;
use std::time::{Duration, Instant};

use mq_tests::{Output, Proc, repo_root, require_rabbitmq, unique};
use serde_json::Value;

/// A progress file of its own, and a student name of its own, for one test.
struct Student {
    name: String,
    progress: PathBuf,
    path: String,
}

impl Student {
    fn new(prefix: &str) -> Self {
        let name = unique(prefix);
        let progress = std::env::temp_dir().join(format!("{name}.progress.json"));
        // `just watch` runs `just check`: `just` is where `pip install rust-just` puts it.
        let home = std::env::var("HOME").unwrap_or_default();
        let path = format!(
            "{home}/.local/bin:{}",
            std::env::var("PATH").unwrap_or_default()
        );
        Self {
            name,
            progress,
            path,
        }
    }

    fn env(&self) -> Vec<(&str, &str)> {
        vec![
            ("STUDENT", self.name.as_str()),
            (
                "MQ_PROGRESS_FILE",
                self.progress.to_str().expect("a UTF-8 path"),
            ),
            ("PATH", self.path.as_str()),
        ]
    }

    fn run(&self, binary: &str, args: &[&str]) -> Output {
        Proc::spawn_with_env(binary, args, &self.env()).finish(Duration::from_secs(180))
    }

    fn spawn(&self, binary: &str, args: &[&str]) -> Proc {
        Proc::spawn_with_env(binary, args, &self.env())
    }

    fn progress(&self) -> Value {
        let text = std::fs::read_to_string(&self.progress).expect("a progress file");
        serde_json::from_str(&text).expect("JSON")
    }
}

impl Drop for Student {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.progress);
    }
}

fn printed(out: &Output, needle: &str) -> bool {
    out.stdout.iter().any(|l| l.contains(needle))
}

/// `just check` on the student's code writes the progress file; `--solution` does not;
/// `just progress` lists the exercise as current, with its try and what failed.
#[test]
fn a_check_updates_the_progress_and_progress_lists_it() {
    require_rabbitmq();
    let student = Student::new("progress");
    let out = student.run("check", &["simple"]);
    assert!(!out.success(), "the starter passed: {out:?}");
    let progress = student.progress();
    assert_eq!(progress["current"], "simple", "{progress}");
    assert_eq!(progress["exercises"]["simple"]["tries"], 1, "{progress}");
    assert_eq!(progress["exercises"]["simple"]["done"], false, "{progress}");
    assert!(
        !progress["exercises"]["simple"]["failed"]
            .as_array()
            .expect("failed")
            .is_empty(),
        "{progress}"
    );

    let listed = student.run("progress", &[]);
    assert!(listed.success(), "{listed:?}");
    assert!(printed(&listed, "▶ simple"), "{listed:?}");
    assert!(printed(&listed, "current, 1 try"), "{listed:?}");
    assert!(printed(&listed, "last failed:"), "{listed:?}");
    assert!(printed(&listed, "· worker"), "{listed:?}");
    assert!(printed(&listed, "0 of 11 done"), "{listed:?}");

    // The reference solution passes, and is not the student's progress.
    let solution = student.run("check", &["simple", "--solution"]);
    assert!(solution.success(), "{solution:?}");
    assert_eq!(student.progress()["exercises"]["simple"]["tries"], 1);
}

/// `just hint NAME` shows the next hint not yet shown, one per call, then says there are no
/// more; the count is kept in the progress file.
#[test]
fn hints_come_one_per_call() {
    let student = Student::new("hints");
    let first = student.run("hint", &["topic"]);
    assert!(first.success(), "{first:?}");
    let total: usize = first
        .stdout
        .iter()
        .find_map(|l| {
            l.strip_prefix("Hint 1 of ")?
                .split(' ')
                .next()?
                .parse()
                .ok()
        })
        .unwrap_or_else(|| panic!("no 'Hint 1 of N': {first:?}"));
    assert!(total >= 2, "{first:?}");
    for n in 2..=total {
        let out = student.run("hint", &["topic"]);
        assert!(
            printed(&out, &format!("Hint {n} of {total} for topic:")),
            "{out:?}"
        );
    }
    let done = student.run("hint", &["topic"]);
    assert!(printed(&done, "No more hints for topic"), "{done:?}");
    assert_eq!(
        student.progress()["exercises"]["topic"]["hints_shown"],
        total
    );

    let unknown = student.run("hint", &["nope"]);
    unknown.assert_clean_failure("no exercise 'nope'");
}

/// `just watch simple`: the starter fails; a save of its file is noticed and checked again;
/// Ctrl+C stops the watch cleanly.
#[test]
fn watch_checks_again_when_the_file_is_saved() {
    require_rabbitmq();
    let student = Student::new("watch");
    let watch = student.spawn("watch", &["simple"]);
    watch.wait_for("[watch] ✘ simple", 1, Duration::from_secs(180));
    // A save: the same text written again (the starter stays as it is).
    let file = repo_root().join("exercises/simple/src/main.rs");
    let text = std::fs::read(&file).expect("the starter");
    let saved = Instant::now();
    std::fs::write(&file, &text).expect("saving the starter");
    watch.wait_for("saved: checking simple again", 1, Duration::from_secs(30));
    println!("watch noticed the save after {:?}", saved.elapsed());
    watch.wait_for("[watch] ✘ simple", 2, Duration::from_secs(180));
    watch.interrupt();
    let out = watch.finish(Duration::from_secs(60));
    assert!(
        out.success(),
        "Ctrl+C did not stop the watch cleanly: {out:?}"
    );
    assert!(printed(&out, "[watch] stopped watching."), "{out:?}");
    // The two checks were the student's: both in the progress file.
    assert_eq!(student.progress()["exercises"]["simple"]["tries"], 2);
}

/// `just watch simple --solution`: the reference passes, and the watch moves on to the next
/// exercise and checks it.
#[test]
fn watch_moves_on_when_the_exercise_passes() {
    require_rabbitmq();
    let student = Student::new("watchon");
    let watch = student.spawn("watch", &["simple", "--solution"]);
    watch.wait_for(
        "[watch] ✔ simple passes. Next: worker",
        1,
        Duration::from_secs(180),
    );
    watch.wait_for("[watch] checking worker", 1, Duration::from_secs(10));
    watch.interrupt();
    let out = watch.finish(Duration::from_secs(180));
    assert!(out.success(), "{out:?}");
}

/// The first hint of `docs/LANG/src/ex-NAME.md`, as `just hint` shows it (its lines joined).
fn first_hint(lang: &str, name: &str) -> String {
    let page = std::fs::read_to_string(repo_root().join(format!("docs/{lang}/src/ex-{name}.md")))
        .expect("the exercise's page");
    let start = page.find("<summary>").expect("a hint");
    let body = &page[start..];
    let body = &body[body.find("</summary>").expect("its summary") + "</summary>".len()..];
    let body = &body[..body.find("</details>").expect("its end")];
    body.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn chinese(line: &str) -> bool {
    line.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

/// The learner's language: with `LANG=zh_CN.UTF-8` (and no MQ_LANG or LC_ALL), `check topic`
/// prints its lines and its hint in Chinese and `hint topic` the zh page's first hint; with
/// `LANG=C.UTF-8`, both are English.
#[test]
fn the_tools_speak_the_learners_language() {
    require_rabbitmq();
    for (lang, book) in [("zh_CN.UTF-8", "zh"), ("C.UTF-8", "en")] {
        let student = Student::new("lang");
        let mut env = student.env();
        env.extend([
            ("LANG", lang),
            ("LC_ALL", ""),
            ("LC_MESSAGES", ""),
            ("MQ_LANG", ""),
        ]);
        let out = Proc::spawn_with_env("check", &["topic"], &env).finish(Duration::from_secs(180));
        assert!(!out.success(), "the starter passed: {out:?}");
        let failed: Vec<&String> = out
            .stdout
            .iter()
            .filter(|l| l.starts_with("  ✘ "))
            .collect();
        assert!(!failed.is_empty(), "{out:?}");
        let (heading, hint, summary) = if book == "zh" {
            ("检查练习 topic", "提示:", "项检查中有")
        } else {
            ("Checking exercise topic", "Hint: ", "checks failed.")
        };
        assert!(out.stdout[0].starts_with(heading), "{lang}: {out:?}");
        let hint_line = out
            .stdout
            .iter()
            .find(|l| l.starts_with(hint))
            .unwrap_or_else(|| panic!("{lang}: no hint line: {out:?}"));
        assert!(printed(&out, summary), "{lang}: {out:?}");
        for line in failed.iter().copied().chain([hint_line]) {
            assert_eq!(chinese(line), book == "zh", "{lang}: {line}");
        }
        let hinted = Proc::spawn_with_env("hint", &["topic"], &env).finish(Duration::from_secs(30));
        assert!(hinted.success(), "{hinted:?}");
        let expected = first_hint(book, "topic");
        assert!(
            hinted.stdout.iter().any(|l| l.ends_with(&expected)),
            "{lang}: the {book} page's first hint ({expected}) is not in {:?}",
            hinted.stdout
        );
        assert_eq!(
            chinese(&hinted.stdout.join("\n")),
            book == "zh",
            "{hinted:?}"
        );
        // The other tools: progress lists, the quiz asks (and, with no terminal, stops), watch
        // refuses an unknown exercise; each in the same language.
        let listed = Proc::spawn_with_env("progress", &[], &env).finish(Duration::from_secs(30));
        assert!(listed.success(), "{listed:?}");
        let quiz = Proc::spawn_with_env("quiz", &[], &env).finish(Duration::from_secs(30));
        let watch = Proc::spawn_with_env("watch", &["nope"], &env).finish(Duration::from_secs(30));
        for (tool, text) in [
            ("progress", listed.stdout.join("\n")),
            (
                "quiz",
                format!("{}\n{}", quiz.stdout.join("\n"), quiz.stderr),
            ),
            ("watch", watch.stderr.clone()),
        ] {
            assert!(!text.trim().is_empty(), "{tool} printed nothing");
            assert_eq!(chinese(&text), book == "zh", "{lang}: {tool}: {text}");
        }
    }
}
