//! The class board: `just class-setup` for three students, `just class-board` running, the
//! three checking at once; the board shows them in the terminal, on its web page (a headless
//! Chromium renders it, and saves a screenshot), and on a board started late. A student's
//! credentials cannot read the results; a check outside a class publishes nothing; a result
//! in another student's name, or a made-up one, is refused by the broker or dropped and
//! counted by the board.
//!
//! Each test uses a board vhost of its own (`CLASS_BOARD_VHOST`), so it runs beside the others.

// Test support: a failed expectation should stop the test with its message.
#![allow(clippy::expect_used)]

use std::process::Command;
use std::time::{Duration, Instant};

use lapin::options::{
    BasicConsumeOptions, BasicPublishOptions, BasicQosOptions, ConfirmSelectOptions,
};
use lapin::types::FieldTable;
use lapin::{BasicProperties, Confirmation};
use mq_common::config::RabbitArgs;
use mq_common::rabbit::RabbitMQ;
use mq_tests::class::{Class, get};
use mq_tests::{Proc, repo_root, require_rabbitmq, unique};

/// Waits until the board's JSON lists every one of `students`.
fn wait_on_page(port: u16, students: &[&str]) -> String {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let state = get(port, "/state");
        if students.iter().all(|s| state.contains(&format!("\"{s}\""))) {
            return state;
        }
        assert!(
            Instant::now() < deadline,
            "the page never showed {students:?}: {state}"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// The first server-sent event of `/events`: the board's JSON.
fn first_event(port: u16) -> String {
    use std::io::{BufRead as _, BufReader, Write as _};
    let mut stream =
        std::net::TcpStream::connect(("127.0.0.1", port)).expect("the board's web page");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("a read timeout");
    write!(stream, "GET /events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").expect("a request");
    BufReader::new(stream)
        .lines()
        .map_while(Result::ok)
        .find_map(|line| line.strip_prefix("data: ").map(str::to_owned))
        .expect("an event")
}

/// Headless Chromium renders the page (its script, its events), saves a screenshot, and gives
/// back the rendered document.
fn render(port: u16, screenshot: &str) -> String {
    let chromium = ["chromium", "chromium-browser"]
        .into_iter()
        .find(|c| Command::new(c).arg("--version").output().is_ok())
        .expect("chromium is missing: `just docs-check` installs it");
    let url = format!("http://127.0.0.1:{port}/");
    let shots = repo_root().join("target/docs");
    std::fs::create_dir_all(&shots).expect("target/docs");
    // The page keeps its event stream open, so it never finishes loading: Chromium takes the
    // page as it is after 8 s (`--timeout`), and `timeout` bounds the whole run.
    let base = [
        "60",
        chromium,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--timeout=8000",
    ];
    let shot = Command::new("timeout")
        .args(base)
        .arg("--window-size=1100,500")
        .arg(format!("--screenshot={}", shots.join(screenshot).display()))
        .arg(&url)
        .output()
        .expect("chromium --screenshot");
    assert!(shot.status.success(), "{shot:?}");
    let size = std::fs::metadata(shots.join(screenshot)).map_or(0, |m| m.len());
    assert!(size > 10_000, "the screenshot is {size} bytes");
    let dom = Command::new("timeout")
        .args(base)
        .arg("--dump-dom")
        .arg(&url)
        .output()
        .expect("chromium --dump-dom");
    String::from_utf8_lossy(&dom.stdout).into_owned()
}

/// Three students of a class check at once: the board shows all three, in the terminal and on
/// the web page; a board started afterwards shows them too (the stream keeps every result);
/// a check without the class .env is not on it.
#[test]
fn three_students_checking_at_once_appear_on_the_board() {
    require_rabbitmq();
    let stamp = unique("b").replace('-', "");
    let names: Vec<String> = ["ann", "bob", "cy"]
        .iter()
        .map(|n| format!("{stamp}{n}"))
        .collect();
    let students: Vec<&str> = names.iter().map(String::as_str).collect();
    let class = Class::setup(&students);
    let (board, port) = class.board();

    let checks: Vec<Proc> = students.iter().map(|s| class.check(s, true)).collect();
    let outsider = format!("{stamp}outside");
    let alone = class.check(&outsider, false);
    for check in checks {
        let out = check.finish(Duration::from_secs(180));
        assert!(!out.success(), "the starter passed: {out:?}");
        assert!(
            out.stdout
                .iter()
                .any(|l| l == "Result sent to the class board."),
            "{out:?}"
        );
    }
    let alone = alone.finish(Duration::from_secs(180));
    assert!(
        !alone.stdout.iter().any(|l| l.contains("class board")),
        "a check outside a class published: {alone:?}"
    );

    // The terminal: a row per student, one failed check of exercise 1 (simple).
    for student in &students {
        board.wait_for(student, 1, Duration::from_secs(30));
    }
    let rows = board.lines();
    for student in &students {
        let row = rows
            .iter()
            .rev()
            .find(|l| l.starts_with(student))
            .expect("a row");
        assert!(row.contains("✘1"), "{student}: {row}");
    }
    // The page: the same, sent as events, and rendered by a browser.
    let state = wait_on_page(port, &students);
    assert!(!state.contains(&outsider), "{state}");
    let event = first_event(port);
    for student in &students {
        assert!(
            event.contains(student),
            "{student} is not in the event: {event}"
        );
    }
    let dom = render(port, "class-board.png");
    for student in &students {
        assert!(dom.contains(student), "{student} is not on the page: {dom}");
    }
    assert!(dom.contains("✘1"), "{dom}");
    assert!(!dom.contains(&outsider), "{dom}");

    // A board started late reads the stream from its start.
    let (late, late_port) = class.board();
    wait_on_page(late_port, &students);
    for mut proc in [board, late] {
        proc.kill();
    }
}

/// A student's credentials may write to the results exchange and nothing else: reading the
/// results (consuming the stream) is refused.
#[test]
fn a_students_credentials_cannot_read_the_results() {
    require_rabbitmq();
    let student = unique("r").replace('-', "");
    let class = Class::setup(&[&student]);
    let url = class.env_of(&student)["CLASS_RESULTS_URL"].clone();
    let runtime = tokio::runtime::Runtime::new().expect("tokio");
    let refused = runtime.block_on(async {
        let args = RabbitArgs {
            amqp_url: Some(url),
        };
        let rabbitmq = RabbitMQ::open(&args, "a curious student")
            .await
            .expect("a student may connect to the board's vhost");
        let channel = rabbitmq.channel();
        channel
            .basic_qos(10, BasicQosOptions::default())
            .await
            .expect("qos");
        channel
            .basic_consume(
                "class-results".into(),
                "".into(),
                BasicConsumeOptions::default(),
                FieldTable::default(),
            )
            .await
            .err()
    });
    let err = refused.expect("a student could read the class results");
    assert!(
        err.to_string().contains("ACCESS_REFUSED"),
        "refused, but not for access: {err}"
    );
}

/// Publishes a result body to the board's exchange as the user of `url`, with `user_id` set
/// or not, as a student with a client of their own could: what the broker answers.
fn publish_as(url: &str, body: &serde_json::Value, user_id: Option<&str>) -> Result<(), String> {
    let runtime = tokio::runtime::Runtime::new().expect("tokio");
    runtime.block_on(async {
        let args = RabbitArgs {
            amqp_url: Some(url.to_owned()),
        };
        let rabbitmq = RabbitMQ::open(&args, "a forging student")
            .await
            .expect("a student may connect to the board's vhost");
        let channel = rabbitmq.channel();
        channel
            .confirm_select(ConfirmSelectOptions::default())
            .await
            .expect("confirms");
        let mut properties = BasicProperties::default();
        if let Some(user) = user_id {
            properties = properties.with_user_id(user.into());
        }
        let payload = body.to_string();
        let answer = match channel
            .basic_publish(
                "class-results".into(),
                "".into(),
                BasicPublishOptions::default(),
                payload.as_bytes(),
                properties,
            )
            .await
        {
            Ok(confirm) => confirm.await.map_err(|e| e.to_string()),
            Err(e) => Err(e.to_string()),
        };
        let _ = rabbitmq.close().await;
        match answer {
            Ok(Confirmation::Ack(None)) => Ok(()),
            Ok(other) => Err(format!("{other:?}")),
            Err(e) => Err(e),
        }
    })
}

/// A class of two: mallo publishes "hoa passed topic" with a client of their own. With mallo's
/// own `user_id`, or none, the board drops it and counts it as rejected; with `user_id` hoa the
/// broker refuses it (it is not the user that logged in). A made-up name is dropped too. hoa's
/// row keeps its one real, failed check.
#[test]
fn a_result_in_another_students_name_never_reaches_the_board() {
    require_rabbitmq();
    let stamp = unique("f").replace('-', "");
    let (mallo, hoa) = (format!("{stamp}mallo"), format!("{stamp}hoa"));
    let class = Class::setup(&[&mallo, &hoa]);
    let (board, port) = class.board();
    let out = class.check(&hoa, true).finish(Duration::from_secs(180));
    assert!(
        out.stdout
            .iter()
            .any(|l| l == "Result sent to the class board."),
        "{out:?}"
    );
    wait_on_page(port, &[&hoa]);

    let url = class.env_of(&mallo)["CLASS_RESULTS_URL"].clone();
    let forged = |student: &str, id: &str| {
        serde_json::json!({
            "id": format!("{id}-{stamp}"), "student": student, "exercise": "topic",
            "passed": true, "failed": [], "at": 1_700_000_000_u64,
        })
    };
    // In hoa's name, with mallo's own user_id: the broker takes it, the board drops it.
    publish_as(&url, &forged(&hoa, "own-id"), Some(&mallo)).expect("the broker takes it");
    // In hoa's name, without a user_id: the same.
    publish_as(&url, &forged(&hoa, "no-id"), None).expect("the broker takes it");
    // Claiming to be hoa in user_id: the broker refuses it.
    let refused = publish_as(&url, &forged(&hoa, "hoa-id"), Some(&hoa))
        .expect_err("the broker took a user_id that is not the user that logged in");
    assert!(refused.contains("PRECONDITION_FAILED"), "{refused}");
    // A made-up name, with mallo's user_id: dropped.
    let ghost = format!("{stamp}ghost");
    publish_as(&url, &forged(&ghost, "ghost"), Some(&mallo)).expect("the broker takes it");

    board.wait_for("rejected: 3 ", 1, Duration::from_secs(30));
    let state: serde_json::Value = serde_json::from_str(&get(port, "/state")).expect("JSON");
    assert_eq!(state["rejected"], 3, "{state}");
    let rows = state["students"].as_array().expect("students");
    assert_eq!(rows.len(), 1, "only hoa has a row: {state}");
    assert_eq!(rows[0]["student"], hoa.as_str(), "{state}");
    // hoa: one failed check of simple (#1), nothing on topic (#5).
    assert_eq!(rows[0]["marks"][0], "✘1", "{state}");
    assert_eq!(rows[0]["marks"][4], "·", "{state}");
    let mut board = board;
    board.kill();
}
