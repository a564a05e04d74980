# mq-tutorial-rs: RabbitMQ and Kafka, chapter by chapter, against real brokers.
# Quick start: `just demo` runs every chapter; `just test` runs the tests.

set shell := ["bash", "-euo", "pipefail", "-c"]

# With [positional-arguments], a recipe's arguments reach the script as "$@", unsplit and unglobbed
# (a pattern like '*.orange.*' must not be expanded by the shell).

# The chapters' runner (crates/mq-run): `cargo run` builds it on first use (a few seconds), then
# it takes cargo's place and builds what the chapter runs. Honours CARGO_TARGET_DIR.
run := 'mq_run() { [ -x "${CARGO_TARGET_DIR:-target}/debug/mq-run" ] || echo "==> Building the chapter runner (crates/mq-run, first run only)"; exec cargo run -q -p mq-run -- "$@"; }; mq_run'

# List the recipes.
[group('help')]
default:
    @just --list --unsorted

# Start RabbitMQ and Kafka 4.4 (Docker if an engine answers, else native); idempotent.
[group('brokers')]
up:
    scripts/up.sh

# Kafka 3.9, the last 3.x, next to 4.4 (127.0.0.1:9192): native jars, or Docker's image.
[group('brokers')]
up-kafka3:
    scripts/kafka3.sh start

# Run any recipe or command against Kafka 3.9 (started if needed): `just on-kafka3 just kafka`, `just on-kafka3 just check kafka-resume`.
[group('brokers')]
[positional-arguments]
on-kafka3 +COMMAND:
    scripts/kafka3.sh exec "$@"

# RabbitMQ 4 next to 3.10 (127.0.0.1:5673, UI on 15673), with RabbitMQ 4.3's default denials: Debian 13's package in a debootstrap root, or Docker's image.
[group('brokers')]
up-rabbitmq4:
    scripts/rabbitmq4.sh start

# Run any recipe or command against RabbitMQ 4: `just on-rabbitmq4 just rabbit-topic`, `just on-rabbitmq4 just check simple`.
[group('brokers')]
[positional-arguments]
on-rabbitmq4 +COMMAND:
    scripts/rabbitmq4.sh exec "$@"

# Stop both brokers (and RabbitMQ 4 and Kafka 3.9 when they run).
[group('brokers')]
down:
    scripts/down.sh

# Restart one broker (rabbitmq or kafka) to see what survives: durable queues, persistent messages, acknowledged offsets.
[group('brokers')]
restart BROKER:
    scripts/restart.sh {{ quote(BROKER) }}

# Show both brokers: versions, addresses, the management URL.
[group('brokers')]
status:
    scripts/status.sh

# Where each broker writes its log.
[group('brokers')]
logs:
    #!/usr/bin/env bash
    set -euo pipefail
    . scripts/lib.sh
    echo "RabbitMQ: $RABBITMQ_LOG_DIR/ (rabbit@localhost.log)"
    echo "Kafka:    $KAFKA_LOG_DIR/kafka-server.log"

# Run every chapter, one after the other, then a table of them; builds each chapter's binaries as it needs them (`just demo --verbose` shows cargo's output).
[group('chapters')]
[positional-arguments]
demo *FLAGS:
    @{{ run }} demo "$@"

# Simple mode: one consumer, then the producer. `just rabbit-simple producer --count 2` runs one role.
[group('chapters')]
[positional-arguments]
rabbit-simple *ARGS:
    @{{ run }} rabbit-simple "$@"

# Worker mode: two workers (one slow) share 100 tasks. `just rabbit-worker consumer --work 100ms` runs one role.
[group('chapters')]
[positional-arguments]
rabbit-worker *ARGS:
    @{{ run }} rabbit-worker "$@"

# Publish/subscribe: two subscribers each get all 21 messages.
[group('chapters')]
[positional-arguments]
rabbit-pubsub *ARGS:
    @{{ run }} rabbit-pubsub "$@"

# Routing: one consumer per key (imooc_one, imooc_two).
[group('chapters')]
[positional-arguments]
rabbit-routing *ARGS:
    @{{ run }} rabbit-routing "$@"

