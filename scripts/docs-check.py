#!/usr/bin/env python3
"""`just docs-check`: what mdBook lets slip, and a look at the built book in a real browser.

  static   every {{#include}} names a file that exists, and every anchor it names has content
           (mdBook silently includes nothing for a missing anchor); every SUMMARY entry and every
           relative link or image points to a file that exists; every number that the prose
           quotes from a captured run is in that capture.
  browser  opens the landing page and the English and Chinese topic pages in headless Chromium,
           checks that the topic page shows the producer's code (from the crate) and the topic
           diagram, and saves screenshots in target/docs/ for a person to look at.

Run `scripts/docs.sh build` first (`just docs-check` does).
"""

import html
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BOOKS = [ROOT / "docs" / "en" / "src", ROOT / "docs" / "zh" / "src"]
IMAGES = ROOT / "docs" / "images"
BOOK = ROOT / "docs" / "book"
SHOTS = ROOT / "target" / "docs"

INCLUDE = re.compile(r"\{\{#(?:include|rustdoc_include)\s+([^}:\s]+)(?::([A-Za-z0-9_-]+))?\s*\}\}")
LINK = re.compile(r"\]\(([^)\s]+)\)")
# A sentence that quotes a captured run: its numbers must be in the capture.
QUOTES_CAPTURE = re.compile(r"(?<!docs-)\bcapture\b|演示中|输出中")
SENTENCE = re.compile(r"(?:[^.!?。!?;;\n]|\n(?!\n))+")


def anchor_body(path, anchor):
    """The lines between `ANCHOR: anchor` and `ANCHOR_END: anchor`, as mdBook takes them."""
    lines, inside, found = [], False, False
    for line in path.read_text().splitlines():
        if re.search(rf"ANCHOR:\s*{re.escape(anchor)}\b", line):
            inside, found = True, True
        elif re.search(rf"ANCHOR_END:\s*{re.escape(anchor)}\b", line):
            inside = False
        elif inside and "ANCHOR" not in line:
            lines.append(line)
    return found, lines


def static_checks():
    problems = []
    pages = sorted(page for src in BOOKS for page in src.rglob("*.md"))
    for page in pages:
        text = page.read_text()
        where = page.relative_to(ROOT)
        for target, anchor in INCLUDE.findall(text):
            path = (page.parent / target).resolve()
            if not path.is_file():
                problems.append(f"{where}: includes {target}, which does not exist")
                continue
            if anchor:
                found, body = anchor_body(path, anchor)
                if not found:
                    problems.append(f"{where}: anchor '{anchor}' is not in {target}")
                elif not any(line.strip() for line in body):
                    problems.append(f"{where}: anchor '{anchor}' in {target} is empty")
            elif not path.read_text().strip():
                problems.append(f"{where}: {target} is empty")
        # Links outside code blocks: strip fenced blocks first.
        prose = re.sub(r"```.*?```", "", text, flags=re.S)
        problems += capture_numbers(page, where, prose)
        for target in LINK.findall(prose):
            if re.match(r"^[a-z]+:", target) or target.startswith("#"):
                continue
            path = (page.parent / target.split("#", 1)[0]).resolve()
            if not path.exists():
                problems.append(f"{where}: links to {target}, which does not exist")
    included = set()
    for page in pages:
        for target, _ in INCLUDE.findall(page.read_text()):
            included.add((page.parent / target).resolve())
    for image in sorted(IMAGES.glob("*.svg")):
        if image.resolve() not in included:
            problems.append(f"{image.relative_to(ROOT)} is not used by any page")
    return problems


