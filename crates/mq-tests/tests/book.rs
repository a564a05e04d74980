//! The book shows the calls each RabbitMQ chapter teaches, as running code: every chapter page,
//! in both languages, includes (with mdBook's `{{#include FILE:ANCHOR}}`) code that declares,
//! binds (the exchange modes), sets the prefetch, consumes, acks and publishes with its
//! exchange and routing key; and what it includes calls no machinery of the helper other than
//! connecting, the deliveries' stop and recovery, and the confirm summary, which the page also
//! includes. The included code is the code that runs: these are the binaries' own files.

// Test support: a missing page or file should stop the test with its message.
#![allow(clippy::expect_used, clippy::panic)]

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
    // (page, calls it shows, (helper call, its definition) that it must include).
    type Page = (
        &'static str,
        &'static [&'static str],
        &'static [(&'static str, &'static str)],
    );
    let pages: [Page; 2] = [
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
            "asyncfnpublish_windowed(",
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
        "stream, confirm each",
        "stream, 1000 confirms in flight",
    ] {
        assert!(
            chart.contains(setting),
            "the chart has no row for {setting}"
        );
    }
}

/// What the two books must share, page by page.
#[derive(Debug, PartialEq)]
struct Structure {
    sections: usize,
    pitfalls: usize,
    includes: Vec<String>,
    numbers: Vec<String>,
}

/// The prose of a page: without code blocks, inline code, includes and link targets.
fn prose(page: &str) -> String {
    let mut out = String::new();
    for (i, part) in page.split("```").enumerate() {
        if i % 2 == 1 {
            continue; // a fenced code block
        }
        for (j, seg) in part.split('`').enumerate() {
            if j % 2 == 0 {
                out.push_str(seg);
                out.push(' ');
            }
        }
    }
    // Includes and link targets name files, not facts.
    let mut text = String::new();
    let mut rest = out.as_str();
    while let Some(at) = rest.find(['{', '(']) {
        text.push_str(&rest[..at]);
        let close = if rest[at..].starts_with("{{") {
            "}}"
        } else if rest[..at].ends_with(']') {
            ")"
        } else {
            text.push_str(&rest[at..=at]);
            rest = &rest[at + 1..];
            continue;
        };
        rest = rest[at..]
            .find(close)
            .map_or("", |end| &rest[at + end + close.len()..]);
    }
    text.push_str(rest);
    text
}

/// The numbers a text states, written the same way in both languages: `1,000` and `1000`,
/// `250k` and `25 万`, `1M` and `100 万`, `mode 3` and `模式三` are the same number.
fn numbers(text: &str) -> Vec<String> {
    let text =
        ["一", "二", "三", "四", "五"]
            .iter()
            .enumerate()
            .fold(text.to_owned(), |t, (i, n)| {
                // `模式三。` is mode 3; `模式一样` ("like the mode") is no number.
                t.replace(&format!("模式{n}。"), &format!("模式 {}。", i + 1))
            });
    let chars: Vec<char> = text.chars().collect();
    let mut found = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit() || (i > 0 && chars[i - 1].is_ascii_alphanumeric()) {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len()
            && (chars[i].is_ascii_digit()
                || (matches!(chars[i], ',' | '.')
                    && chars.get(i + 1).is_some_and(char::is_ascii_digit)))
        {
            i += 1;
        }
        let digits: String = chars[start..i].iter().filter(|c| **c != ',').collect();
        let mut after = i;
        while chars.get(after) == Some(&' ') {
            after += 1;
        }
        let scale = match chars.get(i) {
            Some('k') if !chars.get(i + 1).is_some_and(char::is_ascii_alphabetic) => 1_000.0,
            Some('M') if !chars.get(i + 1).is_some_and(char::is_ascii_alphabetic) => 1e6,
            _ if chars.get(after) == Some(&'万') => 1e4,
            _ => 1.0,
        };
        let number = if scale == 1.0 {
            digits
        } else {
            format!("{}", digits.parse::<f64>().unwrap_or(0.0) * scale)
        };
        found.push(number);
    }
    found.sort();
    found
}

fn structure(page: &str) -> Structure {
    let includes = page
        .split("{{#include ")
        .skip(1)
        .filter_map(|part| part.split("}}").next())
        .map(|target| target.replace(".zh.svg", ".svg"))
        .collect();
    Structure {
        sections: page.lines().filter(|l| l.starts_with("## ")).count(),
        pitfalls: page.matches("<div class=\"warning\">").count(),
        includes,
        numbers: numbers(&prose(page)),
    }
}

/// How page `name` differs between the English and the Chinese book.
fn differences(name: &str, en: &str, zh: &str) -> Vec<String> {
    let (a, b) = (structure(en), structure(zh));
    let mut found = Vec::new();
    if a.sections != b.sections {
        found.push(format!(
            "{name}: {} sections in en, {} in zh",
            a.sections, b.sections
        ));
    }
    if a.pitfalls != b.pitfalls {
        found.push(format!(
            "{name}: {} Pitfall boxes in en, {} in zh",
            a.pitfalls, b.pitfalls
        ));
    }
    if a.includes != b.includes {
        found.push(format!(
            "{name}: includes differ: en {:?}, zh {:?}",
            a.includes, b.includes
        ));
    }
    if a.numbers != b.numbers {
        found.push(format!(
            "{name}: numbers differ: en {:?}, zh {:?}",
            a.numbers, b.numbers
        ));
    }
    found
}

