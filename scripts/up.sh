#!/usr/bin/env bash
# `just up`: a working RabbitMQ and a working Kafka 3.9, whichever way this machine allows.
# Idempotent: run it as often as you like; the second run only checks.
#   scripts/up.sh [rabbitmq|kafka]   (one broker only, without the status at the end: `just demo`
#                                     starts RabbitMQ first and Kafka while the first chapters run)
set -euo pipefail
. "$(dirname "$0")/lib.sh"

only=${1:-}
case "$only" in '' | rabbitmq | kafka) ;; *) die "usage: scripts/up.sh [rabbitmq|kafka]" ;; esac
ensure_env_file
if use_docker; then
  step "A Docker engine answers: starting the brokers with docker/compose.yaml"
  # shellcheck disable=SC2086 # no service name: every default service
  docker compose -f "$REPO_ROOT/docker/compose.yaml" up -d --wait $only
else
  if [ -z "$only" ]; then
    step "No Docker engine here: using the native setup (Debian's rabbitmq-server, Kafka jars from Maven Central)"
  fi
  if [ "$only" != kafka ]; then "$REPO_ROOT/scripts/rabbitmq-native.sh" start; fi
  if [ "$only" != rabbitmq ]; then "$REPO_ROOT/scripts/kafka-native.sh" start; fi
fi
if [ -n "$only" ]; then
  if [ "$only" = rabbitmq ]; then step "RabbitMQ is up"; else step "Kafka is up"; fi
  exit 0
fi
step "Brokers are up"
"$REPO_ROOT/scripts/status.sh"