# Topic: consumers on '#' and 'imooc.*.three'. `just rabbit-topic consumer '*.orange.*'` runs one role.
[group('chapters')]
[positional-arguments]
rabbit-topic *ARGS:
    @{{ run }} rabbit-topic "$@"

# RPC (official tutorial 6): a server answers fib(n) to a client with 5 requests in flight. `just rabbit-rpc client --n 30` runs one side.
[group('chapters')]
[positional-arguments]
rabbit-rpc *ARGS:
    @{{ run }} rabbit-rpc "$@"

# Publisher confirms (official tutorial 7): individual, batch and async, timed. `just rabbit-confirms --strategy batch` passes flags.
[group('chapters')]
[positional-arguments]
rabbit-confirms *ARGS:
    @{{ run }} rabbit-confirms "$@"

# RabbitMQ Streams on RabbitMQ 4 (started if needed): two readers each read all 10 messages. `just rabbit-stream consumer --name reader` resumes after its stored offset.
[group('chapters')]
[positional-arguments]
rabbit-stream *ARGS:
    @{{ run }} rabbit-stream "$@"

# Super streams on RabbitMQ 4 (started if needed): three consumers of one name share three partitions; one is killed and another takes over after its stored offset.
[group('chapters')]
[positional-arguments]
rabbit-superstream *ARGS:
    @{{ run }} rabbit-superstream "$@"

# Kafka: a 3-partition topic, a consumer, then the producer. `just kafka producer --count 3` runs one role.
[group('chapters')]
[positional-arguments]
kafka *ARGS:
    @{{ run }} kafka "$@"

# Kafka point-to-point: one group, two members split the partitions.
[group('chapters')]
kafka-p2p:
    @{{ run }} kafka-p2p

# Kafka publish/subscribe: two groups each receive every message.
[group('chapters')]
kafka-pubsub:
    @{{ run }} kafka-pubsub

# Real consumer groups (rdkafka): two members split a topic, one is killed and the other takes over, a third joins.
[group('chapters')]
kafka-group:
    @{{ run }} kafka-group

# A group's partitions, committed offsets and lag per member (Kafka's own ConsumerGroupCommand).
[group('chapters')]
kafka-group-describe GROUP:
    . scripts/lib.sh && scripts/kafka-native.sh run-class org.apache.kafka.tools.consumer.group.ConsumerGroupCommand --bootstrap-server "127.0.0.1:$KAFKA_PORT" --describe --group {{ quote(GROUP) }}

# Create a Kafka topic with N partitions (the tutorial's `kafka-topics --create`).
[group('chapters')]
kafka-topic NAME PARTITIONS="3":
    scripts/kafka-topic.sh create {{ quote(NAME) }} {{ quote(PARTITIONS) }}

# List the Kafka topics with their partitions.
[group('chapters')]
kafka-topics:
    scripts/kafka-topic.sh list

# The replication lab's clusters: three Kafka 4.4 nodes (KRaft) and three RabbitMQ nodes, on loopback (about 30 s the first time); idempotent.
[group('replication lab')]
cluster-up:
    scripts/cluster.sh up

# Stop both lab clusters, every node by its pid; no process and no port is left.
[group('replication lab')]
cluster-down:
    scripts/cluster.sh down

# The lab clusters' nodes: running, paused or not, their pids and ports.
[group('replication lab')]
cluster-status:
    scripts/cluster.sh status

# Kafka replication: kill a partition's leader under acks=all (nothing lost), the same under the chapter's kafka-producer, then the follower out of the ISR and the leader killed under acks=1 (acknowledged messages lost) and acks=all (refused instead). `just kafka-replication leader-kill|producer|unclean` runs one part.
[group('replication lab')]
kafka-replication PART="all":
    scripts/lab.sh kafka-replication {{ quote(PART) }}

# RabbitMQ quorum queues: kill the node that leads a quorum queue and holds a classic queue; count what the confirms promised.
[group('replication lab')]
rabbit-quorum:
    scripts/lab.sh rabbit-quorum

# List the classroom exercises: name (what `just check` takes), chapter, task.
[group('exercises')]
exercises:
    @python3 scripts/exercises.py list

