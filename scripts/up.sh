#!/usr/bin/env bash
# `just up`: a working RabbitMQ and a working Kafka 3.9, whichever way this machine allows.
# Idempotent: run it as often as you like; the second run only checks.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

ensure_env_file() {
  if [ -f "$REPO_ROOT/.env" ]; then
    return 0
  fi
  step "Creating .env from .env.example, with a random password for the tutorial user"
  local password
  # 24 random alphanumerics: safe inside a URL without escaping.
  password=$(LC_ALL=C tr -dc 'A-Za-z0-9' </dev/urandom | head -c 24 || true)
  sed -E "/^(RABBITMQ_PASSWORD|AMQP_URL)=/ s/GENERATED_BY_JUST_UP/$password/" "$REPO_ROOT/.env.example" >"$REPO_ROOT/.env"
  chmod 600 "$REPO_ROOT/.env"
}

ensure_env_file
if use_docker; then
  step "A Docker engine answers: starting the brokers with docker/compose.yaml"
  docker compose -f "$REPO_ROOT/docker/compose.yaml" up -d --wait
else
  step "No Docker engine here: using the native setup (Debian's rabbitmq-server, Kafka jars from Maven Central)"
  "$REPO_ROOT/scripts/rabbitmq-native.sh" start
  "$REPO_ROOT/scripts/kafka-native.sh" start
fi
step "Brokers are up"
"$REPO_ROOT/scripts/status.sh"
