#!/usr/bin/env bash
# `just down`: stop both brokers through their own tools (pid file, rabbitmqctl, docker compose).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

if docker_brokers_running; then
  step "Stopping the Docker brokers"
  docker compose -f "$REPO_ROOT/docker/compose.yaml" --profile rabbitmq4 --profile kafka3 down
  exit 0
fi
"$REPO_ROOT/scripts/kafka-native.sh" stop
if [ -f "$MQ_HOME/kafka3/kafka.pid" ]; then
  "$REPO_ROOT/scripts/kafka3.sh" stop
fi
if [ -d "$MQ_HOME/rabbitmq4/root" ]; then
  "$REPO_ROOT/scripts/rabbitmq4.sh" stop
fi
if command -v rabbitmqctl >/dev/null 2>&1; then
  "$REPO_ROOT/scripts/rabbitmq-native.sh" stop
fi
