//! A class on the shared broker for a test: `scripts/class.sh` with a folder and a board vhost
//! of its own, its students' `.env` values, a class board on a free port, and a check run as
//! one of its students. The class board's tests and its fault test use it.

use std::collections::HashMap;
use std::io::{Read as _, Write as _};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

use crate::{Proc, repo_root, unique};

/// A class of its own: `scripts/class.sh` with its own folder and board vhost.
#[derive(Debug)]
pub struct Class {
    dir: PathBuf,
    pub vhost: String,
}

impl Class {
    pub fn setup(students: &[&str]) -> Self {
        let dir = std::env::temp_dir().join(unique("board-class"));
        let class = Self {
            dir,
            vhost: unique("board"),
        };
        class.script(&[&["setup"], students].concat());
        class
    }

    fn script(&self, args: &[&str]) {
        let out = Command::new(repo_root().join("scripts/class.sh"))
            .args(args)
            .env("CLASS_DIR", &self.dir)
            .env("CLASS_BOARD_VHOST", &self.vhost)
            .output()
            .expect("run scripts/class.sh");
        assert!(
            out.status.success(),
            "class.sh {args:?}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// The `.env` that class-setup wrote for `student`, as variables.
    pub fn env_of(&self, student: &str) -> HashMap<String, String> {
        let text = std::fs::read_to_string(self.dir.join(format!("{student}.env")))
            .expect("the student's .env");
        text.lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|l| l.split_once('='))
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect()
    }

    /// A class-board on a free port of 127.0.0.1, started and ready.
    pub fn board(&self) -> (Proc, u16) {
        let port = free_port();
        let board = Proc::spawn_with_env(
            "class-board",
            &["--port", &port.to_string()],
            &[("CLASS_BOARD_VHOST", &self.vhost)],
        );
        board.wait_for("class board: http://127.0.0.1:", 1, Duration::from_secs(30));
        (board, port)
    }

    /// `check simple` as `student`, with their class .env (or none) and a progress file of
    /// the test's.
    pub fn check(&self, student: &str, in_class: bool) -> Proc {
        let progress = std::env::temp_dir().join(format!("{}-{student}.json", self.vhost));
        let mut env: Vec<(String, String)> = vec![
            ("STUDENT".into(), student.into()),
            (
                "MQ_PROGRESS_FILE".into(),
                progress.to_string_lossy().into_owned(),
            ),
        ];
        if in_class {
            let vars = self.env_of(student);
            for key in ["AMQP_URL", "CLASS_RESULTS_URL"] {
                env.push((key.into(), vars[key].clone()));
            }
        }
        let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        Proc::spawn_with_env("check", &["simple"], &env)
    }
}

impl Drop for Class {
    fn drop(&mut self) {
        let _ = Command::new(repo_root().join("scripts/class.sh"))
            .arg("teardown")
            .env("CLASS_DIR", &self.dir)
            .env("CLASS_BOARD_VHOST", &self.vhost)
            .output();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

/// One GET on 127.0.0.1:`port`: the body.
pub fn get(port: u16, path: &str) -> String {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("the board's web page");
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    .expect("a request");
    let mut text = String::new();
    stream.read_to_string(&mut text).expect("a response");
    text.split_once("\r\n\r\n")
        .map(|(_, body)| body.to_owned())
        .unwrap_or_default()
}
