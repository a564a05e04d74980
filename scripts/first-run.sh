#!/usr/bin/env bash
# The first run, as a newcomer meets it, timed: a fresh clone of this repository (so an empty
# target folder), Kafka on a freshly formatted data folder, RabbitMQ stopped, then `just demo`.
# Prints the timeline and fails when the first ` [x] Received` or the end of the demo comes
# later than 1.5 times its target (90 s and 240 s): a margin for a noisy machine. CI runs it.
#   scripts/first-run.sh
# Elsewhere the tests keep speed out of their assertions; this time is the product.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

FIRST_TARGET=90
END_TARGET=240
dir=$(mktemp -d)
step "A fresh clone in $dir/clone, Kafka on an empty data folder, RabbitMQ stopped"
git clone -q "$REPO_ROOT" "$dir/clone"
# The clone starts without .env; the tutorial user's password is kept, so that other checkouts
# on this machine keep working.
[ -f "$REPO_ROOT/.env" ] && cp "$REPO_ROOT/.env" "$dir/clone/.env"
"$REPO_ROOT/scripts/rabbitmq-native.sh" stop

step "just demo, every line stamped with the seconds since the command"
set +e
(cd "$dir/clone" && KAFKA_DATA="$dir/kafka-data" env -u CARGO_TARGET_DIR just demo 2>&1) | python3 -u -c '
import sys, time
start = time.monotonic()
for line in sys.stdin:
    print(f"{time.monotonic() - start:6.1f}  {line}", end="", flush=True)
' | tee "$dir/timeline.txt"
rc=${PIPESTATUS[0]}
set -e
rm -rf "$dir/clone"

seconds_of() { awk -v pattern="$1" 'index($0, pattern) { print int($1 + 0.5); exit }' "$dir/timeline.txt"; }
brokers=$(seconds_of "RabbitMQ is up")
built=$(seconds_of "building rabbit-simple")
first=$(seconds_of " [x] Received")
end=$(awk 'END { print int($1 + 0.5) }' "$dir/timeline.txt")
echo
echo "first run, seconds since \`just demo\`:"
printf '  %5s  %s\n' "${brokers:-?}" "RabbitMQ up" "${built:-?}" "first chapter built" \
  "${first:-?}" "first message received (target ${FIRST_TARGET} s)" \
  "$end" "demo ended, exit $rc (target ${END_TARGET} s)"
status=0
[ "$rc" -eq 0 ] || { echo "error: just demo failed (exit $rc)" >&2; status=1; }
if [ -z "$first" ] || [ "$first" -gt $((FIRST_TARGET * 3 / 2)) ]; then
  echo "error: the first message came after ${first:-never} s; the target is $FIRST_TARGET s (failing above $((FIRST_TARGET * 3 / 2)) s)" >&2
  status=1
fi
if [ "$end" -gt $((END_TARGET * 3 / 2)) ]; then
  echo "error: the demo took $end s; the target is $END_TARGET s (failing above $((END_TARGET * 3 / 2)) s)" >&2
  status=1
fi
rm -rf "$dir"
exit $status
