#!/usr/bin/env bash
# The replication lab's clusters, natively, next to the tutorial's brokers and on loopback only:
# three Kafka 3.9 nodes (KRaft, each broker and controller, from the cached jars) and three
# RabbitMQ nodes (Debian's rabbitmq-server) joined into one cluster. Ports: docker/brokers.env.
# With a Docker engine (and no MQ_NATIVE=1), the same clusters run from docker/compose.yaml's
# profile `cluster` instead.
#   scripts/cluster.sh up|down|status|bootstrap
#   scripts/cluster.sh kill|pause|resume|start kafka|rabbit N   (the lab's faults: SIGKILL,
#                                                 SIGSTOP, SIGCONT, and starting a node again)
#   scripts/cluster.sh kafka-topics ARGS...    (Kafka's TopicCommand against the cluster)
#   scripts/cluster.sh rabbitmqctl N ARGS...    (rabbitmqctl against node N)
# `up` is idempotent: with no node running it starts both clusters from fresh data; otherwise
# it starts only the nodes that are missing, on their data. `down` stops every node by its pid.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

NODES=(1 2 3)
CLUSTER_HOME="$MQ_HOME/cluster"
# The rabbitmq user cannot enter root's home, so its nodes live where Debian keeps its data
# (CLUSTER_RABBIT_HOME moves them: tests/scripts.rs uses a folder of its own).
RABBIT_HOME=${CLUSTER_RABBIT_HOME:-/var/lib/rabbitmq/mq-tutorial-cluster}

var() { local name=$1; printf '%s' "${!name:?$1 missing from docker/brokers.env}"; }
kafka_port() { var "CLUSTER_KAFKA_PORT_$1"; }
kafka_controller_port() { var "CLUSTER_KAFKA_CONTROLLER_PORT_$1"; }
amqp_port() { var "CLUSTER_AMQP_PORT_$1"; }
dist_port() { var "CLUSTER_RABBITMQ_DIST_PORT_$1"; }

# The cluster's bootstrap list, as clients take it.
kafka_bootstrap() {
  local n list=()
  for n in "${NODES[@]}"; do list+=("127.0.0.1:$(kafka_port "$n")"); done
  (IFS=,; echo "${list[*]}")
}

