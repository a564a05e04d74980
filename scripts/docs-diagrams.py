#!/usr/bin/env python3
"""Draws the book's diagrams as plain SVG files in docs/images/ (committed).

The pages include them inline with {{#include}}, so they render offline, with nothing fetched
at view time. Run `python3 scripts/docs-diagrams.py` after changing a diagram here.
"""

from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "docs" / "images"

STYLE = {
    "producer": ("#e8f1fb", "#2f6db5"),
    "exchange": ("#fff4e0", "#c77700"),
    "queue": ("#eaf7ea", "#2e8b57"),
    "consumer": ("#f3ecfa", "#7a4bb0"),
    "broker": ("#f5f5f5", "#888888"),
    "partition": ("#eaf7ea", "#2e8b57"),
}


def esc(text):
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def svg(name, title, width, height, nodes, edges, notes=()):
    """nodes: id -> (kind, x, y, w, h, label); edges: (from, to, label)."""
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" id="diagram-{name}" class="mq-diagram" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
        f'font-family="sans-serif" font-size="14">',
        f"<title>{esc(title)}</title>",
        '<defs><marker id="arrow-{0}" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" '
        'markerHeight="8" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" '
        'fill="#444"/></marker></defs>'.format(name),
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>',
    ]
    for frm, to, label in edges:
        _, x1, y1, w1, h1, _ = nodes[frm]
        _, x2, y2, w2, h2, _ = nodes[to]
        sx, sy = x1 + w1, y1 + h1 / 2
        ex, ey = x2, y2 + h2 / 2
        parts.append(
            f'<line x1="{sx}" y1="{sy}" x2="{ex}" y2="{ey}" stroke="#444" stroke-width="1.6" '
            f'marker-end="url(#arrow-{name})"/>'
        )
        if label:
            mx, my = (sx + ex) / 2, (sy + ey) / 2 - 6
            parts.append(
                f'<text x="{mx}" y="{my}" text-anchor="middle" font-size="12" fill="#333">'
                f"{esc(label)}</text>"
            )
    for kind, x, y, w, h, label in nodes.values():
        fill, stroke = STYLE[kind]
        rx = 18 if kind == "exchange" else 6
        parts.append(
            f'<rect x="{x}" y="{y}" width="{w}" height="{h}" rx="{rx}" fill="{fill}" '
            f'stroke="{stroke}" stroke-width="1.6"/>'
        )
        lines = label.split("\n")
        for i, line in enumerate(lines):
            ty = y + h / 2 + (i - (len(lines) - 1) / 2) * 17 + 5
            parts.append(
                f'<text x="{x + w / 2}" y="{ty}" text-anchor="middle" fill="#222">{esc(line)}</text>'
            )
    for x, y, text in notes:
        parts.append(f'<text x="{x}" y="{y}" font-size="12" fill="#555">{esc(text)}</text>')
    parts.append("</svg>")
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / f"{name}.svg").write_text("\n".join(parts) + "\n")


