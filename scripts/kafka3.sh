#!/usr/bin/env bash
# Kafka 3.9 next to the default Kafka 4.4, natively: the same script as the default broker
# (scripts/kafka-native.sh), with 3.9's version and ports from docker/brokers.env, and its own
# jars, data, logs and pid file under $MQ_HOME/kafka3. With Docker, compose profile `kafka3` (service kafka39).
#   scripts/kafka3.sh start|stop|restart|status|run-class CLASS ARGS...
#   scripts/kafka3.sh exec COMMAND...   run COMMAND against Kafka 3.9 (`just on-kafka3`)
set -euo pipefail
. "$(dirname "$0")/lib.sh"

home="$MQ_HOME/kafka3"

# The default broker's settings, moved to 3.9: its address (KAFKA_BROKERS for the binaries and
# tests, KAFKA_PORT for the scripts), its version and its folder (Kafka's own tools then run
# from 3.9's jars, `just restart kafka` restarts 3.9).
on_kafka3() {
  export MQ_HOME="$home" KAFKA_DATA="$home/kafka-data" KAFKA_VERSION="$KAFKA3_VERSION" \
    KAFKA_PORT="$KAFKA3_PORT" KAFKA_CONTROLLER_PORT="$KAFKA3_CONTROLLER_PORT" \
    KAFKA_BROKERS="127.0.0.1:$KAFKA3_PORT" KAFKA_START_HINT="just up-kafka3"
}

compose() { docker compose -f "$REPO_ROOT/docker/compose.yaml" --profile kafka3 "$@"; }

case "${1:-}" in
  exec)
    shift
    [ "$#" -gt 0 ] || die "usage: scripts/kafka3.sh exec COMMAND [ARGS...]"
    port_open "$KAFKA3_PORT" || "$0" start
    on_kafka3
    exec "$@"
    ;;
esac
if use_docker; then
  case "${1:-}" in
    start) step "Starting Kafka $KAFKA3_VERSION with Docker (apache/kafka:$KAFKA3_VERSION)"; compose up -d --wait kafka39; exit 0 ;;
    stop) compose stop kafka39; exit 0 ;;
    restart) compose restart kafka39; exit 0 ;;
    status) compose ps kafka39; exit 0 ;;
  esac
fi
on_kafka3
exec "$REPO_ROOT/scripts/kafka-native.sh" "$@"
