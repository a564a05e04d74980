//! The board as a web page on 127.0.0.1, updated live with server-sent events: the page
//! opens `/events`, and each change of the board arrives there as one `data:` line of JSON.
//! `/state` gives the same JSON once. Served by axum; any other path is a 404.

use std::convert::Infallible;
use std::time::Duration;

use axum::Router;
use axum::extract::State;
use axum::http::header;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{Html, IntoResponse};
use axum::routing::get;
use futures_lite::Stream;
use tokio::net::TcpListener;
use tokio::sync::watch;

/// Serves the page on `listener` until the process ends; `board` holds the board's JSON.
pub async fn serve(listener: TcpListener, board: watch::Receiver<String>) {
    let app = Router::new()
        .route("/", get(page))
        .route("/state", get(state))
        .route("/events", get(events))
        .with_state(board);
    if let Err(err) = axum::serve(listener, app).await {
        log::warn!("the board's web page stopped: {err}");
    }
}

/// The page comes with the board as it is now, drawn before the events connect.
async fn page(State(board): State<watch::Receiver<String>>) -> Html<String> {
    let state = board.borrow().replace("</", "<\\/");
    Html(PAGE.replace("/*STATE*/null", &state))
}

async fn state(State(board): State<watch::Receiver<String>>) -> impl IntoResponse {
    let state = board.borrow().clone();
    ([(header::CONTENT_TYPE, "application/json")], state)
}

/// The board now, then at each change; a comment line every 15 s keeps proxies from closing a
/// quiet connection.
async fn events(
    State(mut board): State<watch::Receiver<String>>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    board.mark_changed();
    let stream = futures_lite::stream::unfold(board, |mut board| async move {
        board.changed().await.ok()?;
        let state = board.borrow_and_update().clone();
        Some((Ok(Event::default().data(state)), board))
    });
    Sse::new(stream).keep_alive(
        KeepAlive::new()
            .interval(Duration::from_secs(15))
            .text("still here"),
    )
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
