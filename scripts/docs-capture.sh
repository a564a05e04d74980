#!/usr/bin/env bash
# `just docs-capture`: runs every chapter's scenario against the real brokers and saves what it
# printed in docs/captured/, where the book's pages include it. Re-run it after changing
# what a binary prints; commit the result. SCENARIOS="rabbit-rpc rabbit-confirms" captures only
# those; LABS="rabbit-quorum:all" only that replication lab story (on the lab clusters, which
# scripts/lab.sh starts); SCENARIOS= or LABS= (empty) skips that kind.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

OUT="$REPO_ROOT/docs/captured"
mkdir -p "$OUT"
for scenario in ${SCENARIOS-rabbit-simple rabbit-worker rabbit-pubsub rabbit-routing rabbit-topic rabbit-rpc rabbit-confirms kafka kafka-p2p kafka-pubsub kafka-group}; do
  step "Capturing just $scenario"
  {
    echo "\$ just $scenario"
    # No colours in a text file; the setup lines of `kafka-topic.sh` are not part of the lesson.
    (cd "$REPO_ROOT" && cargo run -q -p mq-run -- "$scenario") 2>&1 | sed -e 's/\x1b\[[0-9;]*m//g' | grep -v '^==> \|^    \|^WARNING: Due to limitations in metric names' || true
  } >"$OUT/$scenario.txt.tmp"
  mv "$OUT/$scenario.txt.tmp" "$OUT/$scenario.txt"
  info "$(wc -l <"$OUT/$scenario.txt") lines in docs/captured/$scenario.txt"
done
# Each lab story is "RECIPE:PART", captured as docs/captured/RECIPE-PART.txt (`all`: RECIPE.txt).
for lab in ${LABS-kafka-replication:leader-kill kafka-replication:unclean rabbit-quorum:all}; do
  recipe=${lab%%:*} part=${lab#*:} file=${lab%%:*}
  [ "$part" = all ] || file="$recipe-$part"
  step "Capturing just $recipe $part"
  {
    if [ "$part" = all ]; then echo "\$ just $recipe"; else echo "\$ just $recipe $part"; fi
    # The build and cluster start-up lines are not part of the lesson.
    "$REPO_ROOT/scripts/lab.sh" "$recipe" "$part" 2>&1 | sed -e 's/\x1b\[[0-9;]*m//g' | grep -v '^==> \|^    ' || true
  } >"$OUT/$file.txt.tmp"
  mv "$OUT/$file.txt.tmp" "$OUT/$file.txt"
  info "$(wc -l <"$OUT/$file.txt") lines in docs/captured/$file.txt"
done
