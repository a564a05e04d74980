//! The board as a web page on 127.0.0.1, updated live with server-sent events: the page
//! opens `/events`, and each change of the board arrives there as one `data:` line of JSON.
//! `/state` gives the same JSON once. A few lines of HTTP over Tokio's TCP listener: the page
//! needs nothing more.

use std::time::Duration;

use anyhow::Context as _;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;

/// Serves the page on `listener` until the process ends; `board` holds the board's JSON.
pub async fn serve(listener: TcpListener, board: watch::Receiver<String>) {
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        let board = board.clone();
        tokio::spawn(async move {
            if let Err(err) = answer(stream, board).await {
                log::debug!("a web client: {err:#}");
            }
        });
    }
}

async fn answer(mut stream: TcpStream, mut board: watch::Receiver<String>) -> anyhow::Result<()> {
    let mut request = Vec::new();
    let mut buffer = [0u8; 1024];
    // The request line and headers: up to the blank line (a GET has no body).
    while !request.windows(4).any(|w| w == b"\r\n\r\n") && request.len() < 8192 {
        let n = stream
            .read(&mut buffer)
            .await
            .context("reading the request")?;
        if n == 0 {
            return Ok(());
        }
        request.extend_from_slice(&buffer[..n]);
    }
    let head = String::from_utf8_lossy(&request);
    let path = head.split_whitespace().nth(1).unwrap_or("/");
    match path {
        "/" => {
            // The page comes with the board as it is now, drawn before the events connect.
            let state = board.borrow().replace("</", "<\\/");
            let page = PAGE.replace("/*STATE*/null", &state);
            respond(&mut stream, "text/html; charset=utf-8", &page).await
        }
        "/state" => {
            let state = board.borrow().clone();
            respond(&mut stream, "application/json", &state).await
        }
        "/events" => {
            stream
                .write_all(
                    b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n\
                      Cache-Control: no-cache\r\nConnection: keep-alive\r\n\r\n",
                )
                .await?;
            loop {
                let state = board.borrow_and_update().clone();
                stream
                    .write_all(format!("data: {state}\n\n").as_bytes())
                    .await?;
                // The next change, or a comment line every 15 s that keeps proxies from
                // closing a quiet connection.
                match tokio::time::timeout(Duration::from_secs(15), board.changed()).await {
                    Ok(Ok(())) => {}
                    Ok(Err(_closed)) => return Ok(()),
                    Err(_quiet) => stream.write_all(b": still here\n\n").await?,
                }
            }
        }
        _ => {
            stream
                .write_all(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")
                .await?;
            Ok(())
        }
    }
}

async fn respond(stream: &mut TcpStream, kind: &str, body: &str) -> anyhow::Result<()> {
    let head = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).await?;
    stream.write_all(body.as_bytes()).await?;
    Ok(())
}

/// The page: a table drawn from the state it comes with, then redrawn by each event.
const PAGE: &str = r#"<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Class board</title>
<style>
body { font-family: sans-serif; margin: 2em; }
table { border-collapse: collapse; }
th, td { border: 1px solid #ccc; padding: 0.3em 0.7em; text-align: center; }
td.student { text-align: left; font-weight: bold; }
td.pass { background: #e3f6e3; } td.fail { background: #fbe4e4; } td.none { color: #aaa; }
#live { color: #888; font-size: 0.9em; }
</style></head>
<body>
<h1>Class board</h1>
<p id="live">connecting…</p>
<table id="board"></table>
<p id="rejected"></p>
<h2>Stuck longest</h2>
<ol id="stuck"></ol>
<script>
const live = document.getElementById("live");
function cell(text, cls) {
  const td = document.createElement("td");
  td.textContent = text;
  if (cls) td.className = cls;
  return td;
}
function draw(board) {
  const table = document.getElementById("board");
  table.replaceChildren();
  const head = document.createElement("tr");
  head.appendChild(cell("student"));
  for (const e of board.exercises) head.appendChild(cell(e));
  table.appendChild(head);
  for (const s of board.students) {
    const row = document.createElement("tr");
    row.appendChild(cell(s.student, "student"));
    for (const m of s.marks)
      row.appendChild(cell(m, m === "✔" ? "pass" : m === "·" ? "none" : "fail"));
    table.appendChild(row);
  }
  const stuck = document.getElementById("stuck");
  stuck.replaceChildren();
  for (const s of board.stuck) {
    const li = document.createElement("li");
    li.textContent = `${s.student} on ${s.exercise} for ${Math.floor(s.seconds / 60)}m${String(s.seconds % 60).padStart(2, "0")}s`;
    stuck.appendChild(li);
  }
  document.getElementById("rejected").textContent =
    `rejected: ${board.rejected} (results whose name the broker did not vouch for)`;
  live.textContent = `live: ${board.students.length} student(s)`;
}
const initial = /*STATE*/null;
if (initial) draw(initial);
const events = new EventSource("/events");
events.onmessage = (e) => draw(JSON.parse(e.data));
events.onerror = () => { live.textContent = "reconnecting…"; };
</script>
</body></html>
"#;
