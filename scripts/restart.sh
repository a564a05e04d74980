#!/usr/bin/env bash
# `just restart rabbitmq|kafka`: stop one broker and start it again, the way `just up` runs it
# (Docker or native). What survives is what was durable: persistent messages in durable queues,
# and every acknowledged Kafka offset. The fault tests use this to crash-test the demos.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

broker=${1:-}
case "$broker" in
  rabbitmq | kafka) ;;
  *) die "usage: just restart rabbitmq|kafka (got '${broker}')" ;;
esac

if docker_brokers_running; then
  step "Restarting the $broker container"
  docker compose -f "$REPO_ROOT/docker/compose.yaml" restart "$broker"
  docker compose -f "$REPO_ROOT/docker/compose.yaml" up -d --wait "$broker"
else
  "$REPO_ROOT/scripts/$broker-native.sh" restart
fi
