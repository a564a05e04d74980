//! # class-board: the teacher's live view of a class, built on the broker it teaches
//!
//! Every `just check` of a student in a class publishes its result, one JSON message, to the
//! exchange `class-results` of the teacher's vhost (`class-board` by default), where students
//! may write and nothing else. A **stream** bound to that exchange keeps every result: this
//! board reads it from the first message, so a board started late, or started again, shows the
//! whole class so far. It is a consumer like the chapters' ones: manual acks, a prefetch, and
//! lapin's recovery after a broker restart (the stream is then read again from its start, and
//! each result is counted once by its id).
//!
//! Any student may write to the exchange, so the board believes only what the broker vouches
//! for: a result counts when its AMQP `user_id` (which RabbitMQ checks against the user that
//! published it) is there and its body names that same user. Any other is dropped and counted
//! on a "rejected: N" line.
//!
//! The table goes to the terminal, and to a web page on 127.0.0.1 that updates live:
//! ```text
//! just class-board              # http://127.0.0.1:8090/
//! ```

mod state;
mod web;

use std::io::IsTerminal as _;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use anyhow::Context as _;
use clap::Parser;
use lapin::options::{
    BasicAckOptions, BasicConsumeOptions, BasicQosOptions, ExchangeDeclareOptions,
    QueueBindOptions, QueueDeclareOptions,
};
use lapin::types::{AMQPValue, FieldTable};
use lapin::{Channel, Consumer, ExchangeKind};
use mq_class::results::{self, CheckResult, EXCHANGE, STREAM};
use mq_common::config::{AmqpUrl, RabbitArgs};
use mq_common::flags::ConsumerFlags;
use mq_common::rabbit::{Deliveries, RabbitMQ};
use tokio::net::TcpListener;
use tokio::sync::watch;

use state::Board;

/// The class board: every student's results, live, in the terminal and on a web page.
#[derive(Parser, Debug)]
#[command(version)]
struct Args {
    /// Only declare the exchange and the stream, then exit (`just class-setup` does this).
    #[arg(long)]
    declare: bool,
    /// The web page's port, on 127.0.0.1.
    #[arg(long, default_value_t = 8090)]
    port: u16,
    /// The teacher's vhost, where the results go.
    #[arg(long, env = "CLASS_BOARD_VHOST", default_value = "class-board")]
    vhost: String,
    /// The teacher's RabbitMQ (`.env`'s AMQP_URL); its vhost is replaced by `--vhost`.
    #[command(flatten)]
    rabbit: RabbitArgs,
}

fn main() -> ! {
    let args: Args = mq_common::cli::init();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(err) => mq_common::cli::exit(Err(err).context("starting the Tokio runtime")),
    };
    mq_common::cli::exit(runtime.block_on(run(&args)))
}

async fn run(args: &Args) -> anyhow::Result<()> {
    let rabbit = RabbitArgs {
        amqp_url: Some(in_vhost(args)?),
    };
    if args.declare {
        let rabbitmq = RabbitMQ::open(&rabbit, "class board").await?;
        declare(rabbitmq.channel()).await?;
        println!(
            "class board: exchange '{EXCHANGE}' and stream '{STREAM}' ready in vhost '{}'",
            args.vhost
        );
        return rabbitmq.close().await;
    }
    let listener = TcpListener::bind(("127.0.0.1", args.port))
        .await
        .with_context(|| {
            format!(
                "127.0.0.1:{} is taken: give the board another port with --port",
                args.port
            )
        })?;
    // The broker first: a wrong vhost or password is one error line, before any banner.
    let rabbitmq = RabbitMQ::recovering(&rabbit, "class board").await?;
    let consumer = subscribe(rabbitmq.channel()).await?;
    let board = Arc::new(Mutex::new(Board::default()));
    let (page, page_state) = watch::channel(state_json(&board));
    tokio::spawn(web::serve(listener, page_state));
    tokio::spawn(tick(Arc::clone(&board), page.clone()));
    println!(
        "class board: http://127.0.0.1:{}/ (vhost '{}'; Ctrl+C stops)",
        args.port, args.vhost
    );
    let deliveries = rabbitmq.deliveries(consumer, &ConsumerFlags::until_idle(None));
    receive(deliveries, &board, &page).await?;
    rabbitmq.close().await
}

/// AMQP_URL with the board's vhost instead of its own.
fn in_vhost(args: &Args) -> anyhow::Result<String> {
    let url = args
        .rabbit
        .amqp_url
        .as_deref()
        .context("AMQP_URL is not set: run `just up` to write .env")?;
    let url = AmqpUrl::parse(url).map_err(anyhow::Error::msg)?;
    Ok(url.on_vhost(&args.vhost))
}

