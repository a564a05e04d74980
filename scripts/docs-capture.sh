#!/usr/bin/env bash
# `just docs-capture`: runs every chapter's scenario against the real brokers and saves what it
# printed in docs/captured/, where the book's pages include it. Re-run it after changing
# what a binary prints; commit the result. SCENARIOS="rabbit-rpc rabbit-confirms" captures only those.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

OUT="$REPO_ROOT/docs/captured"
mkdir -p "$OUT"
for scenario in ${SCENARIOS:-rabbit-simple rabbit-worker rabbit-pubsub rabbit-routing rabbit-topic rabbit-rpc rabbit-confirms kafka kafka-p2p kafka-pubsub kafka-group}; do
  step "Capturing just $scenario"
  {
    echo "\$ just $scenario"
    # No colours in a text file; the setup lines of `kafka-topic.sh` are not part of the lesson.
    "$REPO_ROOT/scripts/scenario.sh" "$scenario" 2>&1 | sed -e 's/\x1b\[[0-9;]*m//g' | grep -v '^==> \|^    \|^WARNING: Due to limitations in metric names' || true
  } >"$OUT/$scenario.txt.tmp"
  mv "$OUT/$scenario.txt.tmp" "$OUT/$scenario.txt"
  info "$(wc -l <"$OUT/$scenario.txt") lines in docs/captured/$scenario.txt"
done
