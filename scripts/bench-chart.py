#!/usr/bin/env python3
"""Draws the price of each guarantee from `just bench`'s results.

Reads the "settings" rows of target/bench/results.json (crates/mq-bench/src/bench/sweep.rs)
and writes one SVG with two panels, one row per reliability setting: throughput of a producer
and a consumer together (msg/s), and end-to-end latency at a fixed rate (p50 and p99, ms),
with PerfTest's latency beside ours where it has the same setting. Both axes are logarithmic:
the settings differ by orders of magnitude.

    python3 scripts/bench-chart.py [RESULTS_JSON]

Writes docs/images/bench-settings.svg (English) and docs/images/bench-settings.zh.svg (Chinese
labels, for the zh book). Standard library only. `just bench` runs it; the chapter "Going
faster" includes the SVG.
"""

import json
import math
import sys
from html import escape
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "target/bench/results.json"
OUTPUTS = {
    "en": ROOT / "docs/images/bench-settings.svg",
    "zh": ROOT / "docs/images/bench-settings.zh.svg",
}

TEXT = {
    "en": {
        "title": "The price of each guarantee ({size}-byte messages, brokers on the same machine)",
        "throughput": "Throughput (msg/s, log scale)",
        "latency": "Latency at a fixed rate (ms, log scale)",
        "ours": "ours: dot p50, bar end p99",
        "perf": "PerfTest p50 to p99",
    },
    "zh": {
        "title": "每一种保证的代价({size} 字节的消息,代理在同一台机器上)",
        "throughput": "吞吐量(条/秒,对数刻度)",
        "latency": "固定速率下的延迟(毫秒,对数刻度)",
        "ours": "本项目:圆点 p50,条末 p99",
        "perf": "PerfTest p50 至 p99",
    },
}

# The settings' names in the zh book (sweep.rs names them in English).
ZH_SETTINGS = {
    "auto-ack": "自动 ack",
    "manual ack, prefetch 1000": "手动 ack,prefetch 1000",
    "manual ack, prefetch 100": "手动 ack,prefetch 100",
    "manual ack, prefetch 1": "手动 ack,prefetch 1",
    "confirms, async": "发布确认,异步",
    "confirms, batch of 100": "发布确认,每批 100",
    "confirms, individual": "发布确认,逐条",
    "persistent + confirms": "持久化 + 发布确认",
    "stream, confirm each": "stream,逐条确认",
    "stream, 1000 confirms in flight": "stream,1000 条确认在途",
}

ROW_H = 30
LABEL_W = 175
PANEL_W = 260
GAP = 40
RIGHT = 80
TOP = 78
COLORS = {"RabbitMQ": "#ff6600", "RabbitMQ 4 stream": "#2e8b57", "Kafka": "#231f20"}


def log_x(value, low, high, width):
    """Position of `value` on a log axis from `low` to `high` over `width` pixels."""
    value = min(max(value, low), high)
    return width * (math.log10(value) - math.log10(low)) / (math.log10(high) - math.log10(low))


def decades(low, high):
    exponent = math.floor(math.log10(low))
    while 10**exponent <= high:
        if 10**exponent >= low:
            yield 10**exponent
        exponent += 1


def label(value, unit):
    if unit == "msg/s":
        return f"{value / 1000:g}k" if value >= 1000 else f"{value:g}"
    return f"{value:g}"


def main():
    if not SOURCE.exists():
        sys.exit(f"error: {SOURCE} does not exist: run `just bench` first")
    report = json.loads(SOURCE.read_text())
    rows = report.get("settings") or []
    if not rows:
        sys.exit(f"error: {SOURCE} has no settings rows: run `just bench` first")
    for lang, output in OUTPUTS.items():
        output.write_text(draw(report, rows, lang))
        print(f"Written: {output.relative_to(ROOT)}")


