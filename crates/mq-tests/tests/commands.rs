//! The book's commands run. Every block of both books that tells the reader to type something
//! is marked in its info string, and this test runs what is marked runnable, against the real
//! brokers, from the repository's root, as a reader would:
//!
//! - `text,run`: each line runs and succeeds;
//! - `fails=N`: line N must fail, with one clean `error:` line and no panic (a starter that still
//!   has its `todo!()`s, a message that no queue takes);
//! - `terminals=N-M`: lines N to M are the roles of a scenario, each meant for a terminal of its
//!   own; the scenario runner runs them together (`just rabbit-simple` and the like, run here
//!   through the block's first line), so they are not run alone;
//! - `long=N`: line N is not run here, and the test says why (`just test` is this test; `just
//!   demo` runs right after it in CI; `just bench` takes a quarter of an hour; the replication
//!   lab's recipes, `just cluster-*`, `just kafka-replication` and `just rabbit-quorum`, start
//!   and kill cluster nodes, and `just test-cluster` runs them after this test; `just watch`
//!   runs until Ctrl+C, and `tests/class_tools.rs` drives it);
//! - `interactive=N`: line N asks the reader questions;
//! - `text,terminals`: a block of roles only.
//!
//! A block with commands and no mark fails the test, so a new command cannot go unrun by
//! accident. Where a page shows a captured run of the same command (`docs/captured/`, whose
//! first line is `$ just …`), the run's summary line must match the capture's, digits aside:
//! the lines that matter, compared loosely. The two books must mark the same commands.
//!
//! `MQ_BOOK_COMMANDS=TEXT` runs only the commands that contain TEXT (while writing a page).

// Test support: a missing page or file should stop the test with its message.
#![allow(clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;
use std::io::Read;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use mq_tests::{repo_root, require_kafka, require_rabbitmq};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum How {
    Run,
    Fails,
    Terminals,
    Long,
    Interactive,
}

/// One command of a book, where it is, and how it is to be run.
#[derive(Debug, Clone)]
struct Line {
    page: String,
    command: String,
    how: How,
}

/// `a-b` or `a` as a range of 1-based line numbers.
fn range(spec: &str) -> (usize, usize) {
    let (a, b) = spec.split_once('-').unwrap_or((spec, spec));
    let n = |s: &str| {
        s.parse::<usize>()
            .unwrap_or_else(|_| panic!("a line number: {spec}"))
    };
    (n(a), n(b))
}

/// The command of a line: what is before a comment (a `#` after at least two spaces).
fn command(line: &str) -> Option<String> {
    let text = line.split("  #").next().unwrap_or("").trim();
    (!text.is_empty() && !text.starts_with('#')).then(|| text.to_owned())
}

fn looks_like_commands(body: &str) -> bool {
    body.lines().any(|l| {
        let l = l.trim_start();
        [
            "just ", "cargo ", "python3 ", "pip ", "scripts/", "bash ", "docker ",
        ]
        .iter()
        .any(|p| l.starts_with(p))
            || l == "just"
    })
}

/// Every command of a book's pages, with how to run it.
fn commands(lang: &str) -> Vec<Line> {
    let dir = repo_root().join(format!("docs/{lang}/src"));
    let mut pages: Vec<_> = std::fs::read_dir(&dir)
        .expect("the book")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    pages.sort();
    let mut found = Vec::new();
    for path in pages {
        let page = path
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        let text = std::fs::read_to_string(&path).expect("a page");
        for (i, block) in text.split("```").enumerate() {
            if i % 2 == 0 {
                continue;
            }
            let (info, body) = block.split_once('\n').unwrap_or((block, ""));
            if info.starts_with("rust") || body.contains("{{#include") || !looks_like_commands(body)
            {
                continue;
            }
            let mut marks = info.split(',');
            let language = marks.next().unwrap_or("");
            let marks: Vec<&str> = marks.collect();
            assert!(
                marks.contains(&"run") || marks.contains(&"terminals"),
                "{lang}/{page}: a block of commands with no mark (`text,run`, …; see tests/commands.rs): ```{info}\n{body}```"
            );
            assert!(
                matches!(language, "text" | "sh"),
                "{lang}/{page}: ```{info}"
            );
            let mut how_of = BTreeMap::new();
            for mark in &marks {
                let Some((name, spec)) = mark.split_once('=') else {
                    continue;
                };
                let how = match name {
                    "fails" => How::Fails,
                    "terminals" => How::Terminals,
                    "long" => How::Long,
                    "interactive" => How::Interactive,
                    other => panic!("{lang}/{page}: unknown mark {other}"),
                };
                let (a, b) = range(spec);
                for n in a..=b {
                    how_of.insert(n, how);
                }
            }
            let all = if marks.contains(&"terminals") {
                How::Terminals
            } else {
                How::Run
            };
            let lines: Vec<String> = body.lines().filter_map(command).collect();
            for (n, line) in lines.iter().enumerate() {
                found.push(Line {
                    page: page.clone(),
                    command: line.clone(),
                    how: *how_of.get(&(n + 1)).unwrap_or(&all),
                });
            }
            assert!(
                how_of.keys().all(|&n| n >= 1 && n <= lines.len()),
                "{lang}/{page}: a mark names a line the block does not have: ```{info}"
            );
        }
    }
    found
}

