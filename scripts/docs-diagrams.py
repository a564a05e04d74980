#!/usr/bin/env python3
"""Draws the book's diagrams as plain SVG files in docs/images/ (committed): NAME.svg with
English labels, NAME.zh.svg with Chinese ones for the zh book (names of queues, exchanges,
keys and patterns stay as the code has them).

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


# Every English text of the diagrams, and its Chinese label. A text missing here stops the
# script, so that a new label cannot slip into the zh book untranslated.
ZH = {
    "Simple mode: one producer, one queue, one consumer": "Simple 模式:一个生产者、一个队列、一个消费者",
    "producer": "生产者",
    'default\nexchange ""': '默认\n交换机 ""',
    "queue\nziyiSimple": "队列\nziyiSimple",
    "consumer": "消费者",
    "key=ziyiSimple": "路由键=ziyiSimple",
    "Worker mode: two workers compete for one queue; each message goes to one":
        "Work 模式:两个 worker 争用一个队列;每条消息只给其中一个",
    "queue\nziyiWorker": "队列\nziyiWorker",
    "worker 1": "worker 1",
    "worker 2": "worker 2",
    "key=ziyiWorker": "路由键=ziyiWorker",
    "each task goes to one worker; manual ack after the work + prefetch 1 = fair dispatch":
        "每个任务只给一个 worker;处理完再手动 ack + prefetch 1 = 公平分发",
    "Publish/subscribe: a fanout exchange copies every message to every bound queue":
        "发布/订阅:fanout 交换机把每条消息复制给每个绑定的队列",
    "fanout\nnewProduct": "fanout\nnewProduct",
    "queue amq.gen-A": "队列 amq.gen-A",
    "queue amq.gen-B": "队列 amq.gen-B",
    "subscriber 1": "订阅者 1",
    "subscriber 2": "订阅者 2",
    "copy": "复制",
    "each subscriber declares its own exclusive, server-named queue":
        "每个订阅者声明自己的排他队列,由服务器命名",
    "Routing: a direct exchange delivers by exact routing key": "Routing:direct 交换机按完全相同的路由键投递",
    "direct\nexZi": "direct\nexZi",
    "queue (A)": "队列 (A)",
    "queue (B)": "队列 (B)",
    "consumer A": "消费者 A",
    "consumer B": "消费者 B",
    "imooc_one/two": "imooc_one/two",
    "imooc_one": "imooc_one",
    "imooc_two": "imooc_two",
    "a message goes to every queue bound with exactly its routing key":
        "消息进入每一个绑定键与其路由键完全相同的队列",
    "Topic: binding patterns where * is exactly one word and # is zero or more":
        "Topic:绑定模式中 * 恰好匹配一个单词,# 匹配零个或多个",
    "topic\nexImoocTopic": "topic\nexImoocTopic",
    "queue bound to #": "绑定 # 的队列",
    "queue: imooc.*.three": "队列:imooc.*.three",
    "all": "全部",
    ".three": ".three",
    "routing key": "路由键",
    "#": "#",
    "imooc.*.three": "imooc.*.three",
    "imooc.topic88.three matches both patterns; imooc.topic99.four matches only #":
        "imooc.topic88.three 匹配两个模式;imooc.topic99.four 只匹配 #",
    "RPC: a request to rpc_queue, the reply to the client's own queue, matched by correlation id":
        "RPC:请求发到 rpc_queue,回复发到客户端自己的队列,按 correlation id 匹配",
    "client": "客户端",
    "queue\nrpc_queue": "队列\nrpc_queue",
    "server\nprefetch 1": "服务端\nprefetch 1",
    "reply queue\namq.gen-… (exclusive)": "回复队列\namq.gen-…(排他)",
    "n, reply_to, id": "n, reply_to, id",
    "fib(n), same id": "fib(n),同一 id",
    "the client sends every request first, then matches each reply to its request by correlation_id":
        "客户端先发出所有请求,再按 correlation_id 把每个回复对应到它的请求",
    "Kafka: a topic is split into partitions; each keeps its own order": "Kafka:topic 被切分为分区;每个分区保持自己的顺序",
    "web_log-0  | 0 | 1 | 2 | 3 |": "web_log-0  | 0 | 1 | 2 | 3 |",
    "web_log-1  | 0 | 1 | 2 |": "web_log-1  | 0 | 1 | 2 |",
    "web_log-2  | 0 | 1 | 2 | 3 | 4 |": "web_log-2  | 0 | 1 | 2 | 3 | 4 |",
    "random": "随机",
    "or hash(key)": "或 hash(key)",
    "offsets count per partition; acks=all waits for every in-sync replica":
        "位移按分区各自计数;acks=all 等待每个同步副本",
    "Kafka groups: within a group each partition has one reader; every group reads everything":
        "Kafka 消费者组:组内每个分区只有一个读者;每个组都读到全部消息",
    "partition 0": "分区 0",
    "partition 1": "分区 1",
    "partition 2": "分区 2",
    "group A, member 1/2": "组 A,成员 1/2",
    "group A, member 2/2": "组 A,成员 2/2",
    "group B (one member)": "组 B(一个成员)",
    "one group = point-to-point; several groups = publish/subscribe": "一个组 = 点对点;多个组 = 发布/订阅",
    "Kafka replication: the leader takes writes, the followers fetch, the ISR is who has caught up":
        "Kafka 复制:leader 接收写入,follower 拉取,ISR 是已跟上的副本",
    "leader\nnode 1": "leader\n节点 1",
    "follower\nnode 2": "follower\n节点 2",
    "follower\nnode 3": "follower\n节点 3",
    "acks=1: answered here": "acks=1:这里就应答",
    "fetch": "拉取",
    "ISR = the replicas caught up within replica.lag.time.max.ms; acks=all waits for all of them,":
        "ISR = 在 replica.lag.time.max.ms 内跟上的副本;acks=all 等待它们全部,",
    "and min.insync.replicas=2 refuses the write (NotEnoughReplicas) while the ISR has fewer than 2":
        "ISR 少于 2 个时 min.insync.replicas=2 拒绝写入(NotEnoughReplicas)",
    "Quorum queue: a leader and two followers; a confirm means a majority has the message":
        "仲裁队列:一个 leader 和两个 follower;确认意味着多数派已有这条消息",
    "quorum queue\nleader rc1": "仲裁队列\nleader rc1",
    "follower rc2": "follower rc2",
    "follower rc3": "follower rc3",
    "consumer\non rc2": "消费者\n连在 rc2",
    "Raft log": "Raft 日志",
    "deliveries": "投递",
    "confirm after 2 of 3 have it on disk; rc1 dies: rc2 or rc3 leads, nothing confirmed is lost;":
        "3 个中有 2 个写入磁盘后才确认;rc1 宕机:rc2 或 rc3 接任,已确认的不会丢;",
    "a classic queue lives on one node only, and is unavailable while that node is down":
        "经典队列只在一个节点上,该节点宕机期间不可用",
    "A stream keeps what it receives: every reader reads everything, from where it chooses":
        "stream 保留收到的消息:每个读者都读到全部消息,从它选择的位置开始",
    "stream hello-stream\n| 0 | 1 | 2 | … | 9 |": "stream hello-stream\n| 0 | 1 | 2 | … | 9 |",
    "reader-1\n--offset next": "读者 1\n--offset next",
    "reader-2\n--name reader": "读者 2\n--name reader",
    "its own position": "各自的位置",
    "stored offset": "存储的位移",
    "reading takes nothing away; a named reader stores its offset on the broker and goes on after it":
        "读取不会删除消息;有名字的读者把位移存在代理上,重启后从它之后继续",
    "Super stream: partitions behind an exchange; each has one active consumer among those of one name":
        "超级流:交换机后面的几个分区 stream;同名的消费者中,每个分区只有一个活跃消费者",
    "super stream\nhello-superstream": "超级流\nhello-superstream",
    "hash(key) mod 3": "hash(key) mod 3",
    "hello-superstream-0": "hello-superstream-0",
    "hello-superstream-1": "hello-superstream-1",
    "hello-superstream-2": "hello-superstream-2",
    "0": "0",
    "1": "1",
    "2": "2",
    "consumer 1 (active)": "消费者 1(活跃)",
    "consumer 2 (active)": "消费者 2(活跃)",
    "consumer 3 (active)": "消费者 3(活跃)",
    "the same key, the same partition; one name (superstream-app), one group;":
        "同一个键,同一个分区;一个名字(superstream-app),一个组;",
    "a consumer dies: another becomes active on its partition, after the offset it stored":
        "某个消费者宕机:另一个在它的分区上变为活跃,从它存储的位移之后继续",
}


def svg(name, title, width, height, nodes, edges, notes=()):
    """Writes NAME.svg and NAME.zh.svg. nodes: id -> (kind, x, y, w, h, label); edges:
    (from, to, label)."""
    draw(name, name, title, width, height, nodes, edges, notes, lambda text: text)
    draw(name, f"{name}.zh", title, width, height, nodes, edges, notes, lambda text: ZH[text] if text else text)


def draw(name, file, title, width, height, nodes, edges, notes, tr):
    title = tr(title)
    nodes = {key: (*node[:5], tr(node[5])) for key, node in nodes.items()}
    edges = [(frm, to, tr(label)) for frm, to, label in edges]
    notes = [(x, y, tr(text)) for x, y, text in notes]
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
    (OUT / f"{file}.svg").write_text("\n".join(parts) + "\n")


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

    svg("kafka-replication", "Kafka replication: the leader takes writes, the followers fetch, the ISR is who has caught up", 760, 230,
        {"p": (P, 20, 80, 110, 50, "producer"),
         "l": ("partition", 310, 80, 140, 50, "leader\nnode 1"),
         "f2": ("partition", 580, 20, 160, 50, "follower\nnode 2"),
         "f3": ("partition", 580, 130, 160, 50, "follower\nnode 3")},
        [("p", "l", "acks=1: answered here"), ("l", "f2", "fetch"), ("l", "f3", "fetch")],
        notes=[(20, 205, "ISR = the replicas caught up within replica.lag.time.max.ms; acks=all waits for all of them,"),
               (20, 222, "and min.insync.replicas=2 refuses the write (NotEnoughReplicas) while the ISR has fewer than 2")])
    svg("rabbit-quorum", "Quorum queue: a leader and two followers; a confirm means a majority has the message", 760, 240,
        {"p": (P, 20, 75, 110, 50, "producer"),
         "l": (Q, 190, 75, 150, 50, "quorum queue\nleader rc1"),
         "f2": (Q, 430, 15, 130, 50, "follower rc2"),
         "f3": (Q, 430, 135, 130, 50, "follower rc3"),
         "c": (C, 640, 75, 100, 50, "consumer\non rc2")},
        [("p", "l", ""), ("l", "f2", "Raft log"), ("l", "f3", "Raft log"), ("l", "c", "deliveries")],
        notes=[(20, 212, "confirm after 2 of 3 have it on disk; rc1 dies: rc2 or rc3 leads, nothing confirmed is lost;"),
               (20, 229, "a classic queue lives on one node only, and is unavailable while that node is down")])
    svg("streams", "A stream keeps what it receives: every reader reads everything, from where it chooses", 760, 220,
        {"p": (P, 20, 75, 110, 50, "producer"),
         "s": ("partition", 220, 75, 260, 50, "stream hello-stream\n| 0 | 1 | 2 | … | 9 |"),
         "c1": (C, 580, 20, 160, 50, "reader-1\n--offset next"),
         "c2": (C, 580, 130, 160, 50, "reader-2\n--name reader")},
        [("p", "s", ""), ("s", "c1", "its own position"), ("s", "c2", "stored offset")],
        notes=[(20, 210, "reading takes nothing away; a named reader stores its offset on the broker and goes on after it")])
    svg("superstreams", "Super stream: partitions behind an exchange; each has one active consumer among those of one name", 800, 260,
        {"p": (P, 10, 95, 90, 50, "producer"),
         "x": (X, 210, 95, 140, 50, "super stream\nhello-superstream"),
         "p0": ("partition", 390, 20, 180, 40, "hello-superstream-0"),
         "p1": ("partition", 390, 100, 180, 40, "hello-superstream-1"),
         "p2": ("partition", 390, 180, 180, 40, "hello-superstream-2"),
         "c1": (C, 630, 15, 160, 45, "consumer 1 (active)"),
         "c2": (C, 630, 95, 160, 45, "consumer 2 (active)"),
         "c3": (C, 630, 175, 160, 45, "consumer 3 (active)")},
        [("p", "x", "hash(key) mod 3"), ("x", "p0", "0"), ("x", "p1", "1"), ("x", "p2", "2"),
         ("p0", "c1", ""), ("p1", "c2", ""), ("p2", "c3", "")],
        notes=[(10, 240, "the same key, the same partition; one name (superstream-app), one group;"),
               (10, 256, "a consumer dies: another becomes active on its partition, after the offset it stored")])


if __name__ == "__main__":
    main()
