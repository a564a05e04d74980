//! The book shows the calls each RabbitMQ chapter teaches, as running code: every chapter page,
//! in both languages, includes (with mdBook's `{{#include FILE:ANCHOR}}`) code that declares,
//! binds (the exchange modes), sets the prefetch, consumes, acks and publishes with its
//! exchange and routing key; and what it includes calls no machinery of the helper other than
//! connecting, the deliveries' stop and recovery, and the confirm summary, which the page also
//! includes. The included code is the code that runs: these are the binaries' own files.

use std::path::Path;

use mq_tests::repo_root;

/// The text that `{{#include PATH:ANCHOR}}` puts on a page (mdBook drops the anchor lines).
fn included(page: &Path, path: &str, anchor: &str) -> String {
    let file = page.parent().expect("a folder").join(path);
    let text = std::fs::read_to_string(&file)
        .unwrap_or_else(|err| panic!("{}: cannot read {}: {err}", page.display(), file.display()));
    let start = format!("ANCHOR: {anchor}");
    let end = format!("ANCHOR_END: {anchor}");
    let mut inside = false;
    let mut out = Vec::new();
    for line in text.lines() {
        if line.contains(&end) {
            inside = false;
        } else if line.contains(&start) {
            inside = true;
        } else if inside && !line.contains("ANCHOR") {
            out.push(line);
        }
    }
    assert!(
        !out.is_empty(),
        "{}: anchor '{anchor}' of {path} is empty or missing",
        page.display()
    );
    out.join("\n")
}

/// All the Rust code a page includes.
fn code_on(page: &Path) -> String {
    let text = std::fs::read_to_string(page).expect("the page");
    let mut code = String::new();
    for part in text.split("{{#include ").skip(1) {
        let target = part.split("}}").next().expect("an include");
        if let Some((path, anchor)) = target.rsplit_once(':')
            && path.ends_with(".rs")
        {
            code.push_str(&included(page, path, anchor));
            code.push('\n');
        }
    }
    code
}

/// Code without its whitespace, so that a call reads the same however rustfmt wraps it.
fn squeezed(code: &str) -> String {
    code.chars().filter(|c| !c.is_whitespace()).collect()
}

#[test]
fn each_rabbitmq_chapter_page_shows_the_calls_it_teaches() {
    let common = [
        "basic_qos(",
        "basic_consume(",
        "delivery.ack(BasicAckOptions::default())",
        "basic_publish(",
        "confirm_select(",
        "confirm.await",
    ];
    let chapters: [(&str, &[&str]); 5] = [
        // Publishing: to the default exchange with the queue's name as the routing key, or to
        // the exchange with the message's routing key.
        (
            "simple",
            &["queue_declare(", "basic_publish(\"\".into(),queue.into(),"],
        ),
        (
            "worker",
            &[
                "queue_declare(",
                "basic_publish(\"\".into(),queue.into(),",
                "PREFETCH:u16=1",
            ],
        ),
        (
            "pubsub",
            &[
                "exchange_declare(",
                "ExchangeKind::Fanout",
                "queue_bind(",
                "basic_publish(exchange.into(),\"\".into(),",
            ],
        ),
        (
            "routing",
            &[
                "exchange_declare(",
                "ExchangeKind::Direct",
                "queue_bind(",
                "basic_publish(exchange.into(),key.as_str().into(),",
            ],
        ),
        (
            "topic",
            &[
                "exchange_declare(",
                "ExchangeKind::Topic",
                "queue_bind(",
                "basic_publish(exchange.into(),key.as_str().into(),",
            ],
        ),
    ];
    // The helper's lesson machinery that the pages used to call and no longer may.
    let off_page = [
        "publish_all(",
        ".consume(",
        "Publishes::",
        "consume_loop(",
        "tuned::",
        "Acks::",
        "pipeline::",
    ];
    for lang in ["en", "zh"] {
        for (chapter, calls) in chapters {
            let page = repo_root().join(format!("docs/{lang}/src/{chapter}.md"));
            let code = squeezed(&code_on(&page));
            for call in common.iter().chain(calls.iter()) {
                assert!(
                    code.contains(&squeezed(call)),
                    "{lang}/{chapter}.md does not show `{call}`:\n{code}"
                );
            }
            for call in off_page {
                assert!(
                    !code.contains(&squeezed(call)),
                    "{lang}/{chapter}.md shows a call of machinery defined off the page: `{call}`"
                );
            }
            // The helper calls that remain are shown on the page too.
            for (call, definition) in [
                ("deliveries.next()", "pub async fn next("),
                ("deliveries.acked(", "pub fn acked("),
                ("summary.settle(", "pub fn settle("),
            ] {
                if code.contains(&squeezed(call)) {
                    assert!(
                        code.contains(&squeezed(definition)),
                        "{lang}/{chapter}.md calls `{call}` but does not include its definition"
                    );
                }
            }
        }
    }
}

