#!/usr/bin/env bash
# Runs one chapter's scenario in one terminal: the consumers first, then the producer, with
# every line labelled by who printed it. Exits when everything has been delivered.
#   scripts/scenario.sh rabbit-simple|rabbit-worker|rabbit-pubsub|rabbit-routing|rabbit-topic|rabbit-rpc|rabbit-confirms|rabbit-stream|rabbit-superstream|kafka|kafka-p2p|kafka-pubsub|kafka-group
#   scripts/scenario.sh MODE producer|consumer [ARGS...]    (one role, with its arguments)
#   scripts/scenario.sh rabbit-rpc server|client [ARGS...]   (one side of the RPC chapter)
#   scripts/scenario.sh rabbit-confirms [ARGS...]            (its one binary, with arguments)
set -euo pipefail
. "$(dirname "$0")/lib.sh"

BIN="${CARGO_TARGET_DIR:-$REPO_ROOT/target}/debug"
MODE=${1:?usage: scenario.sh MODE [producer|consumer] [ARGS...]}
shift
WORK=$(mktemp -d)
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

# The packages whose binaries a scenario runs: `just rabbit-simple` builds these two, not the
# workspace.
packages() {
  case "$1" in
    rabbit-rpc) echo rabbit-rpc-server rabbit-rpc-client ;;
    rabbit-confirms) echo rabbit-confirms ;;
    rabbit-*) echo "$1-producer $1-consumer" ;;
    kafka | kafka-p2p | kafka-pubsub) echo kafka-producer kafka-consumer ;;
    kafka-group) echo kafka-group-consumer kafka-producer ;;
    *) die "unknown scenario '$1'" ;;
  esac
}

# Builds this scenario's binaries (one progress line) and, at the same time, starts the brokers
# if the scenario's broker does not answer. `just demo` builds ahead and sets MQ_PREBUILT=1.
build() {
  local port=$AMQP_PORT up_pid="" up=("$REPO_ROOT/scripts/up.sh") what="the brokers (just up"
  case "$MODE" in
    kafka*) port=$KAFKA_PORT ;;
    # Streams run on RabbitMQ 4: the stream client needs RabbitMQ 3.13 or newer.
    rabbit-stream | rabbit-superstream) port=$RABBITMQ4_STREAM_PORT up=("$REPO_ROOT/scripts/rabbitmq4.sh" start) what="RabbitMQ 4 (just up-rabbitmq4" ;;
  esac
  if ! port_open "$port"; then
    step "Starting $what in the background; its output: $WORK/up.log)" >&2
    "${up[@]}" >"$WORK/up.log" 2>&1 &
    up_pid=$!
  fi
  if [ "${MQ_PREBUILT:-}" != 1 ]; then
    # shellcheck disable=SC2046 # the package names are words
    cargo_build "$MODE" $(packages "$MODE") >&2
  fi
  if [ -n "$up_pid" ]; then
    if ! wait "$up_pid"; then
      cat "$WORK/up.log" >&2
      die "${what#* (} failed (above)"
    fi
    info "brokers up" >&2
  fi
}

# start LABEL BINARY ARGS...: run a consumer in the background, its lines prefixed with [LABEL].
start() {
  local label=$1 binary=$2
  shift 2
  (
    set -o pipefail
    "$BIN/$binary" "$@" 2>&1 | sed -u "s/^/[$label] /" | tee "$WORK/$label.log"
  ) &
  PIDS+=($!)
}

# start_killable LABEL BINARY ARGS...: like start, and the binary's own pid goes to
# $WORK/LABEL.pid, so that `kill -9` reaches the program itself, not the pipeline around it.
start_killable() {
  local label=$1 binary=$2
  shift 2
  (
    "$BIN/$binary" "$@" > >(sed -u "s/^/[$label] /" | tee "$WORK/$label.log") 2>&1 &
    echo $! >"$WORK/$label.pid"
    { wait $!; } 2>/dev/null || true # a member killed on purpose is no failure
  ) &
  PIDS+=($!)
}