def draw(report, rows, lang):
    text = TEXT[lang]
    name = (lambda n: ZH_SETTINGS.get(n, n)) if lang == "zh" else (lambda n: n)
    rates = [r["msg_per_s"] for r in rows]
    lat = [r["latency"][k] for r in rows for k in ("p50_ms", "p99_ms")]
    lat += [
        r["perf_test_latency"][k]
        for r in rows
        if r.get("perf_test_latency")
        for k in ("p50_ms", "p99_ms")
    ]
    r_low, r_high = 10 ** math.floor(math.log10(min(rates))), 10 ** math.ceil(math.log10(max(rates)))
    l_low = 10 ** math.floor(math.log10(max(min(lat), 0.01)))
    l_high = 10 ** math.ceil(math.log10(max(lat)))
    width = LABEL_W + 2 * PANEL_W + GAP + RIGHT
    height = TOP + ROW_H * len(rows) + 70
    x1 = LABEL_W
    x2 = LABEL_W + PANEL_W + GAP
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" id="diagram-bench-settings" '
        f'viewBox="0 0 {width} {height}" width="100%" '
        f'font-family="sans-serif" font-size="12">',
        f'<rect width="{width}" height="{height}" fill="white"/>',
        f'<text x="10" y="20" font-size="15" font-weight="bold">'
        f"{escape(text['title'].format(size=report.get('message_bytes', 200)))}</text>",
        f'<text x="10" y="38" fill="#555">{escape(report.get("machine", ""))}</text>',
        f'<text x="{x1}" y="{TOP - 18}" font-weight="bold">{escape(text["throughput"])}</text>',
        f'<text x="{x2}" y="{TOP - 18}" font-weight="bold">{escape(text["latency"])}</text>',
    ]
    bottom = TOP + ROW_H * len(rows)
    for tick in decades(r_low, r_high):
        x = x1 + log_x(tick, r_low, r_high, PANEL_W)
        out.append(f'<line x1="{x:.1f}" y1="{TOP - 8}" x2="{x:.1f}" y2="{bottom}" stroke="#ddd"/>')
        out.append(f'<text x="{x:.1f}" y="{bottom + 14}" text-anchor="middle" fill="#555">{label(tick, "msg/s")}</text>')
    for tick in decades(l_low, l_high):
        x = x2 + log_x(tick, l_low, l_high, PANEL_W)
        out.append(f'<line x1="{x:.1f}" y1="{TOP - 8}" x2="{x:.1f}" y2="{bottom}" stroke="#ddd"/>')
        out.append(f'<text x="{x:.1f}" y="{bottom + 14}" text-anchor="middle" fill="#555">{label(tick, "ms")}</text>')
    for i, r in enumerate(rows):
        y = TOP + i * ROW_H
        color = COLORS.get(r["broker"], "#666")
        out.append(f'<text x="{LABEL_W - 8}" y="{y + 17}" text-anchor="end">{escape(name(r["setting"]))}</text>')
        w = log_x(r["msg_per_s"], r_low, r_high, PANEL_W)
        out.append(f'<rect x="{x1}" y="{y + 6}" width="{max(w, 1):.1f}" height="16" fill="{color}"/>')
        out.append(f'<text x="{x1 + w + 4:.1f}" y="{y + 18}" fill="#333">{r["msg_per_s"]:,}</text>')
        latency = r["latency"]
        p50 = x2 + log_x(latency["p50_ms"], l_low, l_high, PANEL_W)
        p99 = x2 + log_x(latency["p99_ms"], l_low, l_high, PANEL_W)
        out.append(f'<line x1="{x2}" y1="{y + 12}" x2="{p99:.1f}" y2="{y + 12}" stroke="{color}" stroke-opacity="0.35" stroke-width="8"/>')
        out.append(f'<circle cx="{p50:.1f}" cy="{y + 12}" r="5" fill="{color}"/>')
        out.append(f'<line x1="{p99:.1f}" y1="{y + 6}" x2="{p99:.1f}" y2="{y + 18}" stroke="{color}" stroke-width="2"/>')
        perf = r.get("perf_test_latency")
        if perf:
            q50 = x2 + log_x(perf["p50_ms"], l_low, l_high, PANEL_W)
            q99 = x2 + log_x(perf["p99_ms"], l_low, l_high, PANEL_W)
            out.append(f'<line x1="{q50:.1f}" y1="{y + 24}" x2="{q99:.1f}" y2="{y + 24}" stroke="#1f77b4" stroke-width="2"/>')
            out.append(f'<rect x="{q50 - 3:.1f}" y="{y + 21}" width="6" height="6" fill="#1f77b4"/>')
        out.append(
            f'<text x="{x2 + PANEL_W + 4}" y="{y + 16}" fill="#333" font-size="10">'
            f'{latency["p50_ms"]:g} / {latency["p99_ms"]:g}</text>'
        )
    legend = bottom + 36
    out += [
        f'<rect x="{x1}" y="{legend - 9}" width="12" height="10" fill="{COLORS["RabbitMQ"]}"/>',
        f'<text x="{x1 + 16}" y="{legend}">RabbitMQ</text>',
        f'<rect x="{x1 + 90}" y="{legend - 9}" width="12" height="10" fill="{COLORS["Kafka"]}"/>',
        f'<text x="{x1 + 106}" y="{legend}">Kafka</text>',
        f'<rect x="{x1 + 150}" y="{legend - 9}" width="12" height="10" fill="{COLORS["RabbitMQ 4 stream"]}"/>',
        f'<text x="{x1 + 166}" y="{legend}">RabbitMQ 4 stream</text>',
        f'<circle cx="{x2 + 5}" cy="{legend - 4}" r="5" fill="#888"/>',
        f'<text x="{x2 + 14}" y="{legend}">{escape(text["ours"])}</text>',
        f'<rect x="{x2}" y="{legend + 11}" width="6" height="6" fill="#1f77b4"/>',
        f'<text x="{x2 + 14}" y="{legend + 18}">{escape(text["perf"])}</text>',
    ]
    out.append("</svg>")
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    main()
