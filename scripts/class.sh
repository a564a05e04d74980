#!/usr/bin/env bash
# A class on one broker: a RabbitMQ user and vhost per student, with rights on that vhost only.
#   scripts/class.sh setup N              students student1 … studentN
#   scripts/class.sh setup NAME [NAME…]   students with these names
#   scripts/class.sh teardown             remove everyone setup made (users, vhosts, Kafka topics)
# RabbitMQ 4, when it runs, gets the same users and vhosts (the stream-offsets exercise).
# Writes $CLASS_DIR (default: class/, git-ignored): students.csv with every student's
# credentials, and NAME.env, a ready .env to hand to each student.
# The class board: a vhost of the teacher's ($CLASS_BOARD_VHOST, default class-board) with the
# exchange and stream of the results (`class-board --declare`); each student may write to that
# exchange and do nothing else there, and their .env names it (CLASS_RESULTS_URL).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

CLASS_DIR=${CLASS_DIR:-$REPO_ROOT/class}
CSV="$CLASS_DIR/students.csv"
BOARD_VHOST=${CLASS_BOARD_VHOST:-class-board}

ctl() {
  if use_docker; then
    docker compose -f "$REPO_ROOT/docker/compose.yaml" exec -T rabbitmq rabbitmqctl -q "$@"
  else
    as_root rabbitmqctl -q "$@"
  fi
}

setup() {
  [ $# -gt 0 ] || die "usage: just class-setup N, or just class-setup NAME [NAME…]"
  local names=()
  if [ $# -eq 1 ] && [[ "$1" =~ ^[0-9]+$ ]]; then
    [ "$1" -ge 1 ] && [ "$1" -le 500 ] || die "N must be between 1 and 500, got $1"
    for i in $(seq 1 "$1"); do names+=("student$i"); done
  else
    names=("$@")
  fi
  for name in "${names[@]}"; do
    # The name prefixes queues, exchanges and Kafka topics: keep it to what every broker accepts.
    [[ "$name" =~ ^[A-Za-z0-9_-]{1,40}$ ]] || die "'$name' is not a usable name: letters, digits, - and _ only (at most 40)"
  done
  mkdir -p "$CLASS_DIR"
  chmod 700 "$CLASS_DIR"
  board
  [ -f "$CSV" ] || echo "student,user,password,vhost,amqp_url" >"$CSV"
  chmod 600 "$CSV"
  local made=0
  for name in "${names[@]}"; do
    if grep -q "^$name," "$CSV"; then
      info "$name: already set up (see $CSV)"
      continue
    fi
    local vhost="class-$name" password url
    password=$(LC_ALL=C tr -dc 'A-Za-z0-9' </dev/urandom | head -c 20 || true)
    url="amqp://$name:$password@127.0.0.1:$AMQP_PORT/$vhost"
    ctl add_vhost "$vhost" >/dev/null
    printf '%s\n' "$password" | ctl add_user "$name" >/dev/null
    ctl set_permissions -p "$vhost" "$name" '.*' '.*' '.*' >/dev/null
    # On the board's vhost: write to the results exchange, nothing else (no configure, no read).
    ctl set_permissions -p "$BOARD_VHOST" "$name" '^$' '^class-results$' '^$' >/dev/null
    echo "$name,$name,$password,$vhost,$url" >>"$CSV"
    cat >"$CLASS_DIR/$name.env" <<ENV
# $name's settings for mq-tutorial-rs: save this file as .env in your checkout.
STUDENT=$name
AMQP_URL=$url
KAFKA_BROKERS=127.0.0.1:$KAFKA_PORT
# Where \`just check\` sends each result for the teacher's class board (write-only).
CLASS_RESULTS_URL=amqp://$name:$password@127.0.0.1:$AMQP_PORT/$BOARD_VHOST
ENV
    chmod 600 "$CLASS_DIR/$name.env"
    made=$((made + 1))
  done
  step "$made student(s) set up; credentials in $CSV, one .env each in $CLASS_DIR/"
  # The Streams exercise (stream-offsets) runs on RabbitMQ 4: every student of the CSV gets the
  # same user, password and vhost there.
  if port_open "$RABBITMQ4_AMQP_PORT"; then
    tail -n +2 "$CSV" | awk -F, '{print $2, $4, $3}' | "$REPO_ROOT/scripts/rabbitmq4.sh" import-users
    info "RabbitMQ 4: the same users and vhosts, for the stream-offsets exercise"
  else
    info "RabbitMQ 4 is not running: the stream-offsets exercise needs the students there too; after just up-rabbitmq4, run just class-setup with the same names again"
  fi
}

# The teacher's vhost for the board, the teacher's rights on it, its exchange and stream.
board() {
  local teacher=${RABBITMQ_USER:?RABBITMQ_USER missing from .env: run just up}
  if ! ctl list_vhosts --no-table-headers name | grep -x -- "$BOARD_VHOST" >/dev/null; then
    ctl add_vhost "$BOARD_VHOST" >/dev/null
  fi
  ctl set_permissions -p "$BOARD_VHOST" "$teacher" '.*' '.*' '.*' >/dev/null
  cargo build -q -p mq-class
  "${CARGO_TARGET_DIR:-$REPO_ROOT/target}/debug/class-board" --declare --vhost "$BOARD_VHOST" | sed 's/^/    /'
}

teardown() {
  [ -f "$CSV" ] || { info "no class to remove ($CSV does not exist)"; return 0; }
  local prefixes=()
  # The CSV comes in on fd 3: rabbitmqctl reads stdin, and would swallow the rest of it.
  while IFS=, read -r name user _ vhost _ <&3; do
    [ "$name" = student ] && continue
    ctl delete_user "$user" >/dev/null 2>&1 || true
    ctl delete_vhost "$vhost" >/dev/null 2>&1 || true
    prefixes+=("$name")
  done 3<"$CSV"
  if [ ${#prefixes[@]} -gt 0 ] && kafka_running; then
    local pattern
    pattern="($(IFS='|'; echo "${prefixes[*]}"))-.*"
    "$REPO_ROOT/scripts/kafka-topic.sh" delete-matching "$pattern" >/dev/null 2>&1 || info "could not delete the students' Kafka topics"
  fi
  if port_open "$RABBITMQ4_AMQP_PORT"; then
    tail -n +2 "$CSV" | awk -F, '{print $2, $4}' | "$REPO_ROOT/scripts/rabbitmq4.sh" delete-users
  fi
  rm -f "$CSV"
  for name in "${prefixes[@]}"; do rm -f "$CLASS_DIR/$name.env"; done
  ctl delete_vhost "$BOARD_VHOST" >/dev/null 2>&1 || true
  step "${#prefixes[@]} student(s) removed, with their vhosts and Kafka topics, and the board's vhost '$BOARD_VHOST'"
}

kafka_running() { port_open "$KAFKA_PORT"; }

case "${1:-}" in
  setup) shift; setup "$@" ;;
  teardown) teardown ;;
  *) echo "usage: $0 setup N | setup NAME [NAME...] | teardown" >&2; exit 2 ;;
esac
