#!/usr/bin/env python3
"""`just bench`: how fast the demo binaries move messages, next to the brokers' own tools.

The subjects are the demo binaries themselves (release build), in a bench configuration:
no interval, 200-byte messages, `--quiet`, and a `--count` grown until each run lasts at least
5 s (aiming at BENCH_SECONDS, default 6) on this machine. The references run in the same session, against
the same brokers:
  - RabbitMQ: PerfTest (com.rabbitmq:perf-test, fetched from Maven Central);
  - Kafka: ProducerPerformance and ConsumerPerformance from the Kafka 3.9 jars.

For each of our processes the CPU time (user + system) and the peak RSS come from the
process's own rusage (os.wait4). Results: a table on stdout, target/bench/results.json and
target/bench/results.md. Nothing here fails on speed; it only measures and prints.
"""

import json
import os
import platform
import re
import signal
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / "target" / "release"
OUT = ROOT / "target" / "bench"

def setting(name):
    """A setting that scripts/lib.sh exports (docker/brokers.env, .env, the paths it derives)."""
    value = os.environ.get(name)
    if not value:
        sys.exit(f"error: {name} is not set: run the benchmark with `just bench`")
    return value


MQ_HOME = Path(setting("MQ_HOME"))
KAFKA_LIBS = Path(setting("KAFKA_LIBS"))
KAFKA_LOG4J = Path(setting("KAFKA_CONF")) / "tools-log4j.properties"
PERF_TEST_LIBS = MQ_HOME / "perf-test-libs"
SIZE = 200  # bytes per message, as in the LinkedIn measurements the tutorial quotes
SECONDS = float(os.environ.get("BENCH_SECONDS", "6"))  # what a run is sized for
MIN_SECONDS = 5.0  # a shorter run is repeated with more messages
KAFKA = f"127.0.0.1:{setting('KAFKA_PORT')}"


def step(text):
    print(f"\033[1m==>\033[0m {text}", flush=True)


def info(text):
    print(f"    {text}", flush=True)


class BenchError(Exception):
    pass


class Proc:
    """A child process whose output is collected and whose rusage is read when it ends.

    CPU time comes from the rusage that wait4 returns. Peak RSS does not: Linux carries
    ru_maxrss across fork and exec, so a child of this Python process would report at least
    Python's own size. It is read instead from the child's VmHWM ("high water mark") in
    /proc/PID/status, sampled every 20 ms until the child exits.
    """

    def __init__(self, name, argv):
        self.name = name
        self.lines = []
        self.started = time.monotonic()
        read_end, write_end = os.pipe()
        self.pid = os.posix_spawnp(
            argv[0],
            argv,
            os.environ,
            file_actions=[
                (os.POSIX_SPAWN_OPEN, 0, "/dev/null", os.O_RDONLY, 0),
                (os.POSIX_SPAWN_DUP2, write_end, 1),
                (os.POSIX_SPAWN_DUP2, write_end, 2),
                (os.POSIX_SPAWN_CLOSE, read_end),
            ],
        )
        os.close(write_end)
        self.output = os.fdopen(read_end, errors="replace")
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        self.hwm_kib = 0
        self.sampler = threading.Thread(target=self._sample, daemon=True)
        self.sampler.start()

    def _sample(self):
        status = Path(f"/proc/{self.pid}/status")
        while True:
            try:
                text = status.read_text()
            except OSError:
                return  # reaped
            match = re.search(r"^VmHWM:\s+(\d+) kB", text, re.M)
            if not match:
                return  # a zombie has no memory left to report
            self.hwm_kib = max(self.hwm_kib, int(match.group(1)))
            time.sleep(0.02)

    def _read(self):
        for line in self.output:
            self.lines.append(line.rstrip("\n"))

    def wait_line(self, needle, timeout=30):
        deadline = time.monotonic() + timeout
        while not any(needle in line for line in self.lines):
            if not self.reader.is_alive() or time.monotonic() > deadline:
                raise BenchError(f"{self.name} did not print {needle!r}: {self.tail()}")
            time.sleep(0.01)

    def tail(self):
        return " | ".join(self.lines[-3:]) or "(no output)"

    def finish(self, timeout=300):
        """Waits for the exit (killing after `timeout`) and records time, CPU and peak RSS."""
        killer = threading.Timer(timeout, os.kill, (self.pid, signal.SIGKILL))
        killer.start()
        _, status, usage = os.wait4(self.pid, 0)
        killer.cancel()
        self.seconds = time.monotonic() - self.started
        code = os.waitstatus_to_exitcode(status)
        self.reader.join()
        self.sampler.join()
        self.cpu = usage.ru_utime + usage.ru_stime
        self.rss_mb = self.hwm_kib / 1024
        if code != 0:
            raise BenchError(f"{self.name} exited with {code}: {self.tail()}")
        return self


