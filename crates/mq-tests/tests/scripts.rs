//! The broker scripts act only on their own processes: a pid file that outlived its process
//! (after a reboot, its pid may be anyone's) is removed, and the process it names is left alone.

// Test support: a failed expectation should stop the test with its message.
#![allow(clippy::expect_used)]

use std::process::{Command, Stdio};

use mq_tests::{repo_root, unique};

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
        let out = Command::new(repo_root().join("scripts/kafka-native.sh"))
            .arg(action)
            .env("MQ_HOME", &home)
            .stdin(Stdio::null())
            .output()
            .expect("run scripts/kafka-native.sh");
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
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
