//! The check of exercise `rpc`: the student's client against the real RPC server, its reply
//! queue looked at from another connection, and a stray reply sent its way.

use std::time::Duration;

use lapin::BasicProperties;
use lapin::options::BasicPublishOptions;
use mq_common::lines::AWAITING_RPC;
use mq_common::rabbit::with_channel;
use rust_i18n::t;

use crate::rabbit::{Lookup, could_not_ask, look_up_queue};
use crate::{Check, why};

/// Requests in flight at once, and their answers.
const REQUESTS: [(u32, u64); 5] = [(30, 832_040), (1, 1), (20, 6765), (5, 5), (10, 55)];

pub(crate) fn rpc(c: &mut Check) {
    let queue = c.name("rpc");
    let Some(mut server) = c.helper(
        "rabbit-rpc-server",
        &["--queue", &queue, "--idle-timeout", "20s"],
    ) else {
        return;
    };
    if let Err(err) = server.wait_for(AWAITING_RPC, 1, Duration::from_secs(30)) {
        server.kill();
        c.fail(
            &t!("check.did_not_start", step = "rabbit-rpc-server"),
            &format!("{err:#}"),
        );
        return;
    }
    let mut args = vec!["--queue", queue.as_str(), "--timeout", "20"];
    let numbers: Vec<String> = REQUESTS.iter().map(|(n, _)| n.to_string()).collect();
    for n in &numbers {
        args.extend(["--n", n.as_str()]);
    }
    let Some(out) = c.run(&t!("step.client"), &args) else {
        server.kill();
        return;
    };
    let answered = REQUESTS.iter().all(|(n, fib)| {
        out.stdout
            .iter()
            .any(|l| l == &format!(" [.] fib({n}) = {fib}"))
    });
    if out.success() && answered {
        c.pass(&t!("rpc.matched"));
    } else {
        c.fail(&t!("rpc.not_matched"), &why(&out));
        server.kill();
        return;
    }
    server.kill();
    reply_queue(c);
}

/// A client that waits (no server on its queue): its reply queue must be server-named and
/// exclusive (another connection is refused it), and a reply with an id it never sent must be
/// skipped, not taken for an answer.
fn reply_queue(c: &mut Check) {
    let nobody = c.name("rpc-nobody");
    let Some(client) = c.start(&["--queue", &nobody, "--n", "7", "--timeout", "30"]) else {
        return;
    };
    if !client.saw(" [*] replies come to ", 1, Duration::from_secs(30)) {
        c.fail(
            &t!("rpc.no_reply_queue_line"),
            &t!("rpc.no_reply_queue_line_hint"),
        );
        return;
    }
    let name = client
        .lines()
        .iter()
        .find_map(|l| l.strip_prefix(" [*] replies come to ").map(str::to_owned))
        .unwrap_or_default();
    if name.starts_with("amq.gen-") {
        c.pass(&t!("rpc.named_by_broker"));
    } else {
        c.fail(
            &t!("rpc.not_named_by_broker", name = name),
            &t!("rpc.not_named_by_broker_hint"),
        );
    }
    // Another connection may not even look at an exclusive queue: RESOURCE_LOCKED.
    match look_up_queue(c, &name) {
        Ok(Lookup::Locked) => c.pass(&t!("rpc.exclusive")),
        Ok(Lookup::Present) => c.fail(&t!("rpc.not_exclusive"), &t!("rpc.not_exclusive_hint")),
        Ok(Lookup::Absent) => c.fail(&t!("rpc.gone", name = name), &t!("rpc.gone_hint")),
        Err(err) => {
            could_not_ask(c, &t!("rpc.ask_reply_queue"), &err);
            return;
        }
    }
    // A reply that answers nothing this client asked.
    let sent = with_channel(&c.rabbit, "check rpc", async |channel| {
        channel
            .basic_publish(
                "".into(),
                name.as_str().into(),
                BasicPublishOptions::default(),
                b"42",
                BasicProperties::default().with_correlation_id("not-one-of-yours".into()),
            )
            .await?
            .await
    });
    if sent.is_none() {
        let mut client = client;
        client.kill();
        could_not_ask(c, &t!("rpc.ask_stray"), &t!("rpc.publish_failed"));
        return;
    }
    let skipped = client.saw(" [?] skipped", 1, Duration::from_secs(10));
    let mut client = client;
    client.kill();
    let printed_42 = client
        .try_finish(Duration::from_secs(10))
        .map_or(true, |out| {
            out.stdout.iter().any(|l| l.contains("fib(7) = 42"))
        });
    if skipped && !printed_42 {
        c.pass(&t!("rpc.skipped"));
    } else {
        c.fail(&t!("rpc.not_skipped"), &t!("rpc.not_skipped_hint"));
    }
}
