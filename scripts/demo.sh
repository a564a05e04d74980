#!/usr/bin/env bash
# `just demo`: every chapter, one after the other, with a table at the end.
#   scripts/demo.sh [--verbose]    (--verbose: cargo's own output instead of one line per build)
#
# The first message should come within a minute or so of a fresh clone, so nothing is built
# before it is needed: the first chapter's two binaries build while the brokers start, and the
# rest build in the background, in the order the chapters need them, while the RabbitMQ
# chapters run (the Kafka side last: librdkafka's C build is the longest). The exercises, the
# checker and the bench are not built at all.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

[ "${1:-}" = --verbose ] && export MQ_VERBOSE=1
WORK=$(mktemp -d)
BUILDER=""
cleanup() {
  if [ -n "$BUILDER" ]; then kill "$BUILDER" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

CHAPTERS=(rabbit-simple rabbit-worker rabbit-pubsub rabbit-routing rabbit-topic rabbit-rpc
  rabbit-confirms kafka kafka-p2p kafka-pubsub kafka-group)

# The builds, one per chapter, in the order the chapters need them: NAME, then its packages.
# Each builds while the chapter before it runs; librdkafka's C build comes last.
STAGES=(
  "rabbit-simple:rabbit-simple-producer rabbit-simple-consumer"
  "rabbit-worker:rabbit-worker-producer rabbit-worker-consumer"
  "rabbit-pubsub:rabbit-pubsub-producer rabbit-pubsub-consumer"
  "rabbit-routing:rabbit-routing-producer rabbit-routing-consumer"
  "rabbit-topic:rabbit-topic-producer rabbit-topic-consumer"
  "rabbit-rpc:rabbit-rpc-server rabbit-rpc-client"
  "rabbit-confirms:rabbit-confirms"
  "kafka:kafka-producer kafka-consumer"
  "kafka-group (librdkafka, a C build):kafka-group-consumer"
)
stage_of() {
  case "$1" in
    kafka-p2p | kafka-pubsub) stage_of kafka ;;
    *)
      local i
      for i in "${!STAGES[@]}"; do
        [ "${STAGES[$i]%%[ :]*}" = "$1" ] && echo "$i" && return
      done
      die "no build for chapter '$1'"
      ;;
  esac
}

# Two savings for a first build, which has nothing to be incremental about:
# - CARGO_INCREMENTAL=0: no incremental cache written for our crates (a cold build of two
#   binaries then costs less CPU; a later edit rebuilds them once with the cache);
# - librdkafka's C build (the group consumer's stage), the demo's longest step, without -O2 and
#   debug symbols: its Makefile puts CFLAGS after its own -O2, and rdkafka-sys passes CFLAGS
#   through.
# Settings of your own win.
first_build() {
  case "$*" in
    *kafka-group-consumer*) CARGO_INCREMENTAL="${CARGO_INCREMENTAL:-0}" CFLAGS="${CFLAGS:--O0 -g0}" "$@" ;;
    *) CARGO_INCREMENTAL="${CARGO_INCREMENTAL:-0}" "$@" ;;
  esac
}

