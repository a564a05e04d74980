//! The chapters' runner (`crates/mq-run`, behind `just rabbit-topic` and `just demo`): stopping
//! it ends everything it started, and a role's arguments reach its binary as given.

// Test support: a failed expectation should stop the test with its message.
#![allow(clippy::expect_used, clippy::panic)]

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader};
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use mq_run::procfs::Stat;
use mq_tests::{Proc, repo_root, require_rabbitmq, unique};

/// A process as /proc shows it: its stat (parent, start time, state) and its command line.
#[derive(Debug, Clone)]
struct Process {
    stat: Stat,
    command: String,
}

fn processes() -> BTreeMap<u32, Process> {
    mq_run::procfs::all()
        .into_iter()
        .map(|(pid, stat)| {
            let command = std::fs::read_to_string(format!("/proc/{pid}/cmdline"))
                .unwrap_or_default()
                .replace('\0', " ");
            (pid, Process { stat, command })
        })
        .collect()
}

/// `root` and every process under it, by the parent links of the process tree.
fn tree(root: u32) -> BTreeMap<u32, Process> {
    let all = processes();
    let mut found = BTreeMap::new();
    let mut todo = vec![root];
    while let Some(pid) = todo.pop() {
        if let Some(p) = all.get(&pid) {
            found.insert(pid, p.clone());
            todo.extend(
                all.iter()
                    .filter(|(_, c)| c.stat.ppid == pid)
                    .map(|(c, _)| *c),
            );
        }
    }
    found
}

/// The listening TCP ports of the machine, with the socket inodes behind them.
fn listening() -> BTreeSet<(String, u64)> {
    let mut ports = BTreeSet::new();
    for file in ["/proc/net/tcp", "/proc/net/tcp6"] {
        let text = std::fs::read_to_string(file).unwrap_or_default();
        for line in text.lines().skip(1) {
            let fields: Vec<&str> = line.split_whitespace().collect();
            // st 0A is LISTEN; local address, then the inode in field 9.
            if fields.get(3) == Some(&"0A") {
                let inode = fields.get(9).and_then(|i| i.parse().ok()).unwrap_or(0);
                ports.insert((fields.get(1).copied().unwrap_or("").to_owned(), inode));
            }
        }
    }
    ports
}

/// The socket inodes a process holds open.
fn sockets_of(pid: u32) -> BTreeSet<u64> {
    let Ok(fds) = std::fs::read_dir(format!("/proc/{pid}/fd")) else {
        return BTreeSet::new();
    };
    fds.flatten()
        .filter_map(|fd| std::fs::read_link(fd.path()).ok())
        .filter_map(|link| {
            let link = link.to_string_lossy().into_owned();
            link.strip_prefix("socket:[")?
                .strip_suffix(']')?
                .parse()
                .ok()
        })
        .collect()
}

/// Starts `just ARGS` in a process group of its own, as a terminal would, its stdout read into
/// a channel line by line.
fn start_just(args: &[&str]) -> (Child, mpsc::Receiver<String>) {
    let mut child = Command::new("just")
        .args(args)
        .current_dir(repo_root())
        // The demo builds with CARGO_INCREMENTAL=0 unless told otherwise: the default here
        // keeps the other tests' binaries as `just test` built them.
        .env("CARGO_INCREMENTAL", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .process_group(0)
        .spawn()
        .expect("start just (is it on the PATH?)");
    let stdout = child.stdout.take().expect("stdout");
    let (lines, received) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if lines.send(line).is_err() {
                break;
            }
        }
    });
    (child, received)
}

/// Reads lines until one satisfies `done` (at most `timeout`), and returns them.
fn read_until(
    lines: &mpsc::Receiver<String>,
    timeout: Duration,
    done: impl Fn(&str) -> bool,
) -> Vec<String> {
    let deadline = Instant::now() + timeout;
    let mut seen = Vec::new();
    while let Some(left) = deadline.checked_duration_since(Instant::now()) {
        match lines.recv_timeout(left) {
            Ok(line) => {
                let stop = done(&line);
                seen.push(line);
                if stop {
                    return seen;
                }
            }
            Err(_) => break,
        }
    }
    panic!("no such line within {timeout:?}: {seen:?}");
}

