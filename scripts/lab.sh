#!/usr/bin/env bash
# The replication lab, in one terminal, on the clusters of `just cluster-up` (started here if
# they are not running). Every line is labelled by who printed it; each story ends with the
# ledger's table.
#   scripts/lab.sh kafka-replication [all|leader-kill|producer|unclean]
#   scripts/lab.sh rabbit-quorum
# LAB_DIR (default target/lab) keeps the ledgers and report.json, which the tests read.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

BIN="${CARGO_TARGET_DIR:-$REPO_ROOT/target}/debug"
LAB_DIR=${LAB_DIR:-$REPO_ROOT/target/lab}
STORY=${1:?usage: lab.sh kafka-replication [all|leader-kill|producer|unclean] | rabbit-quorum}
PART=${2:-all}
# A typo is refused before anything is built or started.
case "$STORY $PART" in
  "kafka-replication all" | "kafka-replication leader-kill" | "kafka-replication producer" | "kafka-replication unclean" | "rabbit-quorum all") ;;
  *) die "unknown story '$STORY ${2:-}': kafka-replication [all|leader-kill|producer|unclean], or rabbit-quorum" ;;
esac
WORK=$(mktemp -d)
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

cluster() { "$REPO_ROOT/scripts/cluster.sh" "$@"; }
export LAB_KAFKA_BROKERS LAB_RABBITMQ_NODES
LAB_KAFKA_BROKERS=$(cluster bootstrap)
LAB_RABBITMQ_NODES="127.0.0.1:$CLUSTER_AMQP_PORT_1,127.0.0.1:$CLUSTER_AMQP_PORT_2,127.0.0.1:$CLUSTER_AMQP_PORT_3"

# say TEXT: a step of the story.
say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
# labelled LABEL COMMAND...: run in the foreground, every line prefixed with [LABEL].
labelled() {
  local label=$1
  shift
  "$@" 2>&1 | sed -u "s/^/[$label] /"
}
# background LABEL COMMAND...: the same in the background; its output also goes to $WORK/LABEL.log.
background() {
  local label=$1
  shift
  ("$@" 2>&1 | sed -u "s/^/[$label] /" | tee "$WORK/$label.log") &
  PIDS+=($!)
  eval "PID_${label//[^a-zA-Z0-9]/_}=$!"
}
# finish LABEL: wait for a background command; fail if it failed.
finish() {
  local var="PID_${1//[^a-zA-Z0-9]/_}"
  wait "${!var}" || die "[$1] failed (above)"
}
# Kafka's own tool: `kafka-topics --describe` (from 4.x with the eligible leader replicas, Elr).
describe() {
  local out
  out=$(cluster kafka-topics --describe --topic "$1" 2>"$WORK/describe.err") ||
    { cat "$WORK/describe.err" >&2; die "kafka-topics --describe failed (above)"; }
  grep -E 'Partition: ' <<<"$out" | sed -E 's/^\t//; s/^/[kafka-topics] /'
}
lab() { "$BIN/lab" "$@"; }
# A topic made anew: deleted (if an earlier run left it), then created.
fresh_topic() {
  local topic=$1 tries=0
  shift
  cluster kafka-topics --delete --if-exists --topic "$topic" >/dev/null 2>&1 || true
  # A deletion takes a moment to finish on every node; until then, creating fails.
  until cluster kafka-topics --create --topic "$topic" "$@" >/dev/null 2>"$WORK/create.err"; do
    tries=$((tries + 1))
    [ "$tries" -lt 20 ] || { cat "$WORK/create.err" >&2; die "could not create topic $topic"; }
    sleep 1
  done
}

prepare() {
  step "Building the lab's binaries"
  cargo_build "the lab" mq-lab kafka-group-consumer kafka-producer kafka-consumer
  cluster up | grep -E '^(==>|\x1b)' || true
  mkdir -p "$LAB_DIR"
}

