#!/usr/bin/env bash
# `just status`: which brokers run, their versions, and where they listen.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

if docker_brokers_running; then
  docker compose -f "$REPO_ROOT/docker/compose.yaml" ps
  exit 0
fi
rc=0
"$REPO_ROOT/scripts/rabbitmq-native.sh" status || rc=1
"$REPO_ROOT/scripts/kafka-native.sh" status || rc=1
# RabbitMQ 4 (`just up-rabbitmq4`) is optional: shown once its Debian 13 root exists.
if [ -d "$MQ_HOME/rabbitmq4/root" ]; then
  "$REPO_ROOT/scripts/rabbitmq4.sh" status || true
fi
# Kafka 3.9 (`just up-kafka3`) is optional: shown only when it was started.
if [ -f "$MQ_HOME/kafka3/kafka.pid" ]; then
  "$REPO_ROOT/scripts/kafka3.sh" status || true
fi
if command -v ss >/dev/null 2>&1; then
  echo "Listening (should all be 127.0.0.1):"
  ss -ltnH 2>/dev/null | awk '{print $4}' | grep -E ":($AMQP_PORT|$RABBITMQ_MANAGEMENT_PORT|$KAFKA_PORT|$KAFKA_CONTROLLER_PORT|$KAFKA3_PORT|$KAFKA3_CONTROLLER_PORT|$RABBITMQ4_AMQP_PORT|$RABBITMQ4_MANAGEMENT_PORT|$RABBITMQ4_DIST_PORT|25672|4369)$" | sort -t: -k2 -n | sed 's/^/  /'
fi
exit $rc
