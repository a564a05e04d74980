//! The checks of the RabbitMQ exercises on exchanges: pubsub, routing and the topic puzzle.

use std::collections::BTreeMap;

use rust_i18n::t;

use mq_run::Output;

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
    let Some(one) = c.consumer(&t!("step.first_subscriber"), &args) else {
        return;
    };
    let Some(two) = c.consumer(&t!("step.second_subscriber"), &args) else {
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
        c.pass(&t!("pubsub.own_queues"));
    } else {
        c.fail(
            &t!("pubsub.queues_are", queues = format!("{queues:?}")),
            &t!("pubsub.queues_hint"),
        );
    }
    if !c.produce(&["publish", "--exchange", &exchange, "--count", "5"]) {
        return;
    }
    let (Some(one), Some(two)) = (
        c.finish(&t!("step.first_subscriber"), one),
        c.finish(&t!("step.second_subscriber"), two),
    ) else {
        return;
    };
    let expected: Vec<String> = (0..5).map(|i| format!("news {i}")).collect();
    if received(&one) == expected && received(&two) == expected {
        c.pass(&t!("pubsub.both_received"));
    } else {
        c.fail(
            &t!(
                "pubsub.received",
                one = received(&one).len(),
                two = received(&two).len()
            ),
            &t!("pubsub.received_hint"),
        );
    }
    let mut left = Vec::new();
    for queue in &queues {
        match look_up_queue(c, queue) {
            Ok(Lookup::Absent) => {}
            Ok(_) => left.push(queue),
            Err(err) => {
                could_not_ask(c, &t!("pubsub.ask_gone"), &err);
                return;
            }
        }
    }
    if left.is_empty() {
        c.pass(&t!("pubsub.gone"));
    } else {
        c.fail(
            &t!("pubsub.left", left = format!("{left:?}")),
            &t!("pubsub.left_hint"),
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
        &t!("step.consumer_info_warning"),
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
        &t!("step.consumer_error"),
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
        c.finish(&t!("step.a_consumer"), two_keys),
        c.finish(&t!("step.a_consumer"), one_key),
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
    let hint = t!("routing.hint");
    if count(&two_keys) == want_two {
        c.pass(&t!("routing.two_keys"));
    } else {
        let reason = if two_keys.success() {
            hint.clone().into_owned()
        } else {
            why(&two_keys)
        };
        c.fail(
            &t!(
                "routing.two_keys_wrong",
                got = format!("{:?}", count(&two_keys))
            ),
            &reason,
        );
    }
    if count(&one_key) == want_one {
        c.pass(&t!("routing.one_key"));
    } else {
        c.fail(
            &t!(
                "routing.one_key_wrong",
                got = format!("{:?}", count(&one_key))
            ),
            &hint,
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
        &t!("step.consumer"),
        &["consume", "--exchange", &exchange, "--idle-timeout", "3s"],
    ) else {
        return;
    };
    if !c.produce(&["publish", "--exchange", &exchange]) {
        return;
    }
    let Some(consumed) = c.finish(&t!("step.consumer"), consumer) else {
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
        c.pass(&t!("topic.exact"));
    } else if !consumed.success() {
        c.fail(&t!("check.consumer_failed"), &why(&consumed));
    } else {
        c.fail(
            &t!(
                "topic.wrong",
                missing = format!("{missing:?}"),
                extra = format!("{extra:?}")
            ),
            &t!("topic.hint"),
        );
    }
}