# ---- Kafka: the leader dies under acks=all --------------------------------------------------
kafka_leader_kill() {
  local topic=lab-replicated ledger="$LAB_DIR/kafka-leader-kill.ledger" leader group="lab-$$"
  rm -f "$ledger"
  say "1. Topic $topic: 1 partition, 3 replicas, min.insync.replicas=2"
  fresh_topic "$topic" --partitions 1 --replication-factor 3 --config min.insync.replicas=2
  describe "$topic"
  say "2. A group consumer reads it; a producer sends 3000 messages with acks=all, one every 2 ms"
  # Its own pid goes to a file: the story stops it (Ctrl+C's signal) once it has everything.
  (
    KAFKA_BROKERS=$LAB_KAFKA_BROKERS "$BIN/kafka-group-consumer" --topic "$topic" --group "$group" --from-beginning \
      > >(sed -u "s/^/[group consumer] /" | tee "$WORK/group.log" | grep --line-buffered -v '^\[group consumer\] Partition:') 2>&1 &
    echo $! >"$WORK/group.pid"
    wait $!
  ) &
  PIDS+=($!)
  PID_group_consumer=$!
  until grep -q 'assigned \[0\]' "$WORK/group.log" 2>/dev/null; do sleep 0.2; done
  background producer lab kafka-produce --topic "$topic" --acks all --count 3000 --interval 2ms --ledger "$ledger"
  sleep 3
  leader=$(lab kafka-leader --topic "$topic")
  say "3. SIGKILL node $leader, the leader of $topic/0, in the middle of the run"
  labelled cluster cluster kill kafka "$leader"
  labelled lab lab kafka-wait --topic "$topic" --leader-other-than "$leader" --timeout 60s
  finish producer
  # The group goes on after the failover: wait (at most 60 s) until it has every acknowledged
  # message, then stop it as Ctrl+C does (it commits and leaves the group).
  local acked waited=0
  acked=$(awk '$2 == "acked" { print $1 }' "$ledger" | sort -u | wc -l)
  echo "[story] waiting for the group consumer to receive all $acked acknowledged messages, then Ctrl+C"
  until [ "$(grep -o 'Value:lab-[0-9]*' "$WORK/group.log" | sort -u | wc -l)" -ge "$acked" ] || [ "$waited" -ge 300 ]; do
    sleep 0.2
    waited=$((waited + 1))
  done
  kill -INT "$(cat "$WORK/group.pid")" 2>/dev/null || true
  finish "group consumer"
  describe "$topic"
  say "4. Node $leader starts again, catches up from the new leader, and is back in the ISR"
  labelled cluster cluster start kafka "$leader"
  labelled lab lab kafka-wait --topic "$topic" --isr 1,2,3 --timeout 60s
  say "5. The ledger against the topic"
  lab kafka-verify --topic "$topic" --ledger "$ledger" --group-output "$WORK/group.log" \
    --run "leader killed, acks=all" --report "$LAB_DIR/report.json"
}

# ---- Kafka: the chapter's own producer through a leader's death ----------------------------
# kafka-producer (rustfs-kafka) sends one message at a time with acks=all; each `pid:P offset:O`
# line it prints is the broker's acknowledgement of the next message, so its output is the ledger.
kafka_chapter_producer() {
  local topic=lab-chapter ledger="$LAB_DIR/kafka-chapter-producer.ledger" leader
  rm -f "$ledger"
  say "1. Topic $topic: 1 partition, 3 replicas, min.insync.replicas=2"
  fresh_topic "$topic" --partitions 1 --replication-factor 3 --config min.insync.replicas=2
  describe "$topic"
  say "2. The chapter's kafka-producer sends 3000 messages with acks=all, one every 2 ms"
  ( KAFKA_BROKERS=$LAB_KAFKA_BROKERS "$BIN/kafka-producer" --topic "$topic" --acks all --count 3000 \
      --interval 2ms --message 'lab-{i}' >"$WORK/producer.out" 2> >(sed -u 's/^/[kafka-producer] /' >&2) ) &
  PIDS+=($!)
  PID_producer=$!
  sleep 3
  leader=$(lab kafka-leader --topic "$topic")
  say "3. SIGKILL node $leader, the leader of $topic/0, in the middle of the run"
  labelled cluster cluster kill kafka "$leader"
  finish producer
  grep -v '^pid:' "$WORK/producer.out" | sed 's/^/[kafka-producer] /'
  awk '/^pid:/ { printf "%d\tacked\n", n++ }' "$WORK/producer.out" >"$ledger"
  echo "[story] kafka-producer: $(wc -l <"$ledger") acknowledgement line(s)"
  say "4. Node $leader starts again and catches up"
  labelled cluster cluster start kafka "$leader"
  labelled lab lab kafka-wait --topic "$topic" --isr 1,2,3 --timeout 60s
  say "5. The ledger against the topic"
  lab kafka-verify --topic "$topic" --ledger "$ledger" --run "chapter producer, leader killed" \
    --report "$LAB_DIR/report.json"
}