def main():
    P, X, Q, C = "producer", "exchange", "queue", "consumer"
    svg("simple", "Simple mode: one producer, one queue, one consumer", 720, 130,
        {"p": (P, 20, 40, 120, 50, "producer"),
         "x": (X, 240, 40, 130, 50, 'default\nexchange ""'),
         "q": (Q, 440, 40, 130, 50, "queue\nziyiSimple"),
         "c": (C, 620, 40, 90, 50, "consumer")},
        [("p", "x", "key=ziyiSimple"), ("x", "q", ""), ("q", "c", "")])
    svg("worker", "Worker mode: two workers compete for one queue; each message goes to one", 720, 190,
        {"p": (P, 20, 65, 120, 50, "producer"),
         "x": (X, 240, 65, 130, 50, 'default\nexchange ""'),
         "q": (Q, 440, 65, 130, 50, "queue\nziyiWorker"),
         "c1": (C, 630, 20, 80, 50, "worker 1"),
         "c2": (C, 630, 110, 80, 50, "worker 2")},
        [("p", "x", "key=ziyiWorker"), ("x", "q", ""), ("q", "c1", ""), ("q", "c2", "")],
        notes=[(20, 180, "each task goes to one worker; manual ack after the work + prefetch 1 = fair dispatch")])
    svg("pubsub", "Publish/subscribe: a fanout exchange copies every message to every bound queue", 720, 190,
        {"p": (P, 20, 65, 120, 50, "producer"),
         "x": (X, 240, 65, 130, 50, "fanout\nnewProduct"),
         "q1": (Q, 440, 20, 140, 50, "queue amq.gen-A"),
         "q2": (Q, 440, 110, 140, 50, "queue amq.gen-B"),
         "c1": (C, 620, 20, 90, 50, "subscriber 1"),
         "c2": (C, 620, 110, 90, 50, "subscriber 2")},
        [("p", "x", ""), ("x", "q1", "copy"), ("x", "q2", "copy"), ("q1", "c1", ""), ("q2", "c2", "")],
        notes=[(20, 180, "each subscriber declares its own exclusive, server-named queue")])
    svg("routing", "Routing: a direct exchange delivers by exact routing key", 720, 190,
        {"p": (P, 20, 65, 120, 50, "producer"),
         "x": (X, 240, 65, 130, 50, "direct\nexZi"),
         "q1": (Q, 460, 20, 120, 50, "queue (A)"),
         "q2": (Q, 460, 110, 120, 50, "queue (B)"),
         "c1": (C, 620, 20, 90, 50, "consumer A"),
         "c2": (C, 620, 110, 90, 50, "consumer B")},
        [("p", "x", "imooc_one/two"), ("x", "q1", "imooc_one"), ("x", "q2", "imooc_two"),
         ("q1", "c1", ""), ("q2", "c2", "")],
        notes=[(20, 180, "a message goes to every queue bound with exactly its routing key")])
    svg("topic", "Topic: binding patterns where * is exactly one word and # is zero or more", 740, 200,
        {"p": (P, 20, 70, 120, 50, "producer"),
         "x": (X, 240, 70, 130, 50, "topic\nexImoocTopic"),
         "q1": (Q, 470, 20, 170, 50, "queue bound to #"),
         "q2": (Q, 470, 120, 170, 50, "queue: imooc.*.three"),
         "c1": (C, 670, 20, 60, 50, "all"),
         "c2": (C, 670, 120, 60, 50, ".three")},
        [("p", "x", "routing key"), ("x", "q1", "#"), ("x", "q2", "imooc.*.three"),
         ("q1", "c1", ""), ("q2", "c2", "")],
        notes=[(20, 192, "imooc.topic88.three matches both patterns; imooc.topic99.four matches only #")])
    svg("rpc", "RPC: a request to rpc_queue, the reply to the client's own queue, matched by correlation id", 900, 150,
        {"c": (P, 10, 40, 110, 50, "client"),
         "q": (Q, 200, 40, 120, 50, "queue\nrpc_queue"),
         "s": (C, 400, 40, 110, 50, "server\nprefetch 1"),
         "r": (Q, 590, 40, 150, 50, "reply queue\namq.gen-… (exclusive)"),
         "c2": (P, 800, 40, 90, 50, "client")},
        [("c", "q", "n, reply_to, id"), ("q", "s", ""), ("s", "r", "fib(n), same id"), ("r", "c2", "")],
        notes=[(10, 135, "the client sends every request first, then matches each reply to its request by correlation_id")])
    svg("kafka-partitions", "Kafka: a topic is split into partitions; each keeps its own order", 660, 210,
        {"p": (P, 20, 80, 120, 50, "producer"),
         "p0": ("partition", 260, 20, 250, 40, "web_log-0  | 0 | 1 | 2 | 3 |"),
         "p1": ("partition", 260, 85, 250, 40, "web_log-1  | 0 | 1 | 2 |"),
         "p2": ("partition", 260, 150, 250, 40, "web_log-2  | 0 | 1 | 2 | 3 | 4 |"),
         "c": (C, 570, 80, 80, 50, "consumer")},
        [("p", "p0", "random"), ("p", "p1", ""), ("p", "p2", "or hash(key)"),
         ("p0", "c", ""), ("p1", "c", ""), ("p2", "c", "")],
        notes=[(260, 205, "offsets count per partition; acks=all waits for every in-sync replica")])
    svg("kafka-groups", "Kafka groups: within a group each partition has one reader; every group reads everything", 740, 230,
        {"p0": ("partition", 20, 30, 130, 40, "partition 0"),
         "p1": ("partition", 20, 95, 130, 40, "partition 1"),
         "p2": ("partition", 20, 160, 130, 40, "partition 2"),
         "a1": (C, 300, 20, 180, 45, "group A, member 1/2"),
         "a2": (C, 300, 85, 180, 45, "group A, member 2/2"),
         "b": (C, 530, 150, 195, 50, "group B (one member)")},
        [("p0", "a1", ""), ("p2", "a1", ""), ("p1", "a2", ""),
         ("p0", "b", ""), ("p1", "b", ""), ("p2", "b", "")],
        notes=[(300, 222, "one group = point-to-point; several groups = publish/subscribe")])


if __name__ == "__main__":
    main()