# Check an exercise against the real brokers: `just check topic`, or `just check topic --solution`.
[group('exercises')]
check NAME *FLAGS:
    #!/usr/bin/env bash
    set -euo pipefail
    name={{ quote(NAME) }}
    if [ ! -f "exercises/$name/solution.rs" ]; then
      echo "error: no exercise '$name'; \`just exercises\` lists them" >&2
      exit 2
    fi
    # The checks run the chapters' own producers and servers beside the exercise.
    helpers=(-p kafka-producer -p rabbit-rpc-server)
    case "$name" in stream-*) helpers=(-p rabbit-stream-producer) ;; esac
    cargo build -q -p "ex-$name" "${helpers[@]}" -p mq-class
    "${CARGO_TARGET_DIR:-target}/debug/check" "$name" {{ FLAGS }}

# Check an exercise on every save of its file, and move on to the next when it passes: `just watch`, or `just watch topic`. Ctrl+C stops.
[group('exercises')]
watch NAME="":
    cargo build -q -p mq-class
    "${CARGO_TARGET_DIR:-target}/debug/watch" {{ if NAME == "" { "" } else { quote(NAME) } }}

# Every exercise: done, current or pending, with its tries (from .progress.json, which `just check` updates).
[group('exercises')]
progress:
    cargo build -q -p mq-class
    "${CARGO_TARGET_DIR:-target}/debug/progress"

# The next hint of an exercise you have not seen yet, one per call: `just hint topic`.
[group('exercises')]
hint NAME:
    cargo build -q -p mq-class
    "${CARGO_TARGET_DIR:-target}/debug/hint" {{ quote(NAME) }}

# Put an exercise's starter back (cut again from its solution), undoing your changes to it.
[group('exercises')]
exercise-reset NAME:
    python3 scripts/exercises.py cut {{ quote(NAME) }}

# Teacher: make students on the RabbitMQ broker (`just class-setup 30`, or `just class-setup ann bob`).
[group('exercises')]
class-setup +STUDENTS:
    scripts/class.sh setup {{ STUDENTS }}

# Teacher: remove the students that class-setup made, their vhosts and their Kafka topics.
[group('exercises')]
class-teardown:
    scripts/class.sh teardown

# Teacher: the class board, live: every student's checks in a table, in this terminal and on http://127.0.0.1:8090/ (`--port N` for another). Ctrl+C stops.
[group('exercises')]
[positional-arguments]
class-board *ARGS:
    cargo build -q -p mq-class
    "${CARGO_TARGET_DIR:-target}/debug/class-board" "$@"

# A quiz without code: predict which routing keys a topic pattern matches, then the broker answers.
[group('exercises')]
quiz TOPIC="topic":
    cargo build -q -p mq-class -p rabbit-topic-consumer -p rabbit-topic-producer
    "${CARGO_TARGET_DIR:-target}/debug/quiz" {{ quote(TOPIC) }}

# Everything CI checks: brokers up, lints, formatting, then every test against the real brokers.
[group('test')]
test: up up-kafka3 up-rabbitmq4
    #!/usr/bin/env bash
    set -euo pipefail
    cargo clippy --workspace --all-targets -- -D warnings
    cargo fmt --all -- --check
    just deps-check
    # The tests run the demo binaries, so build them first.
    cargo build --workspace --bins
    # One log of every suite, for the closing count (beside the builds, CARGO_TARGET_DIR honoured).
    log="${CARGO_TARGET_DIR:-target}/test-output.txt"
    mkdir -p "$(dirname "$log")"
    # The book: anchors and links (mdBook skips a missing anchor silently), then a real browser.
    just docs-check
    cargo test --workspace 2>&1 | tee "$log"
    # RabbitMQ 4, with 4.3's denials: every RabbitMQ chapter, exercise, RPC and confirms test
    # again, with AMQP_URL on RabbitMQ 4 (the same user and vhost).
    echo "==> The RabbitMQ suites again, on RabbitMQ 4 ($(scripts/rabbitmq4.sh status | head -n 1))"
    scripts/rabbitmq4.sh exec cargo test -p mq-tests --test rabbit --test rpc_confirms \
        --test exercises --test queues -- --skip kafka --skip exercise_stream --skip class_students --skip starters_are_cut \
        --skip topic_exercise_page 2>&1 | tee -a "$log"
    # Kafka 3.9, the last 3.x: every Kafka chapter, group and exercise test again, with
    # KAFKA_BROKERS on 3.9 (`just on-kafka3`).
    echo "==> The Kafka suites again, on Kafka $(. scripts/lib.sh && echo "$KAFKA3_VERSION")"
    scripts/kafka3.sh exec cargo test -p mq-tests --test kafka --test groups --test exercises \
        -- --skip exercise_simple --skip exercise_worker --skip exercise_pubsub --skip exercise_routing \
        --skip exercise_topic --skip exercise_rpc --skip exercise_confirms --skip exercise_stream --skip class_students \
        --skip starters_are_cut --skip topic_exercise_page --skip topic_quiz 2>&1 | tee -a "$log"
    # The fault tests restart the brokers, so they run after the rest, alone.
    just test-faults 2>&1 | tee -a "$log"
    # The replication lab: the clusters up, their tests, the clusters down again.
    just test-cluster 2>&1 | tee -a "$log"
    # One line for the whole run (cargo prints one `test result` per test binary).
    awk '/^test result:/ { passed += $4; failed += $6 } END { printf "cargo-test: %d passed, %d failed\n", passed, failed }' "$log"