/// The two books have the same pages, and each page the same sections, Pitfall boxes, code
/// includes and numbers in its prose.
#[test]
fn the_two_books_have_the_same_structure() {
    let list = |lang: &str| {
        let mut pages: Vec<String> =
            std::fs::read_dir(repo_root().join(format!("docs/{lang}/src")))
                .expect("the book's pages")
                .filter_map(Result::ok)
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.ends_with(".md"))
                .collect();
        pages.sort();
        pages
    };
    let pages = list("en");
    assert_eq!(pages, list("zh"), "the two books have different pages");
    let mut found = Vec::new();
    for name in &pages {
        let read = |lang: &str| {
            std::fs::read_to_string(repo_root().join(format!("docs/{lang}/src/{name}")))
                .expect("a page")
        };
        found.extend(differences(name, &read("en"), &read("zh")));
    }
    assert!(found.is_empty(), "the books differ:\n{}", found.join("\n"));
}

/// The check sees a Pitfall box removed from one language only, and a number changed.
#[test]
fn the_structural_check_sees_a_missing_pitfall_box() {
    let en = std::fs::read_to_string(repo_root().join("docs/en/src/simple.md")).expect("a page");
    let zh = std::fs::read_to_string(repo_root().join("docs/zh/src/simple.md")).expect("a page");
    assert!(differences("simple.md", &en, &zh).is_empty());
    let start = zh.rfind("<div class=\"warning\">").expect("a Pitfall box");
    let end = start + zh[start..].find("</div>").expect("its end") + "</div>".len();
    let without = format!("{}{}", &zh[..start], &zh[end..]);
    let found = differences("simple.md", &en, &without);
    assert!(
        found.iter().any(|d| d.contains("Pitfall boxes")),
        "a removed Pitfall box goes unnoticed: {found:?}"
    );
    let changed = en.replacen("RabbitMQ 4.3", "RabbitMQ 4.4", 1);
    assert!(
        !differences("simple.md", &changed, &zh).is_empty(),
        "a changed number goes unnoticed"
    );
}

/// The words the Chinese glossary (`docs/zh/src/glossary.md`) does not use: its "不用" column,
/// one or more per row, separated by 、.
fn rejected_words(glossary: &str) -> Vec<String> {
    let rows = glossary
        .lines()
        .filter(|l| l.starts_with('|') && !l.starts_with("|---"));
    let mut columns = None;
    let mut words = Vec::new();
    for row in rows {
        let cells: Vec<&str> = row.split('|').map(str::trim).collect();
        match columns {
            None => columns = cells.iter().position(|c| *c == "不用"),
            Some(at) => words.extend(
                cells
                    .get(at)
                    .into_iter()
                    .flat_map(|cell| cell.split('、'))
                    .map(|w| w.trim().trim_end_matches('…').trim().to_owned())
                    .filter(|w| !w.is_empty() && w != "—"),
            ),
        }
    }
    words
}

/// The rejected words that the prose of `page` uses (code, output and link targets aside).
fn rejected_in(page: &str, rejected: &[String]) -> Vec<String> {
    let text = prose(page);
    rejected
        .iter()
        .filter(|w| text.contains(w.as_str()))
        .cloned()
        .collect()
}

/// The Chinese book says each thing one way: no page's prose uses a word its glossary rejects
/// (再平衡 for 再均衡, 独占 for 排他, 截取 for 录制, …).
#[test]
fn the_chinese_book_keeps_to_its_glossary() {
    let dir = repo_root().join("docs/zh/src");
    let glossary = std::fs::read_to_string(dir.join("glossary.md")).expect("the glossary");
    let rejected = rejected_words(&glossary);
    for word in [
        "再平衡",
        "独占",
        "截取",
        "自动应答",
        "不干净的选举",
        "教程的",
    ] {
        assert!(
            rejected.contains(&word.to_owned()),
            "{word} is not in {rejected:?}"
        );
    }
    let mut found = Vec::new();
    for entry in std::fs::read_dir(&dir).expect("the zh pages") {
        let path = entry.expect("a page").path();
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
        if name.as_deref() == Some("glossary.md") || path.extension().is_none_or(|e| e != "md") {
            continue;
        }
        let page = std::fs::read_to_string(&path).expect("a page");
        for word in rejected_in(&page, &rejected) {
            found.push(format!("{}: {word}", path.display()));
        }
    }
    assert!(
        found.is_empty(),
        "words the glossary rejects:\n{}",
        found.join("\n")
    );
}

/// The check sees 再平衡 put back on a page, and leaves it in code alone.
#[test]
fn the_glossary_check_sees_a_rejected_word() {
    let dir = repo_root().join("docs/zh/src");
    let glossary = std::fs::read_to_string(dir.join("glossary.md")).expect("the glossary");
    let rejected = rejected_words(&glossary);
    let page = std::fs::read_to_string(dir.join("kafka-groups.md")).expect("a page");
    assert!(rejected_in(&page, &rejected).is_empty());
    let drifted = page.replacen("再均衡", "再平衡", 1);
    assert_ne!(drifted, page, "the page says 再均衡");
    assert_eq!(rejected_in(&drifted, &rejected), ["再平衡"]);
    let in_code = format!("{page}\n```text\n再平衡\n```\n");
    assert!(rejected_in(&in_code, &rejected).is_empty());
}