// ANCHOR: declare
/// The exchange students publish to, and the stream that keeps what they publish. A stream
/// is an append-only log: reading it takes nothing away, so any number of boards, started at
/// any time, can read it from the start. Retention works segment by segment, and the segment
/// being written is always kept: small segments (64 KiB, a few hundred results) let results
/// older than a day really go, where the default 500 MB segment would keep them all.
async fn declare(channel: &Channel) -> anyhow::Result<()> {
    let durable = ExchangeDeclareOptions {
        durable: true,
        ..ExchangeDeclareOptions::default()
    };
    channel
        .exchange_declare(
            EXCHANGE.into(),
            ExchangeKind::Fanout,
            durable,
            FieldTable::default(),
        )
        .await
        .context("declaring the results exchange")?;
    let mut arguments = FieldTable::default();
    arguments.insert(
        "x-queue-type".into(),
        AMQPValue::LongString("stream".into()),
    );
    arguments.insert("x-max-age".into(), AMQPValue::LongString("1D".into()));
    arguments.insert(
        "x-stream-max-segment-size-bytes".into(),
        AMQPValue::LongLongInt(64 * 1024),
    );
    let options = QueueDeclareOptions {
        durable: true,
        ..QueueDeclareOptions::default()
    };
    channel
        .queue_declare(STREAM.into(), options, arguments)
        .await
        .context("declaring the results stream")?;
    channel
        .queue_bind(
            STREAM.into(),
            EXCHANGE.into(),
            "".into(),
            QueueBindOptions::default(),
            FieldTable::default(),
        )
        .await
        .context("binding the stream")?;
    Ok(())
}
// ANCHOR_END: declare

// ANCHOR: subscribe
/// Reads the stream from its first message. A stream consumer needs a prefetch, and acks
/// what it has handled so that the broker sends more.
async fn subscribe(channel: &Channel) -> anyhow::Result<Consumer> {
    declare(channel).await?;
    channel
        .basic_qos(100, BasicQosOptions::default())
        .await
        .context("setting the prefetch")?;
    let mut arguments = FieldTable::default();
    arguments.insert(
        "x-stream-offset".into(),
        AMQPValue::LongString("first".into()),
    );
    channel
        .basic_consume(
            STREAM.into(),
            "".into(),
            BasicConsumeOptions::default(),
            arguments,
        )
        .await
        .context("reading the results stream")
}
// ANCHOR_END: subscribe

// ANCHOR: receive
/// Each result: counted once if the broker vouches for its student, else counted as
/// rejected; the table redrawn, then acked.
async fn receive(
    mut deliveries: Deliveries<'_>,
    board: &Mutex<Board>,
    page: &watch::Sender<String>,
) -> anyhow::Result<()> {
    while let Some(delivery) = deliveries.next().await? {
        // The broker has checked user_id against the user that published: it is the one
        // name here that a student cannot forge.
        let user_id = delivery.properties.user_id().as_ref().map(|u| u.as_str());
        match serde_json::from_slice::<CheckResult>(&delivery.data) {
            Ok(result) => {
                let counted = if results::vouched_for(&result, user_id) {
                    lock(board).add(&result)
                } else {
                    log::warn!(
                        "rejected a result for '{}' published by {}",
                        result.student,
                        user_id.map_or("a client that set no user_id".to_owned(), |u| {
                            format!("user '{u}'")
                        })
                    );
                    lock(board).reject(&result.id)
                };
                if counted {
                    show(board, page);
                }
            }
            Err(err) => log::warn!("skipped a message that is not a check result: {err}"),
        }
        let ack = delivery.ack(BasicAckOptions::default()).await;
        deliveries.acked(ack)?;
    }
    Ok(())
}
// ANCHOR_END: receive

/// Redraws the terminal's table and sends the page its new state.
fn show(board: &Mutex<Board>, page: &watch::Sender<String>) {
    let table = lock(board).render(now());
    if std::io::stdout().is_terminal() {
        print!("\x1b[2J\x1b[H"); // a fresh screen for each update
    }
    println!("{table}");
    page.send_replace(state_json(board));
}

/// Every 10 s, the page's "stuck for" times move on even when no result comes.
async fn tick(board: Arc<Mutex<Board>>, page: watch::Sender<String>) {
    loop {
        tokio::time::sleep(Duration::from_secs(10)).await;
        page.send_replace(state_json(&board));
    }
}

fn state_json(board: &Mutex<Board>) -> String {
    lock(board).to_json(now()).to_string()
}

/// The board, even if a thread panicked while holding it (it holds only counts).
fn lock(board: &Mutex<Board>) -> std::sync::MutexGuard<'_, Board> {
    board
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |t| t.as_secs())
}