# ---- Kafka: what acks=1 gets wrong ------------------------------------------------------------
# One run per acks setting. The topic has two replicas, leader on node 1, follower on node 2;
# node 3 holds no copy and keeps the controller quorum (two of three) while 1 or 2 is away.
kafka_unclean_run() {
  local acks=$1 topic="lab-unclean-acks-$1" ledger="$LAB_DIR/kafka-unclean-acks-$1.ledger"
  rm -f "$ledger"
  say "acks=$acks 1. Topic $topic: replicas on nodes 1 (leader) and 2, min.insync.replicas=2, unclean leader election on"
  fresh_topic "$topic" --replica-assignment 1:2 --config min.insync.replicas=2 \
    --config unclean.leader.election.enable=true
  describe "$topic"
  say "acks=$acks 2. Messages 1-100; then wait until the follower has copied them (the high watermark reaches 100)"
  labelled producer lab kafka-produce --topic "$topic" --acks "$acks" --retries 0 --first 1 --count 100 --interval 0s --ledger "$ledger"
  labelled lab lab kafka-wait --topic "$topic" --high-watermark 100 --timeout 60s
  say "acks=$acks 3. SIGSTOP node 2: it stops fetching, and after replica.lag.time.max.ms (4 s) leaves the ISR"
  labelled cluster cluster pause kafka 2
  labelled lab lab kafka-wait --topic "$topic" --isr 1 --timeout 60s
  describe "$topic"
  say "acks=$acks 4. Messages 101-200, with node 1 alone in the ISR"
  labelled producer lab kafka-produce --topic "$topic" --acks "$acks" --retries 0 --first 101 --count 100 --interval 0s --ledger "$ledger"
  # A consumer reads only below the high watermark. Kafka 4.x (eligible leader replicas,
  # KIP-966) does not move it while the ISR is smaller than min.insync.replicas; 3.9 does.
  echo "[story] what a consumer can read now, from node 1 (only what is below the high watermark):"
  KAFKA_BROKERS="127.0.0.1:$CLUSTER_KAFKA_PORT_1" "$BIN/kafka-consumer" --topic "$topic" --from-beginning \
    --idle-timeout 2s --quiet 2>&1 | grep -o 'received .*' | sed 's/^/[kafka-consumer] /'
  say "acks=$acks 5. SIGKILL node 1 (the leader), then SIGCONT node 2: its log ends at message 100"
  labelled cluster cluster kill kafka 1
  labelled cluster cluster resume kafka 2
  # Node 1 is fenced after broker.session.timeout.ms (4 s); the only replica left is out of
  # sync, and this topic allows electing it anyway.
  labelled lab lab kafka-wait --topic "$topic" --leader-other-than 1 --timeout 90s
  describe "$topic"
  say "acks=$acks 6. Node 1 starts again: it throws away what node 2 never had, and follows"
  labelled cluster cluster start kafka 1
  labelled lab lab kafka-wait --topic "$topic" --isr 1,2 --timeout 60s
  say "acks=$acks 7. The ledger against the topic"
  lab kafka-verify --topic "$topic" --ledger "$ledger" --run "unclean election, acks=$acks" \
    --report "$LAB_DIR/report.json"
}

kafka_unclean() {
  kafka_unclean_run 1
  kafka_unclean_run all
}

# ---- RabbitMQ: a quorum queue's leader dies -------------------------------------------------
rabbit_quorum() {
  local dir="$LAB_DIR/rabbit" consumed="$WORK/consumed.txt"
  rm -rf "$dir"
  say "1. A classic queue and a quorum queue, declared through rc1: both led by rc1"
  labelled producer lab rabbit-produce --fresh --classic lab-classic --quorum lab-quorum \
    --count 1000 --ledger-dir "$dir"
  labelled rabbitmqctl cluster rabbitmqctl 1 list_queues -p "$RABBITMQ_VHOST" name type pid leader members
  say "2. A consumer on rc2 reads the quorum queue; the producer sends 1001-2000 to it through rc1"
  background consumer lab rabbit-consume --first-node 2 --queue lab-quorum --work 2ms \
    --idle-timeout 8s --out "$consumed"
  background producer lab rabbit-produce --quorum lab-quorum --first 1001 --count 1000 \
    --interval 3ms --ledger-dir "$dir"
  sleep 2
  say "3. SIGKILL rc1: the classic queue's home, the quorum queue's leader"
  labelled cluster cluster kill rabbit 1
  finish producer
  say "4. Seen from rc2, with rc1 down"
  labelled lab lab rabbit-check --first-node 2 --queue lab-quorum --queue lab-classic
  labelled rabbitmqctl cluster rabbitmqctl 2 list_queues -p "$RABBITMQ_VHOST" name type pid leader members
  finish consumer
  say "5. rc1 starts again: the classic queue is back, with its persistent messages"
  labelled cluster cluster start rabbit 1
  labelled lab lab rabbit-check --first-node 2 --queue lab-quorum --queue lab-classic
  say "6. The ledgers against the queues (what the consumer took, then what is left)"
  lab rabbit-verify --first-node 2 --queue lab-quorum --ledger-dir "$dir" --consumed "$consumed" \
    --run "quorum queue, leader killed" --report "$LAB_DIR/report.json"
  lab rabbit-verify --first-node 2 --queue lab-classic --ledger-dir "$dir" \
    --run "classic queue, node killed, restarted" --report "$LAB_DIR/report.json"
}

prepare
rm -f "$LAB_DIR/report.json"
started=$SECONDS
case "$STORY $PART" in
  "kafka-replication all") kafka_leader_kill; kafka_chapter_producer; kafka_unclean ;;
  "kafka-replication leader-kill") kafka_leader_kill ;;
  "kafka-replication producer") kafka_chapter_producer ;;
  "kafka-replication unclean") kafka_unclean ;;
  "rabbit-quorum all") rabbit_quorum ;;
esac
say "The ledger ($((SECONDS - started)) s)"
lab report "$LAB_DIR/report.json"