/// The two chapters beyond the tutorial call lapin in their binaries too; whatever else their
/// snippets call is on their page as well.
#[test]
fn rpc_and_confirms_pages_show_what_their_snippets_call() {
    let pages: [(&str, &[&str], &[(&str, &str)]); 2] = [
        (
            "rpc",
            &[
                "queue_declare(",
                "basic_qos(",
                "basic_consume(",
                ".ack(BasicAckOptions::default())",
                "basic_publish(",
                "with_correlation_id(",
                "with_reply_to(",
            ],
            &[("deliveries.next()", "pub async fn next(")],
        ),
        (
            "confirms",
            &[
                "confirm_select(",
                "basic_publish(\"\".into(),routing_key.into(),",
                "confirm.await",
            ],
            &[
                ("target.publish(", "async fn publish("),
                ("settle_with(", "pub fn settle_with("),
            ],
        ),
    ];
    for lang in ["en", "zh"] {
        for (chapter, shown, helpers) in pages {
            let page = repo_root().join(format!("docs/{lang}/src/{chapter}.md"));
            let code = squeezed(&code_on(&page));
            for call in shown {
                assert!(
                    code.contains(&squeezed(call)),
                    "{lang}/{chapter}.md does not show `{call}`"
                );
            }
            for (call, definition) in helpers {
                assert!(
                    code.contains(&squeezed(call)),
                    "{lang}/{chapter}.md: `{call}` is no longer called"
                );
                assert!(
                    code.contains(&squeezed(definition)),
                    "{lang}/{chapter}.md calls `{call}` but does not include its definition"
                );
            }
        }
    }
}

/// The chapter "Going faster" shows the speed-ups' code and the chart, in both books.
#[test]
fn going_faster_shows_the_speed_ups_and_the_chart() {
    for lang in ["en", "zh"] {
        let page = repo_root().join(format!("docs/{lang}/src/going-faster.md"));
        let text = std::fs::read_to_string(&page).expect("the page");
        let code = squeezed(&code_on(&page));
        for shown in [
            "BasicAckOptions{multiple:true}",
            "SEND_WINDOW",
            "confirm_window",
        ] {
            assert!(
                code.contains(&squeezed(shown)),
                "{lang}/going-faster.md does not show `{shown}`"
            );
        }
        let chart = match lang {
            "en" => "images/bench-settings.svg",
            _ => "images/bench-settings.zh.svg",
        };
        assert!(text.contains(chart), "{lang}/going-faster.md has no chart");
        let summary =
            std::fs::read_to_string(repo_root().join(format!("docs/{lang}/src/SUMMARY.md")))
                .expect("SUMMARY.md");
        assert!(
            summary.contains("going-faster.md"),
            "{lang}: not in the book's contents"
        );
    }
    let chart = std::fs::read_to_string(repo_root().join("docs/images/bench-settings.svg"))
        .expect("the chart, drawn by `just bench` (scripts/bench-chart.py)");
    for setting in [
        "auto-ack",
        "prefetch 1",
        "prefetch 100",
        "prefetch 1000",
        "confirms, individual",
        "confirms, batch",
        "confirms, async",
        "persistent",
        "acks=0",
        "acks=1",
        "acks=all",
    ] {
        assert!(
            chart.contains(setting),
            "the chart has no row for {setting}"
        );
    }
}
