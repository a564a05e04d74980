//! The broker scripts act only on their own processes: a pid file that outlived its process
//! (after a reboot, its pid may be anyone's) is removed, and the process it names is left alone.

// Test support: a failed expectation should stop the test with its message.
#![allow(clippy::expect_used, clippy::panic)]

use std::process::{Command, Stdio};

use mq_tests::{repo_root, unique};

/// Runs one of the broker scripts with `action` and `env`, without stdin: what it printed.
fn script(path: &str, action: &str, env: &[(&str, &std::path::Path)]) -> String {
    let out = Command::new(repo_root().join(path))
        .arg(action)
        .envs(env.iter().copied())
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|err| panic!("run {path}: {err}"));
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// The Kafka pid file names an unrelated `sleep`: `scripts/kafka-native.sh stop` (what
/// `just down` runs for Kafka) and `status` leave the `sleep` running and remove the stale file.
/// The scripts run with a folder of their own (`MQ_HOME`), so the real brokers are not touched.
#[test]
fn a_stale_kafka_pid_file_never_stops_another_process() {
    let home = std::env::temp_dir().join(unique("mq-home"));
    std::fs::create_dir_all(&home).expect("a scratch MQ_HOME");
    let mut sleep = Command::new("sleep")
        .arg("300")
        .spawn()
        .expect("start an unrelated process");
    let pid_file = home.join("kafka.pid");
    for action in ["status", "stop"] {
        std::fs::write(&pid_file, format!("{}\n", sleep.id())).expect("write the pid file");
        let text = script("scripts/kafka-native.sh", action, &[("MQ_HOME", &home)]);
        assert!(
            text.contains("stale pid file") && text.contains("not running"),
            "{action}: {text}"
        );
        assert_eq!(
            sleep.try_wait().expect("the sleep's status"),
            None,
            "{action} stopped a process it did not start: {text}"
        );
        assert!(!pid_file.exists(), "{action} left the stale pid file");
    }
    let _ = sleep.kill();
    let _ = sleep.wait();
    let _ = std::fs::remove_dir_all(&home);
}

/// RabbitMQ 4 (`just up-rabbitmq4`, the Debian 13 root) runs as the host's `rabbitmq` account,
/// not as whichever host account has the UID that the root gave its own (101: `postgres` here).
#[test]
fn rabbitmq4_runs_as_the_hosts_rabbitmq_account() {
    let port: u16 = mq_tests::settings_file("docker/brokers.env")["RABBITMQ4_AMQP_PORT"]
        .parse()
        .expect("a port");
    mq_tests::require("RabbitMQ 4 (just up-rabbitmq4)", port);
    // Its Erlang VM: the beam.smp whose root folder is the Debian 13 root.
    let beam = std::fs::read_dir("/proc")
        .expect("/proc")
        .filter_map(Result::ok)
        .filter(|entry| entry.file_name().to_string_lossy().parse::<u32>().is_ok())
        .find(|entry| {
            let cmdline = std::fs::read(entry.path().join("cmdline")).unwrap_or_default();
            let root = std::fs::read_link(entry.path().join("root")).unwrap_or_default();
            String::from_utf8_lossy(&cmdline).contains("beam.smp")
                && root.ends_with("rabbitmq4/root")
        })
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .expect(
            "no beam.smp runs in the RabbitMQ 4 root (Docker's RabbitMQ 4 is not checked here)",
        );
    let ps = Command::new("ps")
        .args(["-o", "user=", "-p", &beam])
        .output()
        .expect("ps");
    let user = String::from_utf8_lossy(&ps.stdout).trim().to_owned();
    assert_eq!(user, "rabbitmq", "ps -o user= -p {beam}");
    println!("RabbitMQ 4's beam.smp, pid {beam}: ps -o user= prints {user}");
}

/// The lab clusters' pid files too: with a Kafka node's and a RabbitMQ node's pid file naming
/// unrelated `sleep`s, `just cluster-status` and `just cluster-down` leave them running and
/// remove the stale files. Folders of the test's own (`MQ_HOME`, `CLUSTER_RABBIT_HOME`).
#[test]
fn stale_cluster_pid_files_never_stop_another_process() {
    let home = std::env::temp_dir().join(unique("mq-home-lab"));
    let rabbit_home = home.join("rabbit");
    let kafka_pid = home.join("cluster/kafka1/kafka.pid");
    let rabbit_pid = rabbit_home.join("rc1/rabbit.pid");
    for file in [&kafka_pid, &rabbit_pid] {
        std::fs::create_dir_all(file.parent().expect("a folder")).expect("a scratch folder");
    }
    let mut sleeps: Vec<std::process::Child> = (0..2)
        .map(|_| {
            Command::new("sleep")
                .arg("300")
                .spawn()
                .expect("start an unrelated process")
        })
        .collect();
    for action in ["status", "down"] {
        std::fs::write(&kafka_pid, format!("{}\n", sleeps[0].id())).expect("a pid file");
        std::fs::write(&rabbit_pid, format!("{}\n", sleeps[1].id())).expect("a pid file");
        let text = script(
            "scripts/cluster.sh",
            action,
            &[("MQ_HOME", &home), ("CLUSTER_RABBIT_HOME", &rabbit_home)],
        );
        assert_eq!(
            text.matches(
                "which is another program now: leaving it alone, removing the stale pid file"
            )
            .count(),
            2,
            "{action}: {text}"
        );
        for sleep in &mut sleeps {
            assert_eq!(
                sleep.try_wait().expect("the sleep's status"),
                None,
                "{action} stopped a process it did not start: {text}"
            );
        }
        assert!(
            !kafka_pid.exists() && !rabbit_pid.exists(),
            "{action} left a stale pid file"
        );
    }
    for mut sleep in sleeps {
        let _ = sleep.kill();
        let _ = sleep.wait();
    }
    let _ = std::fs::remove_dir_all(&home);
}

/// A pid file that names its own process is kept, however long that process's command line or
/// environment (a RabbitMQ node is told apart by its environment; the CI's is large): the check
/// reads them whole, where `… | grep -q` under pipefail once took a match for none and removed
/// the file of a node that was starting.
#[test]
fn a_pid_file_of_our_own_process_is_kept() {
    let dir = std::env::temp_dir().join(unique("owned-pid"));
    std::fs::create_dir_all(&dir).expect("a scratch folder");
    // More than a pipe holds (64 KiB), in variables of at most 128 KiB each (Linux's limit),
    // after the node's name (Command sorts the environment): a reader that stops at the match
    // leaves the rest unread.
    let big = "x".repeat(60_000);
    let mut node = Command::new("sleep");
    node.arg("300").env("RABBITMQ_NODENAME", "rcT@localhost");
    for i in 0..4 {
        node.env(format!("ZZ_MQ_TEST_BIG_{i}"), &big);
    }
    let mut node = node.spawn().expect("start a stand-in node");
    let pid_file = dir.join("rabbit.pid");
    std::fs::write(&pid_file, format!("{}\n", node.id())).expect("a pid file");
    let out = Command::new("bash")
        .args([
            "-c",
            "set -euo pipefail; . scripts/lib.sh; owned_pid \"$1\" RABBITMQ_NODENAME=rcT@localhost",
            "owned_pid",
        ])
        .arg(&pid_file)
        .current_dir(repo_root())
        .stdin(Stdio::null())
        .output()
        .expect("run owned_pid");
    let _ = node.kill();
    let _ = node.wait();
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        node.id().to_string(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        pid_file.exists(),
        "the pid file of our own process was removed"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