# wait_count LABEL TEXT N: wait (at most 30 s) until LABEL has printed TEXT N times.
wait_count() {
  local label=$1 text=$2 n=$3 waited=0 seen
  while seen=$(grep -cF -- "$text" "$WORK/$label.log" 2>/dev/null); [ "${seen:-0}" -lt "$n" ]; do
    if [ "$waited" -ge 300 ]; then die "[$label] did not print '$text' $n time(s) within 30 s"; fi
    sleep 0.1
    waited=$((waited + 1))
  done
}

# ready LABEL TEXT: wait until the consumer LABEL has printed TEXT (it is subscribed).
ready() {
  local label=$1 text=$2 waited=0
  until grep -qF -- "$text" "$WORK/$label.log" 2>/dev/null; do
    if [ "$waited" -ge 300 ]; then die "[$label] did not start within 30 s"; fi
    sleep 0.1
    waited=$((waited + 1))
  done
}

# run LABEL BINARY ARGS...: run the producer in the foreground, labelled.
run() {
  local label=$1 binary=$2
  shift 2
  "$BIN/$binary" "$@" 2>&1 | sed -u "s/^/[$label] /"
}

# finish: wait for every consumer; fail if one failed.
finish() {
  local rc=0
  for pid in "${PIDS[@]}"; do wait "$pid" || rc=1; done
  PIDS=()
  return $rc
}

# partitions LABEL: the super stream partitions LABEL received from, and how many from each.
partitions() {
  local list
  list=$(grep -o 'partition [^,]*' "$WORK/$1.log" | sort | uniq -c | awk '{printf "%s%s (%s)", sep, $3, $1; sep=", "}')
  echo "${list:-nothing}"
}

# count LABEL: how many messages LABEL received.
count() { grep -cE 'Received|Partition:' "$WORK/$1.log" || true; }

# The confirms chapter has one binary: its arguments go straight to it.
if [ "$MODE" = rabbit-confirms ] && [ $# -gt 0 ]; then
  build
  exec "$BIN/rabbit-confirms" "$@"
fi

# One role with arguments: `just rabbit-topic consumer '*.orange.*'`. For routing and topic
# consumers, bare words are binding keys.
if [ $# -gt 0 ]; then
  role=$1
  shift
  case "$MODE:$role" in
    kafka*:producer | kafka*:consumer) binary="kafka-$role" ;;
    rabbit-rpc:server | rabbit-rpc:client) binary="rabbit-rpc-$role" ;;
    rabbit-rpc:*) die "unknown role '$role': use server or client" ;;
    rabbit-*:producer | rabbit-*:consumer) binary="$MODE-$role" ;;
    *) die "unknown role '$role': use producer or consumer" ;;
  esac
  args=()
  previous=""
  for arg in "$@"; do
    # A bare word that is not the value of the flag before it is a binding key.
    if [[ "$binary" == rabbit-routing-consumer || "$binary" == rabbit-topic-consumer ]] && [[ "$arg" != -* ]] && [[ "$previous" != --* ]]; then
      args+=(--binding-key "$arg")
    else
      args+=("$arg")
    fi
    previous=$arg
  done
  build
  exec "$BIN/$binary" "${args[@]}"
fi