def ours(binary, *args):
    return Proc(binary, [str(BIN / binary), *args])


def row(case, side, tool, messages, seconds, proc=None, reference=None, note=""):
    rate = messages / seconds if seconds > 0 else 0.0
    result = {
        "case": case,
        "side": side,
        "tool": tool,
        "messages": messages,
        "seconds": round(seconds, 3),
        "msg_per_s": round(rate),
        "mb_per_s": round(rate * SIZE / 1e6, 2),
        "cpu_s_per_100k": round(proc.cpu / messages * 1e5, 3) if proc else None,
        "peak_rss_mb": round(proc.rss_mb, 1) if proc else None,
        "reference_msg_per_s": round(reference) if reference else None,
        "ratio_to_reference": round(rate / reference, 2) if reference else None,
        "note": note,
    }
    ratio = f"{result['ratio_to_reference']:.2f}x" if reference else "-"
    info(f"{case} / {side} ({tool}): {result['msg_per_s']:,} msg/s, ratio {ratio}")
    return result


def unique(prefix):
    return f"bench-{prefix}-{uuid.uuid4().hex[:8]}"


# ---------------------------------------------------------------------------------------------
# RabbitMQ: a producer and a consumer running at the same time, as PerfTest runs them.


def rabbit_pair(producer, consumer, queue, count, producer_flags, consumer_flags):
    cons = ours(consumer, "--queue", queue, "--max-messages", str(count), "--quiet", *consumer_flags)
    cons.wait_line("Waiting for messages")
    start = time.monotonic()
    prod = ours(
        producer, "--queue", queue, "--count", str(count), "--interval", "0",
        "--size", str(SIZE), "--quiet", *producer_flags,
    ).finish()
    cons.finish()
    consumed = time.monotonic() - start
    return prod, cons, consumed


def long_enough(run, count, high):
    """Calls `run(count)`, which returns (result, seconds of its faster side), and grows the
    count until that side lasts MIN_SECONDS. The first, short call doubles as a warm-up."""
    while True:
        result, seconds = run(count)
        if seconds >= MIN_SECONDS or count >= high:
            return count, result
        grown = int(min(high, count * SECONDS / max(seconds, 0.05) * 1.1))
        info(f"{count:,} messages took {seconds:.1f} s; running again with {grown:,}")
        count = grown


def perf_test(flags, seconds):
    queue = unique("perftest")
    proc = Proc("PerfTest", [
        "java", "-Xmx512m", "-cp", f"{PERF_TEST_LIBS}/*", "com.rabbitmq.perf.PerfTest",
        "--uri", os.environ["AMQP_URL"], "--producers", "1", "--consumers", "1",
        "--size", str(SIZE), "--time", str(int(round(seconds))), "--queue", queue, *flags,
    ]).finish(timeout=seconds + 120)
    text = "\n".join(proc.lines)
    sent = re.search(r"sending rate avg: (\d+) msg/s", text)
    received = re.search(r"receiving rate avg: (\d+) msg/s", text)
    if not (sent and received):
        raise BenchError(f"PerfTest printed no rates: {proc.tail()}")
    return float(sent.group(1)), float(received.group(1))


def bench_rabbit(rows, have_perf_test):
    # The consumers get --prefetch 1000 (the demos default to 100): with 100, a consumer that
    # shares 2 cores with the broker and the producer falls behind. PerfTest gets the same
    # --qos, so both clients work under the same limit.
    prefetch, qos = ["--prefetch", "1000"], ["--qos", "1000"]
    cases = [
        ("rabbit plain", "rabbit-simple", [], prefetch, qos),
        ("rabbit --confirm", "rabbit-simple", ["--confirm"], prefetch,
         ["--confirm", "1024", *qos]),
        (
            "rabbit --persistent --confirm", "rabbit-simple",
            ["--persistent", "--confirm"], ["--persistent", *prefetch],
            ["--confirm", "1024", "--flag", "persistent", *qos],
        ),
        # The worker consumer acks each task and has prefetch 1, as the chapter teaches.
        ("rabbit worker (ack, prefetch 1)", "rabbit-worker", [], [], ["--qos", "1"]),
    ]
    for case, mode, producer_flags, consumer_flags, perf_flags in cases:
        step(f"{case}")
        producer, consumer = f"{mode}-producer", f"{mode}-consumer"

        def run(count):
            pair = rabbit_pair(producer, consumer, unique("q"), count, producer_flags, consumer_flags)
            return pair, min(pair[0].seconds, pair[2])

        # The prefetch-1 worker consumes ten times slower than its producer publishes: sizing
        # on the faster side makes its consumer run for about a minute.
        count, (prod, cons, consumed) = long_enough(run, 20_000, high=3_000_000)
        sent_ref = received_ref = None
        if have_perf_test:
            sent_ref, received_ref = perf_test(perf_flags, max(SECONDS, 5))
        rows.append(row(case, "publish", "ours", count, prod.seconds, prod, sent_ref))
        rows.append(row(case, "consume", "ours", count, consumed, cons, received_ref))
        if have_perf_test:
            rows.append(row(case, "publish", "PerfTest", round(sent_ref * SECONDS), SECONDS))
            rows.append(row(case, "consume", "PerfTest", round(received_ref * SECONDS), SECONDS))
        if case == "rabbit plain":
            # Memory: the same consumer over 10x fewer messages. Prefetch bounds what it holds.
            _, small, _ = rabbit_pair(
                producer, consumer, unique("q"), count // 10, producer_flags, consumer_flags
            )
            rows.append(row(case, "consume, count/10", "ours", count // 10, small.seconds, small,
                            note="peak RSS vs the full run: flat means bounded"))