# Throughput, latency, CPU and memory of the demo binaries, as taught and tuned, next to PerfTest, Kafka's perf tools and the Go tutorial's code, and streams beside queues and Kafka (about 15 minutes).
[group('test')]
bench: up up-rabbitmq4
    # Only the binaries the bench runs: the release profile links each one with LTO (Cargo.toml).
    cargo build --release --bins -p mq-bench -p rabbit-simple-producer -p rabbit-simple-consumer \
        -p rabbit-worker-producer -p rabbit-worker-consumer -p rabbit-confirms \
        -p rabbit-stream-producer -p rabbit-stream-consumer \
        -p kafka-producer -p kafka-consumer -p kafka-group-consumer
    # scripts/lib.sh exports the settings (docker/brokers.env, .env); the bench also needs these
    # paths. It runs every process through the tests' runner (crates/mq-bench/).
    . scripts/lib.sh && export MQ_HOME KAFKA_LIBS KAFKA_CONF && "${CARGO_TARGET_DIR:-target}/release/bench"
    # The chart of the chapter "Going faster": the price of each reliability setting.
    python3 scripts/bench-chart.py

# Unused dependencies: `cargo machete` over our crates (installed from crates.io on first use).
[group('test')]
deps-check:
    #!/usr/bin/env bash
    set -euo pipefail
    if ! command -v cargo-machete >/dev/null 2>&1; then
      echo "==> Installing cargo-machete (first run only, about a minute)"
      cargo install --quiet --locked cargo-machete
    fi
    # vendor/rustfs-kafka is rustfs-kafka as published, with its own optional dependencies.
    cargo machete crates exercises

# Kill workers and restart brokers mid-run, then count what survived (one test at a time).
[group('test')]
test-faults: up
    cargo build --workspace --bins
    cargo test -p mq-tests --test faults -- --test-threads=1 --nocapture

# The replication lab's tests: the clusters up, a leader or node killed per test and the ledger checked, then the clusters down (also when a test fails).
[group('test')]
test-cluster:
    #!/usr/bin/env bash
    set -euo pipefail
    cargo build --bins -p mq-lab -p kafka-group-consumer
    trap 'scripts/cluster.sh down' EXIT
    scripts/cluster.sh up
    cargo test -p mq-tests --test replication -- --test-threads=1 --nocapture

# Build the two books (docs/book/en, docs/book/zh) and their landing page; fails on any mdBook warning.
[group('docs')]
docs:
    scripts/docs.sh build

# Build the book and serve it on http://127.0.0.1:3000.
[group('docs')]
docs-serve:
    scripts/docs.sh serve

# Re-run every chapter and save its console output for the book (docs/captured/).
[group('docs')]
docs-capture: up
    scripts/docs-capture.sh

# Check the book's includes, anchors and links, then open it in headless Chromium (screenshots in target/docs/).
[group('docs')]
docs-check: docs
    python3 scripts/docs-check.py static
    scripts/docs.sh browser
    python3 scripts/docs-check.py browser