# The nodes that answer now (running, not paused): the tools bootstrap from these, since a
# client that picks a paused node waits for it until its timeout.
kafka_live_bootstrap() {
  local n list=()
  for n in "${NODES[@]}"; do
    kafka_running "$n" && [ "$(ps -o state= -p "$(kafka_pid "$n")" 2>/dev/null)" != T ] &&
      list+=("127.0.0.1:$(kafka_port "$n")")
  done
  [ ${#list[@]} -gt 0 ] || die "no Kafka node of the cluster answers: just cluster-up"
  (IFS=,; echo "${list[*]}")
}

# ---- Kafka ---------------------------------------------------------------------------------

kafka_dir() { echo "$CLUSTER_HOME/kafka$1"; }
# A node's pid, only if that process is still the node started with its config.
kafka_pid() { owned_pid "$(kafka_dir "$1")/kafka.pid" "kafka.Kafka $(kafka_dir "$1")/server.properties"; }
kafka_running() { [ -n "$(kafka_pid "$1")" ]; }
kafka_ready() {
  port_open "$(kafka_port "$1")" && grep -q "Kafka Server started" "$(kafka_dir "$1")/logs/kafka-server.log" 2>/dev/null
}
kafka_all_ready() { local n; for n in "${NODES[@]}"; do kafka_ready "$n" || return 1; done; }

kafka_write_config() {
  local n=$1 dir voters="" m
  dir=$(kafka_dir "$n")
  mkdir -p "$dir/data" "$dir/logs"
  for m in "${NODES[@]}"; do voters+="${voters:+,}$m@127.0.0.1:$(kafka_controller_port "$m")"; done
  {
    echo "# Written by mq-tutorial-rs scripts/cluster.sh from docker/kafka-cluster.env (shared with"
    echo "# docker/compose.yaml), plus this node's id, addresses and data folder."
    kafka_env_to_properties <"$REPO_ROOT/docker/kafka-cluster.env"
    echo "node.id=$n"
    echo "listeners=PLAINTEXT://127.0.0.1:$(kafka_port "$n"),CONTROLLER://127.0.0.1:$(kafka_controller_port "$n")"
    echo "advertised.listeners=PLAINTEXT://127.0.0.1:$(kafka_port "$n")"
    echo "controller.quorum.voters=$voters"
    echo "log.dirs=$dir/data"
  } >"$dir/server.properties"
  cat >"$dir/log4j.properties" <<CONF
log4j.rootLogger=INFO, kafkaAppender
log4j.appender.kafkaAppender=org.apache.log4j.RollingFileAppender
log4j.appender.kafkaAppender.File=$dir/logs/kafka-server.log
log4j.appender.kafkaAppender.MaxFileSize=20MB
log4j.appender.kafkaAppender.MaxBackupIndex=1
log4j.appender.kafkaAppender.layout=org.apache.log4j.PatternLayout
log4j.appender.kafkaAppender.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka.request.logger=WARN
CONF
}

# Launch one node on its data (formatted already); do not wait for it.
kafka_launch() {
  local n=$1 dir
  dir=$(kafka_dir "$n")
  kafka_write_config "$n"
  : >"$dir/logs/kafka-server.log"
  # As scripts/kafka-native.sh: setsid and a pid file, so that nothing is ever killed by name.
  setsid java "-Xms$CLUSTER_KAFKA_HEAP" "-Xmx$CLUSTER_KAFKA_HEAP" -server -XX:+UseG1GC \
    -Djava.awt.headless=true -Djava.net.preferIPv4Stack=true \
    -Dlog4j.configuration="file:$dir/log4j.properties" -Dkafka.logs.dir="$dir/logs" \
    -cp "$KAFKA_LIBS/*" kafka.Kafka "$dir/server.properties" >"$dir/logs/kafka-stdout.log" 2>&1 </dev/null &
  echo $! >"$dir/kafka.pid"
}

kafka_format_all() {
  local n id
  step "Formatting three Kafka nodes with one cluster id (fresh data)"
  "$REPO_ROOT/scripts/kafka-native.sh" fetch
  id=$("$REPO_ROOT/scripts/kafka-native.sh" run-class kafka.tools.StorageTool random-uuid)
  for n in "${NODES[@]}"; do
    rm -rf "$(kafka_dir "$n")"
    kafka_write_config "$n"
  done
  # One JVM formats each node's folder: StorageTool is a plain main class.
  for n in "${NODES[@]}"; do
    "$REPO_ROOT/scripts/kafka-native.sh" run-class kafka.tools.StorageTool format -t "$id" \
      -c "$(kafka_dir "$n")/server.properties" | sed "s/^/    node $n: /"
  done
}

kafka_up() {
  local n any=0 missing=()
  for n in "${NODES[@]}"; do
    if kafka_running "$n"; then any=1; else missing+=("$n"); fi
    # A lab interrupted while a node was paused (SIGSTOP) leaves it so: it runs again.
    if kafka_running "$n" && [ "$(ps -o state= -p "$(kafka_pid "$n")" 2>/dev/null)" = T ]; then
      step "Resuming Kafka node $n (paused by an interrupted lab)"
      kill -CONT "$(kafka_pid "$n")"
    fi
  done
  if [ ${#missing[@]} -eq 0 ]; then
    info "Kafka cluster: all three nodes are running"
    return 0
  fi
  # Before anything is formatted or started: a port another program holds stops the lab here.
  local port
  for n in "${missing[@]}"; do
    for port in "$(kafka_port "$n")" "$(kafka_controller_port "$n")"; do
      if port_open "$port"; then die "something else listens on 127.0.0.1:$port, a port of Kafka node $n; stop it first"; fi
    done
  done
  [ "$any" = 1 ] || kafka_format_all
  for n in "${missing[@]}"; do
    step "Starting Kafka node $n (127.0.0.1:$(kafka_port "$n"), controller $(kafka_controller_port "$n"), heap $CLUSTER_KAFKA_HEAP)"
    kafka_launch "$n"
  done
  # A node finishes starting only once the controllers have a quorum: wait for all of them.
  if ! wait_for "the Kafka nodes to answer" 120 kafka_all_ready; then
    for n in "${NODES[@]}"; do tail -n 5 "$(kafka_dir "$n")/logs/kafka-server.log" >&2 || true; done
    die "the Kafka cluster did not start: see $CLUSTER_HOME/kafka*/logs"
  fi
}

# Start one node again on its data (after a lab killed it), and wait for it.
kafka_start_one() {
  local n=$1
  if kafka_running "$n"; then info "Kafka node $n is running"; return 0; fi
  step "Starting Kafka node $n again"
  kafka_launch "$n"
  wait_for "Kafka node $n" 120 kafka_ready "$n" || die "Kafka node $n did not start: see $(kafka_dir "$n")/logs"
}

kafka_stop() {
  local n p waited
  local -A stopping=()
  for n in "${NODES[@]}"; do
    p=$(kafka_pid "$n")
    [ -n "$p" ] || { rm -f "$(kafka_dir "$n")/kafka.pid"; continue; }
    step "Stopping Kafka node $n (pid $p)"
    # A node a lab paused (SIGSTOP) must run again to hear SIGTERM.
    kill -CONT "$p" 2>/dev/null || true
    kill "$p" 2>/dev/null || true
    stopping[$n]=$p
  done
  # Only the pids checked above: once a node has exited, its pid may be anyone's.
  for n in "${!stopping[@]}"; do
    p=${stopping[$n]}
    waited=0
    while kill -0 "$p" 2>/dev/null; do
      # The last node of a quorum may wait for controllers that are gone: do not wait forever.
      if [ "$waited" -ge 30 ]; then
        info "node $n still running after 30 s: SIGKILL"
        kill -9 "$p" 2>/dev/null || true
        break
      fi
      sleep 1
      waited=$((waited + 1))
    done
    rm -f "$(kafka_dir "$n")/kafka.pid"
  done
}

# ---- RabbitMQ ------------------------------------------------------------------------------

node() { echo "rc$1@localhost"; }
rabbit_dir() { echo "$RABBIT_HOME/rc$1"; }
rctl() { local n=$1; shift; as_root rabbitmqctl -q -n "$(node "$n")" "$@"; }
# A node's pid (RabbitMQ writes its Erlang VM's), only if that process is still the VM that
# rabbit_launch started for that node: its environment names the node.
rabbit_pid() { owned_pid "$(rabbit_dir "$1")/rabbit.pid" "RABBITMQ_NODENAME=$(node "$1")"; }
rabbit_alive() { [ -n "$(rabbit_pid "$1")" ]; }
rabbit_running() { rabbit_alive "$1" && as_root rabbitmq-diagnostics -q -n "$(node "$1")" ping >/dev/null 2>&1; }
rabbit_all_ready() { local n; for n in "${NODES[@]}"; do rabbit_running "$n" || return 1; done; }

rabbit_launch() {
  local n=$1 dir
  dir=$(rabbit_dir "$n")
  as_root mkdir -p "$dir"
  printf '%s\n' "# Written by mq-tutorial-rs scripts/cluster.sh" \
    "listeners.tcp.default = 127.0.0.1:$(amqp_port "$n")" \
    "$(cat "$REPO_ROOT/docker/rabbitmq.conf")" | as_root tee "$dir/rabbitmq.conf" >/dev/null
  # No plugins: the lab needs AMQP only, and each node starts faster without the web UI.
  echo '[].' | as_root tee "$dir/enabled_plugins" >/dev/null
  as_root chown -R rabbitmq:rabbitmq "$RABBIT_HOME"
  as_root rm -f "$dir/rabbit.pid"
  # As the rabbitmq user (the owner of the Erlang cookie all nodes share), detached. The
  # distribution port and epmd stay on loopback, as for the tutorial's node.
  as_root su -s /bin/sh rabbitmq -c "exec env \
    RABBITMQ_NODENAME=$(node "$n") RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 RABBITMQ_NODE_PORT=$(amqp_port "$n") \
    RABBITMQ_DIST_PORT=$(dist_port "$n") RABBITMQ_CONFIG_FILE=$dir/rabbitmq.conf \
    RABBITMQ_ENABLED_PLUGINS_FILE=$dir/enabled_plugins RABBITMQ_MNESIA_BASE=$dir/mnesia \
    RABBITMQ_LOG_BASE=$dir/log RABBITMQ_PID_FILE=$dir/rabbit.pid ERL_EPMD_ADDRESS=127.0.0.1 \
    RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS='-kernel inet_dist_use_interface {127,0,0,1}' \
    /usr/lib/rabbitmq/bin/rabbitmq-server -detached" >/dev/null
}

# Is node N a member of rc1's cluster?
rabbit_joined() {
  rctl "$1" cluster_status --formatter json 2>/dev/null | grep -F -- "\"$(node 1)\"" >/dev/null
}

rabbit_up() {
  local n port any=0 missing=()
  "$REPO_ROOT/scripts/rabbitmq-native.sh" install
  for n in "${NODES[@]}"; do
    if rabbit_running "$n"; then any=1; else missing+=("$n"); fi
  done
  if [ ${#missing[@]} -eq 0 ]; then
    info "RabbitMQ cluster: all three nodes are running"
    return 0
  fi
  for n in "${missing[@]}"; do
    for port in "$(amqp_port "$n")" "$(dist_port "$n")"; do
      if port_open "$port"; then die "something else listens on 127.0.0.1:$port, a port of $(node "$n"); stop it first"; fi
    done
  done
  if [ "$any" = 0 ]; then
    step "Fresh data for three RabbitMQ nodes"
    as_root rm -rf "$RABBIT_HOME"
  fi
  for n in "${missing[@]}"; do
    step "Starting RabbitMQ node $(node "$n") (AMQP 127.0.0.1:$(amqp_port "$n"), distribution $(dist_port "$n"))"
    rabbit_launch "$n"
  done
  wait_for "the RabbitMQ nodes to answer" 120 rabbit_all_ready || die "the RabbitMQ cluster did not start: see $RABBIT_HOME/rc*/log"
  for n in "${missing[@]}"; do
    rctl "$n" await_startup --timeout 120
  done
  for n in 2 3; do
    if ! rabbit_joined "$n"; then
      step "Joining $(node "$n") to $(node 1)'s cluster"
      # A fresh node logs warnings about the state it is leaving: kept for a failure only.
      if ! { rctl "$n" stop_app && rctl "$n" reset && rctl "$n" join_cluster "$(node 1)" && rctl "$n" start_app; } >"$RABBIT_HOME/join.log" 2>&1; then
        cat "$RABBIT_HOME/join.log" >&2
        die "$(node "$n") could not join $(node 1)"
      fi
    fi
  done
  # The tutorial's user and vhost, cluster-wide (users and vhosts live in every node's copy).
  cluster_ctl() { rctl 1 "$@"; }
  setup_user cluster_ctl
}

rabbit_start_one() {
  local n=$1
  if rabbit_running "$n"; then info "RabbitMQ node $(node "$n") is running"; return 0; fi
  step "Starting RabbitMQ node $(node "$n") again"
  rabbit_launch "$n"
  wait_for "$(node "$n")" 120 rabbit_running "$n" || die "$(node "$n") did not start: see $(rabbit_dir "$n")/log"
  rctl "$n" await_startup --timeout 120
}

rabbit_stop() {
  local n p
  for n in "${NODES[@]}"; do
    p=$(rabbit_pid "$n")
    [ -n "$p" ] || continue
    step "Stopping RabbitMQ node $(node "$n") (pid $p)"
    kill -CONT "$p" 2>/dev/null || true
    # `stop PIDFILE` returns once that process has exited. A node that does not answer is killed.
    if ! timeout 60 rabbitmqctl -q -n "$(node "$n")" stop "$(rabbit_dir "$n")/rabbit.pid" >/dev/null 2>&1; then
      info "$(node "$n") did not stop: SIGKILL"
      kill -9 "$p" 2>/dev/null || true
    fi
  done
  # epmd was started by the first Erlang node; stop it too when no node is left on it.
  if command -v epmd >/dev/null 2>&1 && [ -z "$(epmd -names 2>/dev/null | grep '^name ' || true)" ]; then
    epmd -kill >/dev/null 2>&1 || true
  fi
}

# ---- both ----------------------------------------------------------------------------------

cluster_ports() {
  local n
  for n in "${NODES[@]}"; do
    printf '%s\n' "$(kafka_port "$n")" "$(kafka_controller_port "$n")" "$(amqp_port "$n")" "$(dist_port "$n")"
  done
}

status() {
  local n rc=0 p
  echo "Kafka cluster ($KAFKA_VERSION, KRaft; bootstrap $(kafka_bootstrap)):"
  for n in "${NODES[@]}"; do
    if kafka_running "$n"; then
      p=$(kafka_pid "$n")
      if [ "$(ps -o state= -p "$p" 2>/dev/null)" = T ]; then
        echo "  node $n: paused (SIGSTOP), pid $p, 127.0.0.1:$(kafka_port "$n")"
      else
        echo "  node $n: running, pid $p, 127.0.0.1:$(kafka_port "$n")"
      fi
    else
      echo "  node $n: not running"; rc=1
    fi
  done
  echo "RabbitMQ cluster:"
  for n in "${NODES[@]}"; do
    if rabbit_running "$n"; then
      echo "  $(node "$n"): running, pid $(rabbit_pid "$n"), amqp://127.0.0.1:$(amqp_port "$n")"
    else
      echo "  $(node "$n"): not running"; rc=1
    fi
  done
  if rabbit_running 1; then
    echo "  members running: $(rctl 1 cluster_status --formatter json | python3 -c 'import json,sys; print(" ".join(json.load(sys.stdin)["running_nodes"]))')"
  fi
  if command -v ss >/dev/null 2>&1; then
    echo "Listening (should all be 127.0.0.1):"
    ss -ltnH | awk '{print $4}' | grep -E ":($(cluster_ports | paste -sd'|'))$" | sort -t: -k2 -n | sed 's/^/  /' || echo "  nothing"
  fi
  return $rc
}

down() {
  kafka_stop
  rabbit_stop
  local port left=()
  for port in $(cluster_ports); do
    port_open "$port" && left+=("$port")
  done
  [ ${#left[@]} -eq 0 ] || die "still listening after cluster-down: ${left[*]}"
  info "Both clusters are stopped; none of their ports listens"
}

# ---- Docker ----------------------------------------------------------------------------------

SERVICES=(kafka1 kafka2 kafka3 rc1 rc2 rc3)
compose() { docker compose -f "$REPO_ROOT/docker/compose.yaml" --profile cluster "$@"; }
service() { if [ "$1" = kafka ]; then echo "kafka$2"; else echo "rc$2"; fi; }
# The first Kafka node that runs, for the tools.
running_kafka_service() {
  local n
  for n in "${NODES[@]}"; do
    if [ -n "$(compose ps --status running -q "kafka$n" 2>/dev/null)" ]; then echo "kafka$n"; return 0; fi
  done
  die "no Kafka node of the cluster runs: just cluster-up"
}

docker_fault() {
  local action=$1 kind=$2 n=$3 name
  name=$(service "$kind" "$n")
  case "$action" in
    kill) step "SIGKILL $name"; compose kill -s SIGKILL "$name" >/dev/null ;;
    pause) step "Pausing $name (SIGSTOP: docker pause freezes it the same way)"; compose pause "$name" >/dev/null ;;
    resume) step "Resuming $name"; compose unpause "$name" >/dev/null ;;
    start) step "Starting $name again"; compose up -d --wait "$name" >/dev/null ;;
  esac
}

# ---- faults, natively ----------------------------------------------------------------------

native_fault() {
  local action=$1 kind=$2 n=$3 pid what
  if [ "$kind" = kafka ]; then pid=$(kafka_pid "$n"); what="Kafka node $n"; else pid=$(rabbit_pid "$n"); what=$(node "$n"); fi
  if [ "$action" = start ]; then
    if [ "$kind" = kafka ]; then kafka_start_one "$n"; else rabbit_start_one "$n"; fi
    return
  fi
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || die "$what is not running"
  case "$action" in
    kill) step "SIGKILL $what (pid $pid)"; kill -KILL "$pid" ;;
    pause) step "SIGSTOP $what (pid $pid)"; kill -STOP "$pid" ;;
    resume) step "SIGCONT $what (pid $pid)"; kill -CONT "$pid" ;;
  esac
}

fault() {
  local action=$1 kind=${2:-} n=${3:-}
  case "$kind" in kafka | rabbit) ;; *) die "usage: cluster.sh $action kafka|rabbit N" ;; esac
  case "$n" in 1 | 2 | 3) ;; *) die "the node is 1, 2 or 3, not '$n'" ;; esac
  if use_docker; then docker_fault "$action" "$kind" "$n"; else native_fault "$action" "$kind" "$n"; fi
}