# ---------------------------------------------------------------------------------------------
# Kafka


def kafka_java(name, main, *args, timeout=300):
    return Proc(name, [
        "java", "-Xmx512m", f"-Dlog4j.configuration=file:{KAFKA_LOG4J}", "-cp", f"{KAFKA_LIBS}/*",
        main, *args,
    ]).finish(timeout=timeout)


def kafka_produce(topic, count, acks):
    return ours(
        "kafka-producer", "--topic", topic, "--count", str(count), "--size", str(SIZE),
        "--acks", acks, "--batch", "1000", "--quiet", "--message", "m{i}",
        "--kafka-brokers", KAFKA,
    ).finish()


def kafka_consume(topic, count):
    return ours(
        "kafka-consumer", "--topic", topic, "--from-beginning", "--max-messages", str(count),
        "--quiet", "--kafka-brokers", KAFKA,
    ).finish()


def producer_performance(topic, count, acks):
    proc = kafka_java(
        "ProducerPerformance", "org.apache.kafka.tools.ProducerPerformance",
        "--topic", topic, "--num-records", str(count), "--record-size", str(SIZE),
        "--throughput", "-1", "--producer-props", f"bootstrap.servers={KAFKA}", f"acks={acks}",
    )
    match = re.search(r"(\d+) records sent, ([\d.]+) records/sec", "\n".join(proc.lines))
    if not match:
        raise BenchError(f"ProducerPerformance printed no rate: {proc.tail()}")
    return float(match.group(2))


def consumer_performance(topic, count):
    proc = kafka_java(
        "ConsumerPerformance", "org.apache.kafka.tools.ConsumerPerformance",
        "--bootstrap-server", KAFKA, "--topic", topic, "--messages", str(count),
        "--timeout", "60000",
    )
    for i, line in enumerate(proc.lines):
        if line.startswith("start.time"):
            header = [h.strip() for h in line.split(",")]
            values = [v.strip() for v in proc.lines[i + 1].split(",")]
            # fetch.nMsg.sec leaves out the group join, which our consumer does not do.
            return float(values[header.index("fetch.nMsg.sec")])
    raise BenchError(f"ConsumerPerformance printed no rate: {proc.tail()}")


def delete_bench_topics():
    """Deletes every bench-* topic: a run writes gigabytes, and Kafka keeps them for a week."""
    kafka_java(
        "TopicCommand", "org.apache.kafka.tools.TopicCommand", "--bootstrap-server", KAFKA,
        "--delete", "--if-exists", "--topic", "bench-.*",
    )


