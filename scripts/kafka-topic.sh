#!/usr/bin/env bash
# Topic administration with the TopicCommand from the same Kafka 3.9 jars as the broker
# (what the tutorial runs as `kafka-topics --create`).
#   scripts/kafka-topic.sh create NAME PARTITIONS
#   scripts/kafka-topic.sh list
#   scripts/kafka-topic.sh delete-matching REGEX   (class-teardown: every student's topics)
set -euo pipefail
. "$(dirname "$0")/lib.sh"

topics() { "$REPO_ROOT/scripts/kafka-native.sh" run-class org.apache.kafka.tools.TopicCommand --bootstrap-server "127.0.0.1:$KAFKA_PORT" "$@"; }

case "${1:-}" in
  create)
    name=${2:?usage: kafka-topic.sh create NAME PARTITIONS}
    partitions=${3:?usage: kafka-topic.sh create NAME PARTITIONS}
    [[ "$partitions" =~ ^[1-9][0-9]*$ ]] || die "PARTITIONS must be a positive number, got '$partitions'"
    topics --create --if-not-exists --topic "$name" --partitions "$partitions" --replication-factor 1
    ;;
  delete-matching)
    pattern=${2:?usage: kafka-topic.sh delete-matching REGEX}
    topics --delete --if-exists --topic "$pattern"
    ;;
  list) topics --describe | grep -E '^Topic:' | sed -E 's/\tTopicId: [^\t]*//; s/\t(ReplicationFactor|Configs):[^\t]*//g' ;;
  *) echo "usage: $0 create NAME PARTITIONS | list | delete-matching REGEX" >&2; exit 2 ;;
esac