# One build after the other (cargo takes one build at a time), each leaving DONE or FAILED.
build_stages() {
  local i name packages
  for i in "${!STAGES[@]}"; do
    name=${STAGES[$i]%%:*}
    packages=${STAGES[$i]#*:}
    # shellcheck disable=SC2086 # the package names are words
    if first_build cargo_build "$name" $packages >"$WORK/build-$i.log" 2>&1; then
      touch "$WORK/build-$i.done"
    else
      touch "$WORK/build-$i.failed"
      return 1
    fi
  done
}

# wait_build I: wait for build I, with a dot a second after the first 2 s; its line once done.
wait_build() {
  local i=$1 waited=0
  until [ -f "$WORK/build-$i.done" ] || [ -f "$WORK/build-$i.failed" ]; do
    if [ "$waited" -eq 2 ]; then printf '    waiting for the build of %s ' "${STAGES[$i]%%:*}"; fi
    [ "$waited" -ge 2 ] && printf '.'
    sleep 1
    waited=$((waited + 1))
  done
  [ "$waited" -gt 2 ] && printf '\n'
  if [ -f "$WORK/build-$i.failed" ]; then
    cat "$WORK/build-$i.log"
    die "the build of ${STAGES[$i]%%:*} failed (above)"
  fi
}

# Kafka starts once the first chapter runs, in the background, so that its start does not slow
# the first build; the Kafka chapters wait for it.
KAFKA_UP=""
start_kafka() {
  "$REPO_ROOT/scripts/up.sh" kafka >"$WORK/kafka-up.log" 2>&1 &
  KAFKA_UP=$!
}
wait_kafka() {
  [ -n "$KAFKA_UP" ] || return 0
  local rc=0
  wait "$KAFKA_UP" || rc=$?
  KAFKA_UP=""
  cat "$WORK/kafka-up.log"
  [ "$rc" -eq 0 ] || die "Kafka did not start (above)"
}

# In verbose mode cargo's output goes to the terminal, so the builds run in the foreground.
if [ "${MQ_VERBOSE:-}" = 1 ]; then
  "$REPO_ROOT/scripts/up.sh"
  build_stages
  for i in "${!STAGES[@]}"; do cat "$WORK/build-$i.log"; done
else
  step "Building the first chapter while RabbitMQ starts; the rest builds in the background as the chapters run"
  build_stages &
  BUILDER=$!
  "$REPO_ROOT/scripts/up.sh" rabbitmq
  wait_build 0
  start_kafka
fi

LEARNER_LANG=$(learner_lang)
started=$SECONDS
rows=()
failed=0
for chapter in "${CHAPTERS[@]}"; do
  stage=$(stage_of "$chapter")
  wait_build "$stage"
  [ -f "$WORK/build-$stage.shown" ] || { cat "$WORK/build-$stage.log"; touch "$WORK/build-$stage.shown"; }
  case "$chapter" in kafka*) wait_kafka ;; esac
  step "just $chapter"
  chapter_started=$SECONDS
  rc=0
  MQ_PREBUILT=1 "$REPO_ROOT/scripts/scenario.sh" "$chapter" 2>&1 | tee "$WORK/$chapter.out" || rc=$?
  # Messages received: consumers' `[x] Received` and `Partition:` lines, RPC replies, and the
  # confirms chapter's confirmed messages.
  case "$chapter" in
    rabbit-rpc) messages=$(grep -c '^\[client\]  \[\.\] fib(' "$WORK/$chapter.out" || true) ;;
    rabbit-confirms) messages=$(awk '$1 == "[confirms]" && $3 ~ /^[0-9]+$/ { n += $6 } END { print n + 0 }' "$WORK/$chapter.out") ;;
    *) messages=$(grep -cE ' \[x\] Received|Partition:' "$WORK/$chapter.out" || true) ;;
  esac
  if [ "$rc" -eq 0 ]; then
    result=$([ "$LEARNER_LANG" = zh ] && echo 通过 || echo ok)
  else
    result=$([ "$LEARNER_LANG" = zh ] && echo "失败(退出码 $rc)" || echo "FAILED (exit $rc)")
    failed=$((failed + 1))
  fi
  rows+=("$(printf '%-16s %6ss %9s  %s' "$chapter" "$((SECONDS - chapter_started))" "$messages" "$result")")
done

echo
# The closing table in the learner's language (as `just check` speaks it). A Chinese heading is
# padded by hand: each of its characters takes two columns but three bytes, which printf counts.
if [ "$LEARNER_LANG" = zh ]; then
  echo "章节                用时      消息  结果"
  printf '%s\n' "${rows[@]}"
  echo "${#CHAPTERS[@]} 个章节,用时 $((SECONDS - started)) 秒,失败 $failed 个"
else
  printf '%-16s %7s %9s  %s\n' chapter time messages result
  printf '%s\n' "${rows[@]}"
  echo "${#CHAPTERS[@]} chapters in $((SECONDS - started))s, $failed failed"
fi
[ "$failed" -eq 0 ] || exit 1
