//! The checks of the RabbitMQ exercises on exchanges: pubsub, routing and the topic puzzle.

use std::collections::BTreeMap;

use mq_tests::Output;

use super::rabbit::{
    Lookup, could_not_ask, delete_exchange, delete_queue, look_up_queue, received, routing_keys,
};
use super::{Check, why};

pub(crate) fn pubsub(c: &mut Check) {
    let exchange = c.name("pubsub");
    delete_exchange(c, &exchange);
    let args = [
        "subscribe",
        "--exchange",
        &exchange,
        "--max-messages",
        "5",
        "--idle-timeout",
        "5s",
    ];
    let Some(one) = c.consumer("the first subscriber", &args) else {
        return;
    };
    let Some(two) = c.consumer("the second subscriber", &args) else {
        return;
    };
    let queues: Vec<String> = [&one, &two]
        .iter()
        .filter_map(|p| {
            p.lines().iter().find_map(|l| {
                Some(
                    l.strip_prefix(" [*] Bound queue ")?
                        .split(' ')
                        .next()?
                        .to_owned(),
                )
            })
        })
        .collect();
    if queues.len() == 2
        && queues.iter().all(|q| q.starts_with("amq.gen-"))
        && queues[0] != queues[1]
    {
        c.pass("each subscriber has a queue of its own, named by the server");
    } else {
        c.fail(
            &format!("the subscribers' queues are {queues:?}"),
            "declare the queue with the name \"\": the server then names it (amq.gen-…)",
        );
    }
    if !c.produce(&["publish", "--exchange", &exchange, "--count", "5"]) {
        return;
    }
    let (Some(one), Some(two)) = (
        c.finish("the first subscriber", one),
        c.finish("the second subscriber", two),
    ) else {
        return;
    };
    let expected: Vec<String> = (0..5).map(|i| format!("news {i}")).collect();
    if received(&one) == expected && received(&two) == expected {
        c.pass("both subscribers received all 5 messages");
    } else {
        c.fail(
            &format!(
                "the subscribers received {} and {} of 5",
                received(&one).len(),
                received(&two).len()
            ),
            "bind the queue to the exchange: channel.queue_bind(queue, exchange, \"\", …)",
        );
    }
    let mut left = Vec::new();
    for queue in &queues {
        match look_up_queue(c, queue) {
            Ok(Lookup::Absent) => {}
            Ok(_) => left.push(queue),
            Err(err) => {
                could_not_ask(c, "whether the queues went away", &err);
                return;
            }
        }
    }
    if left.is_empty() {
        c.pass("the queues went away with their subscribers (exclusive)");
    } else {
        c.fail(
            &format!("queues {left:?} are still there after their subscribers left"),
            "declare the queue exclusive: true",
        );
        for queue in left {
            delete_queue(c, queue);
        }
    }
}

pub(crate) fn routing(c: &mut Check) {
    let exchange = c.name("routing");
    delete_exchange(c, &exchange);
    let Some(two_keys) = c.consumer(
        "the consumer of info and warning",
        &[
            "consume",
            "--exchange",
            &exchange,
            "--binding-key",
            "info",
            "--binding-key",
            "warning",
            "--idle-timeout",
            "3s",
        ],
    ) else {
        return;
    };
    let Some(one_key) = c.consumer(
        "the consumer of error",
        &[
            "consume",
            "--exchange",
            &exchange,
            "--binding-key",
            "error",
            "--idle-timeout",
            "3s",
        ],
    ) else {
        return;
    };
    for key in ["info", "warning", "error", "debug"] {
        if !c.produce(&[
            "publish",
            "--exchange",
            &exchange,
            "--key",
            key,
            "--count",
            "2",
        ]) {
            return;
        }
    }
    let (Some(two_keys), Some(one_key)) = (
        c.finish("a consumer", two_keys),
        c.finish("a consumer", one_key),
    ) else {
        return;
    };
    let count = |out: &Output| {
        let mut keys = BTreeMap::new();
        for key in routing_keys(out) {
            *keys.entry(key).or_insert(0) += 1;
        }
        keys
    };
    let want_two = BTreeMap::from([("info".to_owned(), 2), ("warning".to_owned(), 2)]);
    let want_one = BTreeMap::from([("error".to_owned(), 2)]);
    let hint = "a direct exchange (ExchangeKind::Direct), and one queue_bind per binding key";
    if count(&two_keys) == want_two {
        c.pass(
            "bound to info and warning: received the 2 info and 2 warning messages, nothing else",
        );
    } else {
        let reason = if two_keys.success() {
            hint.to_owned()
        } else {
            why(&two_keys)
        };
        c.fail(
            &format!("bound to info and warning, received {:?}", count(&two_keys)),
            &reason,
        );
    }
    if count(&one_key) == want_one {
        c.pass("bound to error: received the 2 error messages, nothing else (debug went nowhere)");
    } else {
        c.fail(
            &format!("bound to error, received {:?}", count(&one_key)),
            hint,
        );
    }
}

/// The topic puzzle's answer: the keys of its table that the wanted patterns select.
const TOPIC_WANTED: [&str; 5] = [
    "lazy.brown.fox",
    "lazy.orange.elephant",
    "lazy.orange.male.rabbit",
    "lazy.pink.rabbit",
    "quick.orange.rabbit",
];

pub(crate) fn topic(c: &mut Check) {
    let exchange = c.name("topic");
    delete_exchange(c, &exchange);
    let Some(consumer) = c.consumer(
        "the consumer",
        &["consume", "--exchange", &exchange, "--idle-timeout", "3s"],
    ) else {
        return;
    };
    if !c.produce(&["publish", "--exchange", &exchange]) {
        return;
    }
    let Some(consumed) = c.finish("the consumer", consumer) else {
        return;
    };
    let mut got = routing_keys(&consumed);
    got.sort();
    let missing: Vec<&str> = TOPIC_WANTED
        .iter()
        .copied()
        .filter(|k| !got.iter().any(|g| g == k))
        .collect();
    let extra: Vec<&String> = got
        .iter()
        .filter(|g| !TOPIC_WANTED.contains(&g.as_str()))
        .collect();
    if missing.is_empty() && extra.is_empty() && got.len() == TOPIC_WANTED.len() {
        c.pass("the broker delivered exactly the wanted keys");
    } else if !consumed.success() {
        c.fail("the consumer failed", &why(&consumed));
    } else {
        c.fail(
            &format!("missing {missing:?}, not wanted {extra:?}"),
            "`*` matches exactly one word and `#` zero or more: lazy.* does not match lazy.orange.male.rabbit",
        );
    }
}