/// How a run is stopped.
#[derive(Debug, Clone, Copy)]
enum Stop {
    /// SIGINT to the whole process group, as Ctrl+C in a terminal.
    CtrlC,
    /// SIGTERM to the runner's process alone (`kill PID`, a supervisor).
    TermRunner,
}

/// Starts `just ARGS`, waits until a line satisfies `running`, stops it as `how`, and checks
/// that within 5 s no process of the run is left, by the process tree, and no port that one
/// of them listened on.
fn stopping_leaves_nothing(args: &[&str], running: impl Fn(&str) -> bool, how: Stop) {
    let ports_before = listening();
    let (mut just, lines) = start_just(args);
    let seen = read_until(&lines, Duration::from_secs(240), running);
    let run = tree(just.id());
    let runner = run
        .iter()
        .find(|(_, p)| {
            p.command
                .split_whitespace()
                .next()
                .is_some_and(|c| c.ends_with("/mq-run"))
        })
        .map(|(pid, _)| *pid)
        .unwrap_or_else(|| panic!("no mq-run process under just: {run:#?}\n{seen:?}"));
    // The builds run in process groups of their own: also under the runner in the tree.
    let their_sockets: BTreeSet<u64> = run.keys().flat_map(|pid| sockets_of(*pid)).collect();
    let their_ports: BTreeSet<(String, u64)> = listening()
        .into_iter()
        .filter(|(_, inode)| their_sockets.contains(inode))
        .collect();
    let started = Instant::now();
    let signal = |pid: i32, group: bool, sig: nix::sys::signal::Signal| {
        let pid = nix::unistd::Pid::from_raw(pid);
        if group {
            nix::sys::signal::killpg(pid, sig).expect("signal the group");
        } else {
            nix::sys::signal::kill(pid, sig).expect("signal the runner");
        }
    };
    match how {
        Stop::CtrlC => signal(just.id() as i32, true, nix::sys::signal::Signal::SIGINT),
        Stop::TermRunner => signal(runner as i32, false, nix::sys::signal::Signal::SIGTERM),
    }
    let _ = just.wait();
    let left = loop {
        let now = processes();
        let left: Vec<(u32, Process)> = run
            .iter()
            .filter(|(pid, p)| {
                now.get(pid)
                    .is_some_and(|q| q.stat.start == p.stat.start && !q.stat.ended())
            })
            .map(|(pid, p)| (*pid, p.clone()))
            .collect();
        if left.is_empty() || started.elapsed() > Duration::from_secs(5) {
            break left;
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(
        left.is_empty(),
        "{how:?} {args:?}: after 5 s these processes of the run are left: {left:#?} (run: {run:#?})"
    );
    let still: Vec<_> = listening()
        .into_iter()
        .filter(|port| {
            their_ports.contains(port) || !ports_before.iter().any(|(a, _)| *a == port.0)
        })
        .collect();
    assert!(
        still.is_empty(),
        "{how:?} {args:?}: still listening: {still:?}"
    );
    eprintln!(
        "{how:?} {args:?}: {} processes of the run (runner pid {runner}), all gone within {:?}",
        run.len(),
        started.elapsed()
    );
}

/// The producer is sending, both consumers are waiting: Ctrl+C ends it all.
#[test]
fn ctrl_c_stops_a_chapter_and_everything_it_started() {
    require_rabbitmq();
    stopping_leaves_nothing(
        &["rabbit-topic"],
        |l| l.starts_with("[producer]"),
        Stop::CtrlC,
    );
}

#[test]
fn sigterm_to_the_runner_alone_stops_a_chapter_and_everything_it_started() {
    require_rabbitmq();
    stopping_leaves_nothing(
        &["rabbit-topic"],
        |l| l.starts_with("[producer]"),
        Stop::TermRunner,
    );
}

/// `just demo` while its first chapter runs: the background builds (cargo) and Kafka's start
/// are under way too.
#[test]
fn ctrl_c_stops_the_demo_during_its_first_chapter() {
    require_rabbitmq();
    stopping_leaves_nothing(&["demo"], |l| l.starts_with("[consumer]"), Stop::CtrlC);
}

#[test]
fn sigterm_to_the_runner_alone_stops_the_demo_during_its_first_chapter() {
    require_rabbitmq();
    stopping_leaves_nothing(&["demo"], |l| l.starts_with("[consumer]"), Stop::TermRunner);
}

/// `just rabbit-topic consumer --quiet 'lazy.#'`: `--quiet` takes no value, so `lazy.#` is the
/// binding key (the shell runner took it for --quiet's value and refused a stray argument).
#[test]
fn a_bare_word_after_a_flag_without_a_value_is_a_binding_key() {
    require_rabbitmq();
    let exchange = unique("runner-topic");
    let consumer = Proc::spawn_program(
        "just",
        &[
            "rabbit-topic",
            "consumer",
            "--quiet",
            "lazy.#",
            "--exchange",
            &exchange,
            "--idle-timeout",
            "3s",
        ],
        &[],
    );
    consumer.wait_ready();
    let producer = mq_tests::run(
        "rabbit-topic-producer",
        &[
            "--exchange",
            &exchange,
            "--key",
            "quick.orange.rabbit",
            "--key",
            "lazy.brown.fox",
            "--count",
            "1",
            "--interval",
            "0",
        ],
    );
    assert!(producer.success(), "{producer:?}");
    let out = consumer.finish(Duration::from_secs(30));
    assert!(out.success(), "{out:?}");
    // --quiet: no line per message; the count is logged at the end.
    assert!(
        out.stderr.contains("received 1 message(s)"),
        "bound to lazy.# only, it gets lazy.brown.fox and not quick.orange.rabbit: {out:?}"
    );
}

/// The class tools, the bench and the lab are products: they run on the one harness
/// (`mq-run`), never on this test crate.
#[test]
fn no_product_crate_depends_on_the_test_crate() {
    let out = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args([
            "tree", "-e", "normal", "--prefix", "none", "-p", "mq-class", "-p", "mq-bench", "-p",
            "mq-lab",
        ])
        .current_dir(repo_root())
        .output()
        .expect("run cargo tree");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let tree = String::from_utf8_lossy(&out.stdout);
    assert!(tree.lines().any(|l| l.starts_with("mq-run ")), "{tree}");
    assert!(!tree.lines().any(|l| l.starts_with("mq-tests ")), "{tree}");
}

/// Outside this test crate, no source allows what the workspace's lints forbid (a learner's
/// mistake must give an error, not a panic), and the lints forbid `expect` and `panic!`.
#[test]
fn no_product_crate_allows_expect_or_panic() {
    let lints = std::fs::read_to_string(repo_root().join("Cargo.toml")).expect("Cargo.toml");
    for lint in [
        "unwrap_used = \"warn\"",
        "expect_used = \"warn\"",
        "panic = \"warn\"",
    ] {
        assert!(
            lints.contains(lint),
            "[workspace.lints.clippy] lacks {lint}"
        );
    }
    let mut offenders = Vec::new();
    let mut todo = vec![repo_root().join("crates")];
    while let Some(dir) = todo.pop() {
        for entry in std::fs::read_dir(&dir).expect("read crates/").flatten() {
            let path = entry.path();
            if path.ends_with("mq-tests") || path.ends_with("target") {
                continue;
            }
            if path.is_dir() {
                todo.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap_or_default();
                for allowed in [
                    "clippy::expect_used",
                    "clippy::unwrap_used",
                    "clippy::panic",
                ] {
                    if text.contains(&format!("allow({allowed}"))
                        || text.contains(&format!(", {allowed}"))
                    {
                        offenders.push(format!("{}: {allowed}", path.display()));
                    }
                }
            }
        }
    }
    assert!(offenders.is_empty(), "{offenders:#?}");
}