build
IDLE=(--idle-timeout 10s) # a safety net: no scenario waits forever
case "$MODE" in
  rabbit-simple)
    start consumer rabbit-simple-consumer --max-messages 5 "${IDLE[@]}"
    ready consumer "Waiting for messages"
    run producer rabbit-simple-producer
    finish
    ;;
  rabbit-worker)
    # worker-2 is five times slower than worker-1 (50 ms per task against 10): with prefetch 1
    # each worker gets a new task only when it has acked the last, so worker-1 takes about 5/6.
    start worker-1 rabbit-worker-consumer --idle-timeout 2s --work 10ms
    start worker-2 rabbit-worker-consumer --idle-timeout 2s --work 50ms
    ready worker-1 "Waiting for messages"
    ready worker-2 "Waiting for messages"
    run producer rabbit-worker-producer
    finish
    echo "worker-1 got $(count worker-1) tasks, worker-2 (slow) got $(count worker-2), of 100: each delivery went to one worker"
    ;;
  rabbit-pubsub)
    start subscriber-1 rabbit-pubsub-consumer --max-messages 21 "${IDLE[@]}"
    start subscriber-2 rabbit-pubsub-consumer --max-messages 21 "${IDLE[@]}"
    ready subscriber-1 "Waiting for messages"
    ready subscriber-2 "Waiting for messages"
    run producer rabbit-pubsub-producer
    finish
    echo "subscriber-1 got $(count subscriber-1) messages, subscriber-2 got $(count subscriber-2): each got every message"
    ;;
  rabbit-routing)
    start imooc_one rabbit-routing-consumer --binding-key imooc_one --max-messages 11 "${IDLE[@]}"
    start imooc_two rabbit-routing-consumer --binding-key imooc_two --max-messages 11 "${IDLE[@]}"
    ready imooc_one "Waiting for messages"
    ready imooc_two "Waiting for messages"
    run producer rabbit-routing-producer
    finish
    ;;
  rabbit-topic)
    # '#' matches every key; 'imooc.*.three' only keys of exactly three words ending in three.
    start '#' rabbit-topic-consumer --binding-key '#' --max-messages 22 "${IDLE[@]}"
    start 'imooc.*.three' rabbit-topic-consumer --binding-key 'imooc.*.three' --max-messages 11 "${IDLE[@]}"
    ready '#' "Waiting for messages"
    ready 'imooc.*.three' "Waiting for messages"
    run producer rabbit-topic-producer
    finish
    echo "'#' got $(count '#') messages (all), 'imooc.*.three' got $(count 'imooc.*.three') (only imooc.topic88.three)"
    ;;
  rabbit-stream)
    # Two readers from the next message on: each reads all 10, since reading a stream takes
    # nothing away (a queue would share them out).
    start reader-1 rabbit-stream-consumer --offset next --max-messages 10 "${IDLE[@]}"
    start reader-2 rabbit-stream-consumer --offset next --max-messages 10 "${IDLE[@]}"
    ready reader-1 "Waiting for messages"
    ready reader-2 "Waiting for messages"
    run producer rabbit-stream-producer
    finish
    echo "reader-1 got $(count reader-1) messages, reader-2 got $(count reader-2), of 10: each read every message"
    ;;
  rabbit-superstream)
    # Three consumers of one name on a super stream of three partitions: the broker makes each
    # the single active consumer of one partition. Then consumer-1 is killed (kill -9): another
    # one becomes active on its partition and goes on after the offset consumer-1 stored.
    consumer=(rabbit-superstream-consumer --store-every 4 --idle-timeout 8s)
    for n in 1 2 3; do
      start_killable "consumer-$n" "${consumer[@]}"
      wait_count "consumer-$n" "Waiting for messages" 1
    done
    echo "== 24 messages of 8 users; the same user always lands in the same partition:"
    run producer rabbit-superstream-producer --quiet
    waited=0
    until [ "$(cat "$WORK"/consumer-*.log | grep -c Received)" -ge 24 ]; do
      [ "$waited" -lt 300 ] || die "the consumers did not receive the 24 messages within 30 s"
      sleep 0.1
      waited=$((waited + 1))
    done
    grep -ho 'key [^,]*, partition [^,]*' "$WORK"/consumer-*.log | sort -u |
      awk '{sub(/,$/, "", $2); keys[$4] = keys[$4] " " $2} END {for (p in keys) print "  " p ":" keys[p]}' | sort
    for n in 1 2 3; do
      echo "consumer-$n read $(partitions "consumer-$n")"
    done
    echo "== consumer-1 killed (kill -9); 24 more messages:"
    kill -9 "$(cat "$WORK/consumer-1.pid")"
    run producer rabbit-superstream-producer --quiet
    finish
    echo "== in all: consumer-2 read $(partitions consumer-2); consumer-3 read $(partitions consumer-3)"
    positions() { grep -ho 'partition [^,]*, offset [0-9]*' "$@" | sort -u; }
    read=$(positions "$WORK"/consumer-*.log | wc -l)
    twice=$(grep -ho 'partition [^,]*, offset [0-9]*' "$WORK"/consumer-*.log | sort | uniq -d | wc -l)
    again=$(comm -12 <(positions "$WORK/consumer-1.log") <(positions "$WORK/consumer-2.log" "$WORK/consumer-3.log") | wc -l)
    echo "$read different messages read, of 48 sent; $twice read twice, $again of them handled by consumer-1 before it was killed"
    ;;
  rabbit-rpc)
    # Five requests in flight at once; each reply is matched to its request by correlation id.
    start server rabbit-rpc-server --max-requests 5 "${IDLE[@]}"
    ready server "Awaiting RPC requests"
    run client rabbit-rpc-client --n 30 --n 10 --n 20 --n 5 --n 40
    finish
    echo "server answered $(grep -c 'fib(' "$WORK/server.log") requests; the client matched every reply by its correlation id"
    ;;
  rabbit-confirms)
    run confirms rabbit-confirms
    ;;
  kafka)
    "$REPO_ROOT/scripts/kafka-topic.sh" create web_log 3
    start consumer kafka-consumer --topic web_log --max-messages 10 "${IDLE[@]}"
    ready consumer "["
    run producer kafka-producer --topic web_log --count 10
    finish
    ;;
  kafka-p2p)
    # One group, two members: the partitions are split between them (statically: member 1 owns
    # 0 and 2, member 2 owns 1), so each message is received once, by the member that owns its
    # partition.
    topic=web_log_groups group="p2p-$(date +%s)"
    "$REPO_ROOT/scripts/kafka-topic.sh" create "$topic" 3
    start member-1 kafka-consumer --topic "$topic" --group "$group" --member 1/2 --idle-timeout 3s
    start member-2 kafka-consumer --topic "$topic" --group "$group" --member 2/2 --idle-timeout 3s
    ready member-1 "["
    ready member-2 "["
    run producer kafka-producer --topic "$topic" --count 12
    finish
    echo "group $group: member-1 (partitions 0, 2) got $(count member-1), member-2 (partition 1) got $(count member-2), of 12: they split the partitions"
    ;;
  kafka-pubsub)
    # Two groups: each group receives every message.
    topic=web_log_groups stamp=$(date +%s)
    "$REPO_ROOT/scripts/kafka-topic.sh" create "$topic" 3
    start group-a kafka-consumer --topic "$topic" --group "a-$stamp" --max-messages 12 "${IDLE[@]}"
    start group-b kafka-consumer --topic "$topic" --group "b-$stamp" --max-messages 12 "${IDLE[@]}"
    ready group-a "["
    ready group-b "["
    run producer kafka-producer --topic "$topic" --count 12
    finish
    echo "group a-$stamp got $(count group-a), group b-$stamp got $(count group-b) of 12: groups don't compete"
    ;;
  kafka-group)
    # Real group membership (rdkafka): the broker's group coordinator splits the partitions,
    # then rebalances when a member dies and when another joins.
    stamp=$(date +%s) topic="web_log_group_$stamp" group="group-$stamp"
    "$REPO_ROOT/scripts/kafka-topic.sh" create "$topic" 3
    member=(kafka-group-consumer --topic "$topic" --group "$group" --from-beginning --idle-timeout 25s)
    start_killable member-1 "${member[@]}"
    wait_count member-1 "[rebalance] assigned" 1
    start_killable member-2 "${member[@]}"
    wait_count member-2 "[rebalance] assigned" 1
    echo "== two members split the 3 partitions; 12 messages:"
    run producer kafka-producer --topic "$topic" --count 12 --quiet
    sleep 2
    echo "== member-2 is killed (SIGKILL): within the 6 s session timeout, member-1 takes its partitions over"
    kill -9 "$(cat "$WORK/member-2.pid")"
    wait_count member-1 "[rebalance] assigned" 3
    run producer kafka-producer --topic "$topic" --count 6 --quiet
    echo "== member-3 joins: the group rebalances again"
    start_killable member-3 "${member[@]}"
    wait_count member-3 "[rebalance] assigned" 1
    run producer kafka-producer --topic "$topic" --count 6 --quiet
    kill "$(cat "$WORK/member-1.pid")" "$(cat "$WORK/member-3.pid")" 2>/dev/null || true
    finish
    echo "member-1 got $(count member-1), member-2 got $(count member-2) before it was killed, member-3 got $(count member-3), of 24 (a message can come twice after a kill: at-least-once)"
    ;;
  *) die "unknown scenario '$MODE'" ;;
esac