def bench_kafka(rows):
    consume_topic = None
    consume_count = 0
    for acks in ["1", "all"]:
        case = f"kafka --acks {acks} --batch 1000"
        step(case)
        def run(count):
            topic = unique(f"acks{acks}")
            prod = kafka_produce(topic, count, acks)
            return (topic, prod), prod.seconds

        count, (topic, prod) = long_enough(run, 100_000, high=10_000_000)
        reference = producer_performance(unique("ref"), count, "1" if acks == "1" else "-1")
        rows.append(row(case, "produce", "ours", count, prod.seconds, prod, reference))
        rows.append(row(case, "produce", "ProducerPerformance", count, count / reference))
        if acks == "1":
            consume_topic, consume_count = topic, count

    case = "kafka consume --from-beginning"
    step(case)
    stored = consume_count

    def run(count):
        # Make the topic long enough first: the consumer reads it from the beginning.
        nonlocal stored
        if count > stored:
            info(f"producing {count - stored:,} more messages to read")
            kafka_produce(consume_topic, count - stored, "1")
            stored = count
        cons = kafka_consume(consume_topic, count)
        return cons, cons.seconds

    consume_count, cons = long_enough(run, consume_count, high=30_000_000)
    reference = consumer_performance(consume_topic, consume_count)
    rows.append(row(case, "consume", "ours", consume_count, cons.seconds, cons, reference))
    rows.append(row(case, "consume", "ConsumerPerformance", consume_count, consume_count / reference))
    small = kafka_consume(consume_topic, consume_count // 10)
    rows.append(row(case, "consume, count/10", "ours", consume_count // 10, small.seconds, small,
                    note="peak RSS vs the full run: flat means bounded"))


# ---------------------------------------------------------------------------------------------


def fetch_perf_test():
    """Fetches PerfTest once; returns False (and says why) if Maven cannot."""
    marker = PERF_TEST_LIBS / ".complete"
    if marker.exists():
        return True
    step("Fetching RabbitMQ PerfTest from Maven Central (first run only)")
    PERF_TEST_LIBS.mkdir(parents=True, exist_ok=True)
    result = subprocess.run(
        ["mvn", "-B", "-q", "--no-transfer-progress", "-f", str(ROOT / "scripts/bench/perf-test-pom.xml"),
         "dependency:copy-dependencies", "-DincludeScope=runtime", f"-DoutputDirectory={PERF_TEST_LIBS}"],
        stdin=subprocess.DEVNULL, capture_output=True, text=True,
    )
    if result.returncode != 0 or not list(PERF_TEST_LIBS.glob("perf-test-*.jar")):
        info("PerfTest could not be fetched; RabbitMQ rows will have no reference:")
        info((result.stdout + result.stderr).strip().splitlines()[-1:] or "no output")
        return False
    info(f"{len(list(PERF_TEST_LIBS.glob('*.jar')))} jars in {PERF_TEST_LIBS}")
    marker.touch()
    return True


def machine():
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{os.cpu_count()} cores ({cpu}), {mem:.0f} GiB, {platform.system()} {platform.release()}"


def markdown(rows):
    lines = [
        "| Case | Side | Tool | Messages | msg/s | MB/s | CPU s/100k | Peak RSS MB | Ratio to reference |",
        "|---|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        cpu = f"{r['cpu_s_per_100k']:.2f}" if r["cpu_s_per_100k"] is not None else "-"
        rss = f"{r['peak_rss_mb']:.0f}" if r["peak_rss_mb"] is not None else "-"
        ratio = f"{r['ratio_to_reference']:.2f}x" if r["ratio_to_reference"] is not None else "-"
        lines.append(
            f"| {r['case']} | {r['side']} | {r['tool']} | {r['messages']:,} | {r['msg_per_s']:,} "
            f"| {r['mb_per_s']:.1f} | {cpu} | {rss} | {ratio} |"
        )
    return "\n".join(lines)


def main():
    started = time.monotonic()
    setting("AMQP_URL")
    for binary in ["rabbit-simple-producer", "kafka-producer", "kafka-consumer"]:
        if not (BIN / binary).exists():
            raise BenchError(f"{BIN / binary} is missing: `just bench` builds it (cargo build --release)")
    if not KAFKA_LIBS.joinpath(".complete").exists():
        raise BenchError("the Kafka jars are missing: run `just up` (native) once")
    have_perf_test = fetch_perf_test()
    rows = []
    bench_rabbit(rows, have_perf_test)
    delete_bench_topics()  # left over by an interrupted run
    bench_kafka(rows)
    step("Deleting the bench topics")
    delete_bench_topics()
    OUT.mkdir(parents=True, exist_ok=True)
    report = {
        "machine": machine(),
        "message_bytes": SIZE,
        "target_seconds_per_run": SECONDS,
        "total_seconds": round(time.monotonic() - started, 1),
        "rows": rows,
    }
    (OUT / "results.json").write_text(json.dumps(report, indent=2) + "\n")
    table = markdown(rows)
    (OUT / "results.md").write_text(f"Machine: {report['machine']}\n\n{table}\n")
    print()
    print(f"Machine: {report['machine']}; {SIZE}-byte messages; brokers on the same machine.")
    print(table)
    print(f"\nWritten: {OUT / 'results.json'} and results.md ({report['total_seconds']} s in all)")


if __name__ == "__main__":
    try:
        main()
    except BenchError as err:
        print(f"error: {err}", file=sys.stderr)
        sys.exit(1)
    except KeyboardInterrupt:
        sys.exit(130)
