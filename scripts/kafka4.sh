#!/usr/bin/env bash
# A Kafka 4 broker next to the tutorial's 3.9, natively: the same script as Kafka 3.9
# (scripts/kafka-native.sh), with Kafka 4's version and ports from docker/brokers.env, and its
# own jars, data, logs and pid file under $MQ_HOME/kafka4.
#   scripts/kafka4.sh start|stop|status|run-class CLASS ARGS...
set -euo pipefail
. "$(dirname "$0")/lib.sh"

home="$MQ_HOME/kafka4"
MQ_HOME="$home" KAFKA_DATA="$home/kafka-data" KAFKA_VERSION="$KAFKA4_VERSION" \
  KAFKA_PORT="$KAFKA4_PORT" KAFKA_CONTROLLER_PORT="$KAFKA4_CONTROLLER_PORT" \
  exec "$REPO_ROOT/scripts/kafka-native.sh" "$@"