ensure_env_file
load_env
case "${1:-}" in
  up)
    if use_docker; then
      step "A Docker engine answers: starting the lab's clusters (compose profile 'cluster')"
      compose up -d --wait "${SERVICES[@]}"
    else
      kafka_up; rabbit_up; status
    fi
    ;;
  down)
    if use_docker; then compose rm --stop --force "${SERVICES[@]}"; else down; fi
    ;;
  status)
    if use_docker; then compose ps "${SERVICES[@]}"; else status; fi
    ;;
  bootstrap) kafka_bootstrap ;;
  kill | pause | resume | start) fault "$@" ;;
  kafka-topics)
    shift
    if use_docker; then
      compose exec -T "$(running_kafka_service)" /opt/kafka/bin/kafka-topics.sh --bootstrap-server localhost:19090 "$@"
    else
      "$REPO_ROOT/scripts/kafka-native.sh" run-class org.apache.kafka.tools.TopicCommand --bootstrap-server "$(kafka_live_bootstrap)" "$@"
    fi
    ;;
  rabbitmqctl)
    n=${2:?node 1, 2 or 3}
    shift 2
    if use_docker; then compose exec -T "rc$n" rabbitmqctl -q "$@"; else rctl "$n" "$@"; fi
    ;;
  *) echo "usage: $0 up|down|status|bootstrap|kill|pause|resume|start kafka|rabbit N|kafka-topics ARGS|rabbitmqctl N ARGS" >&2; exit 2 ;;
esac