/// A digit-blind form of a line, for comparing a run with its capture: digits, the width of
/// table columns and the scenario's `[label]` (which of two consumers finished last) aside.
fn masked(line: &str) -> String {
    let line = line.trim();
    let line = match line
        .strip_prefix('[')
        .and_then(|rest| rest.split_once("] "))
    {
        Some((_, rest)) => rest,
        None => line,
    };
    let mut out = String::new();
    for c in line.chars() {
        if c.is_ascii_digit() {
            if !out.ends_with('N') {
                out.push('N');
            }
        } else if c.is_whitespace() {
            if !out.ends_with(' ') {
                out.push(' ');
            }
        } else {
            out.push(c);
        }
    }
    out.trim().to_owned()
}

/// The last line of the capture of `command`, if a capture starts with `$ command`.
fn captured_summary(command: &str) -> Option<String> {
    let dir = repo_root().join("docs/captured");
    for entry in std::fs::read_dir(dir).ok()?.filter_map(Result::ok) {
        let text = std::fs::read_to_string(entry.path()).ok()?;
        if text.lines().next() == Some(&format!("$ {command}")) {
            return text
                .lines()
                .rev()
                .find(|l| !l.trim().is_empty())
                .map(str::to_owned);
        }
    }
    None
}

struct Ran {
    code: Option<i32>,
    stdout: String,
    stderr: String,
    took: Duration,
}

/// Runs `command` with bash from the repository's root, no stdin, at most `timeout`.
fn run(command: &str, timeout: Duration) -> Ran {
    let home = std::env::var("HOME").unwrap_or_default();
    let path = format!(
        "{home}/.local/bin:{}",
        std::env::var("PATH").unwrap_or_default()
    );
    let started = Instant::now();
    // `just check` and `just hint` keep a student's progress: the book's runs keep theirs apart
    // from the checkout's .progress.json.
    let progress = std::env::temp_dir().join(format!("book-{}.progress.json", std::process::id()));
    let mut child = Command::new("bash")
        .args(["-c", command])
        .current_dir(repo_root())
        .env("PATH", path)
        .env("MQ_PROGRESS_FILE", progress)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|err| panic!("cannot start bash for {command}: {err}"));
    let mut out = child.stdout.take().expect("stdout");
    let mut err = child.stderr.take().expect("stderr");
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = out.read_to_string(&mut s);
        s
    });
    let err_reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = err.read_to_string(&mut s);
        s
    });
    let code = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status.code();
        }
        if started.elapsed() > timeout {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    Ran {
        code,
        stdout: reader.join().unwrap_or_default(),
        stderr: err_reader.join().unwrap_or_default(),
        took: started.elapsed(),
    }
}

/// Both books mark the same commands the same way.
#[test]
fn both_books_mark_the_same_commands() {
    let key = |l: &Line| (l.page.clone(), l.command.clone(), l.how);
    let en: Vec<_> = commands("en").iter().map(key).collect();
    let zh: Vec<_> = commands("zh").iter().map(key).collect();
    assert!(!en.is_empty(), "no command found in the book");
    assert_eq!(en, zh, "the two books' commands differ");
}

/// Every runnable command of the book runs as the book says.
#[test]
fn every_runnable_command_of_the_book_runs() {
    require_rabbitmq();
    require_kafka();
    let only = std::env::var("MQ_BOOK_COMMANDS").unwrap_or_default();
    let mut seen = std::collections::HashSet::new();
    let mut problems = Vec::new();
    let mut ran_any = false;
    for line in commands("en") {
        if !seen.insert(line.command.clone()) || !line.command.contains(&only) {
            continue; // the same command on another page, or not asked for
        }
        match line.how {
            How::Long | How::Interactive | How::Terminals => {
                println!(
                    "not run here ({:?}): {} [{}]",
                    line.how, line.command, line.page
                );
                continue;
            }
            How::Run | How::Fails => {}
        }
        ran_any = true;
        let ran = run(&line.command, Duration::from_secs(420));
        let output = format!("{}{}", ran.stdout, ran.stderr);
        let tail = || output.lines().rev().take(8).collect::<Vec<_>>().join(" | ");
        println!("ran in {:.0?}: {} [{}]", ran.took, line.command, line.page);
        if output.contains("panicked") {
            problems.push(format!("{}: panicked: {}", line.command, tail()));
        }
        match (line.how, ran.code) {
            (_, None) => problems.push(format!(
                "{}: did not finish in time: {}",
                line.command,
                tail()
            )),
            (How::Run, Some(0)) => {
                if let Some(summary) = captured_summary(&line.command) {
                    let want = masked(&summary);
                    let stripped = strip_colours(&ran.stdout);
                    if !stripped.lines().any(|l| masked(l) == want) {
                        problems.push(format!(
                            "{}: no line like the captured summary {summary:?}: {}",
                            line.command,
                            tail()
                        ));
                    }
                }
            }
            (How::Run, Some(code)) => {
                problems.push(format!("{}: exit code {code}: {}", line.command, tail()));
            }
            (_, Some(0)) => problems.push(format!("{}: should fail, and succeeded", line.command)),
            (_, Some(_)) => {
                if !output
                    .lines()
                    .any(|l| l.contains("error:") || l.contains('✘'))
                {
                    problems.push(format!(
                        "{}: failed without saying why: {}",
                        line.command,
                        tail()
                    ));
                }
            }
        }
    }
    assert!(
        ran_any,
        "no runnable command matched MQ_BOOK_COMMANDS={only:?}"
    );
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

fn strip_colours(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}