def capture_numbers(page, where, prose):
    """Numbers in prose must come from the captures: a sentence that cites the captured run may
    only quote numbers that the page's captured output contains."""
    # Only the summary lines count: a message line such as ` [x] Received task 81` or
    # `Partition:0 Offset:19` holds numbers that are not counts.
    captures = [
        line
        for target, _ in INCLUDE.findall(page.read_text())
        if "/captured/" in target and (page.parent / target).resolve().is_file()
        for line in (page.parent / target).resolve().read_text().splitlines()
        if not re.search(r"\[x\]|\[\.\]|Partition:|pid:\d", line)
    ]
    problems = []
    text = re.sub(r"\{\{#include[^}]*\}\}", "", prose)
    for sentence in SENTENCE.findall(text):
        if not QUOTES_CAPTURE.search(sentence):
            continue
        for number in re.findall(r"(?<![\w.])\d[\d,]*(?![\w.]*\d)", sentence):
            plain = number.replace(",", "")
            if not any(re.search(rf"(?<![\d.]){plain}(?![\d.])", c) for c in captures):
                problems.append(
                    f"{where}: the prose quotes {number} from the captured run, "
                    f"which its capture does not show: {' '.join(sentence.split())[:120]!r}"
                )
    return problems


def chromium(*args):
    return subprocess.run(
        ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
         "--disable-background-networking", "--no-first-run", "--hide-scrollbars", *args],
        capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL,
    )


def visible_text(dom):
    return html.unescape(re.sub(r"<[^>]+>", "", dom))


# What makes the topic page the topic chapter: the exchange kind, the binding with a pattern,
# and the consume loop's ack after the work.
TOPIC_LESSON = ["ExchangeKind::Topic", ".queue_bind(", "pattern.as_str().into()", "delivery.ack(BasicAckOptions::default())", ".basic_publish("]


def browser_checks():
    problems = []
    SHOTS.mkdir(parents=True, exist_ok=True)
    # The code the topic page must show: the producer's `publish` anchor, from the crate itself.
    _, code = anchor_body(ROOT / "crates/rabbit-topic-producer/src/main.rs", "publish")
    expected_code = [line.strip() for line in code if line.strip()][:3]
    pages = {
        "index": (BOOK / "index.html", ["mq-tutorial-rs", "English", "中文"], None),
        "en-topic": (BOOK / "en" / "topic.html", expected_code + TOPIC_LESSON, "diagram-topic"),
        "zh-topic": (BOOK / "zh" / "topic.html", expected_code + TOPIC_LESSON, "diagram-topic"),
        "en-going-faster": (BOOK / "en" / "going-faster.html", ["--ack-in-runs", "multiple: true"], "diagram-bench-settings"),
        "zh-going-faster": (BOOK / "zh" / "going-faster.html", ["--ack-in-runs", "multiple: true"], "diagram-bench-settings"),
    }
    for name, (page, texts, diagram) in pages.items():
        if not page.exists():
            problems.append(f"{page.relative_to(ROOT)} was not built")
            continue
        url = page.as_uri()
        dom = chromium("--virtual-time-budget=5000", "--dump-dom", url)
        if dom.returncode != 0 or "<html" not in dom.stdout:
            problems.append(f"chromium could not open {url}: {dom.stderr.strip()[-300:]}")
            continue
        shown = visible_text(dom.stdout)
        for text in texts:
            if text not in shown:
                problems.append(f"{name}: the page does not show {text!r}")
        if diagram:
            svg = re.search(rf'<svg[^>]*id="{diagram}"[^>]*>(.*?)</svg>', dom.stdout, re.S)
            if not svg:
                problems.append(f"{name}: the diagram #{diagram} is not in the page")
            elif "<rect" not in svg.group(1) or "<text" not in svg.group(1):
                problems.append(f"{name}: the diagram #{diagram} is empty")
        shot = SHOTS / f"{name}.png"
        result = chromium("--window-size=1280,2200", f"--screenshot={shot}", url)
        if result.returncode != 0 or not shot.exists() or shot.stat().st_size < 10_000:
            problems.append(f"{name}: no screenshot ({result.stderr.strip()[-300:]})")
        else:
            print(f"    screenshot: {shot.relative_to(ROOT)}")
    return problems


def main():
    what = sys.argv[1:] or ["static", "browser"]
    problems = []
    if "static" in what:
        problems += static_checks()
    if "browser" in what:
        problems += browser_checks()
    for problem in problems:
        print(f"error: {problem}", file=sys.stderr)
    if problems:
        sys.exit(1)
    print(f"docs-check: {', '.join(what)}: ok")


if __name__ == "__main__":
    main()
