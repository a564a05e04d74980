#!/usr/bin/env bash
# Apache Kafka 4.4 (and, through scripts/kafka3.sh, Kafka 3.9) without Docker and without the release tarball: the jars come from Maven
# Central, and one JVM runs a combined broker + controller in KRaft mode (no ZooKeeper).
#   scripts/kafka-native.sh start|stop|restart|status|fetch|run-class CLASS ARGS...
# `start` is idempotent: it fetches, formats and starts only what is missing.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

# Kafka 4's broker needs Java 17 (KIP-750); 3.9 runs on Java 11.
check_java() {
  local need=11
  [ "${KAFKA_VERSION%%.*}" -ge 4 ] 2>/dev/null && need=17
  command -v java >/dev/null 2>&1 || die "Java is not installed; Kafka $KAFKA_VERSION needs Java $need or newer (Debian: apt-get install openjdk-17-jre-headless)"
  local version major
  version=$(java -version 2>&1 | sed -n 's/.*version "\([^"]*\)".*/\1/p' | head -n 1)
  major=${version%%.*}
  [ "$major" = 1 ] && major=$(echo "$version" | cut -d. -f2)
  [ "${major:-0}" -ge "$need" ] 2>/dev/null || die "Kafka $KAFKA_VERSION needs Java $need or newer, found '$version'"
}

fetch() {
  # The marker is written last, so an interrupted download is simply redone.
  if [ -f "$KAFKA_LIBS/.complete" ]; then
    return 0
  fi
  command -v mvn >/dev/null 2>&1 || die "Maven is needed once to fetch Kafka's jars (Debian: apt-get install maven)"
  step "Fetching Apache Kafka $KAFKA_VERSION and its runtime dependencies from Maven Central (first run only)"
  info "into $KAFKA_LIBS"
  rm -rf "$KAFKA_LIBS"
  mkdir -p "$KAFKA_LIBS"
  # -B: no colours; --no-transfer-progress keeps the output to one line per artifact resolved.
  mvn -B --no-transfer-progress -f "$REPO_ROOT/scripts/kafka/pom.xml" \
    -Dkafka.version="$KAFKA_VERSION" \
    dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$KAFKA_LIBS" \
    | grep -E 'Copying|BUILD|ERROR' | sed 's/^/    /' || true
  [ -f "$KAFKA_LIBS/kafka_2.13-$KAFKA_VERSION.jar" ] || die "Maven did not fetch kafka_2.13-$KAFKA_VERSION.jar"
  info "$(find "$KAFKA_LIBS" -name '*.jar' | wc -l) jars, $(du -sh "$KAFKA_LIBS" | cut -f1)"
  touch "$KAFKA_LIBS/.complete"
}

# Run a Kafka main class on the broker's classpath: the broker, StorageTool, TopicCommand, the perf tools.
run_class() {
  local class=$1
  shift
  # Kafka 3.9 logs through log4j 1 (reload4j); Kafka 4's tools also use log4j 2: each gets its file.
  java -Xmx256m -Dlog4j.configuration="file:$KAFKA_CONF/tools-log4j.properties" \
    -Dlog4j2.configurationFile="$KAFKA_CONF/tools-log4j2.properties" -cp "$KAFKA_LIBS/*" "$class" "$@"
}

write_config() {
  mkdir -p "$KAFKA_CONF" "$KAFKA_LOG_DIR" "$KAFKA_DATA"
  {
    echo "# Written by mq-tutorial-rs scripts/kafka-native.sh from docker/kafka.env (shared with"
    echo "# docker/compose.yaml), plus this machine's addresses and data folder."
    echo "listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT"
    echo "advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT"
    echo "controller.quorum.voters=1@127.0.0.1:$KAFKA_CONTROLLER_PORT"
    echo "log.dirs=$KAFKA_DATA"
    kafka_env_to_properties <"$REPO_ROOT/docker/kafka.env"
  } >"$KAFKA_CONF/server.properties"
  cat >"$KAFKA_CONF/log4j.properties" <<CONF
log4j.rootLogger=INFO, kafkaAppender
log4j.appender.kafkaAppender=org.apache.log4j.RollingFileAppender
log4j.appender.kafkaAppender.File=$KAFKA_LOG_DIR/kafka-server.log
log4j.appender.kafkaAppender.MaxFileSize=20MB
log4j.appender.kafkaAppender.MaxBackupIndex=2
log4j.appender.kafkaAppender.layout=org.apache.log4j.PatternLayout
log4j.appender.kafkaAppender.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka.request.logger=WARN
log4j.logger.state.change.logger=WARN
CONF
  cat >"$KAFKA_CONF/tools-log4j.properties" <<'CONF'
log4j.rootLogger=WARN, stderr
log4j.appender.stderr=org.apache.log4j.ConsoleAppender
log4j.appender.stderr.layout=org.apache.log4j.PatternLayout
log4j.appender.stderr.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.appender.stderr.Target=System.err
CONF
  cat >"$KAFKA_CONF/tools-log4j2.properties" <<'CONF'
rootLogger.level = warn
rootLogger.appenderRef.stderr.ref = stderr
appender.stderr.type = Console
appender.stderr.name = stderr
appender.stderr.target = SYSTEM_ERR
appender.stderr.layout.type = PatternLayout
appender.stderr.layout.pattern = [%d] %p %m (%c)%n
CONF
}

format_storage() {
  if [ -f "$KAFKA_DATA/meta.properties" ]; then
    return 0
  fi
  step "Formatting KRaft storage in $KAFKA_DATA (first run only)"
  local cluster_id
  cluster_id=$(run_class kafka.tools.StorageTool random-uuid)
  run_class kafka.tools.StorageTool format -t "$cluster_id" -c "$KAFKA_CONF/server.properties" --ignore-formatted | sed 's/^/    /'
}

# The broker's pid, only if that process is still the broker started with this config.
pid() { owned_pid "$KAFKA_PID_FILE" "kafka.Kafka $KAFKA_CONF/server.properties"; }
running() { [ -n "$(pid)" ]; }

# The broker opens its port before it can serve requests; the log line marks the end of startup.
ready() {
  port_open "$KAFKA_PORT" && grep -q "Kafka Server started" "$KAFKA_LOG_DIR/kafka-server.log" 2>/dev/null
}

start() {
  check_java
  fetch
  write_config
  format_storage
  if running; then
    if [ "$(cat "$KAFKA_DATA_FILE" 2>/dev/null)" = "$KAFKA_DATA" ]; then
      info "Kafka is already running (pid $(pid))"
      return 0
    fi
    # KAFKA_DATA points elsewhere (e.g. a fresh folder, to see what a first run sees).
    info "Kafka is running on $(cat "$KAFKA_DATA_FILE" 2>/dev/null || echo 'another data folder'); restarting it on $KAFKA_DATA"
    stop
  fi
  if port_open "$KAFKA_PORT"; then
    die "something else is listening on 127.0.0.1:$KAFKA_PORT; stop it first (a Docker Kafka? try: just down)"
  fi
  step "Starting Kafka $KAFKA_VERSION (KRaft, 127.0.0.1:$KAFKA_PORT)"
  # Truncate the log so that `ready` sees this start's "started" line, not the previous one.
  : >"$KAFKA_LOG_DIR/kafka-server.log"
  # setsid: the broker outlives this script and the terminal; its pid goes into a pid file that
  # `stop` uses, so nothing is ever killed by name.
  # preferIPv4Stack: bind a plain IPv4 socket, so `ss` shows 127.0.0.1 rather than ::ffff:127.0.0.1.
  setsid java -Xms512m -Xmx512m -server -XX:+UseG1GC -Djava.awt.headless=true -Djava.net.preferIPv4Stack=true \
    -Dlog4j.configuration="file:$KAFKA_CONF/log4j.properties" -Dkafka.logs.dir="$KAFKA_LOG_DIR" \
    -cp "$KAFKA_LIBS/*" kafka.Kafka "$KAFKA_CONF/server.properties" \
    >"$KAFKA_LOG_DIR/kafka-stdout.log" 2>&1 </dev/null &
  echo $! >"$KAFKA_PID_FILE"
  echo "$KAFKA_DATA" >"$KAFKA_DATA_FILE"
  if ! wait_for "Kafka to answer on 127.0.0.1:$KAFKA_PORT" 120 ready; then
    tail -n 20 "$KAFKA_LOG_DIR/kafka-stdout.log" "$KAFKA_LOG_DIR/kafka-server.log" >&2 || true
    die "Kafka did not start: see $KAFKA_LOG_DIR"
  fi
}

stop() {
  if ! running; then
    info "Kafka is not running"
    rm -f "$KAFKA_PID_FILE"
    return 0
  fi
  local p waited=0
  p=$(pid)
  step "Stopping Kafka (pid $p)"
  # SIGTERM makes the broker shut down cleanly (it flushes and closes its logs).
  kill "$p"
  printf '    waiting for Kafka to exit '
  while kill -0 "$p" 2>/dev/null; do
    if [ "$waited" -ge 60 ]; then
      printf ' still running after 60s, sending SIGKILL\n'
      kill -9 "$p" 2>/dev/null || true
      break
    fi
    printf '.'
    sleep 1
    waited=$((waited + 1))
  done
  printf ' ok\n'
  rm -f "$KAFKA_PID_FILE"
}

status() {
  if running; then
    echo "Kafka $KAFKA_VERSION: running (native KRaft, pid $(pid))"
    echo "  bootstrap:  127.0.0.1:$KAFKA_PORT"
    echo "  log:        $KAFKA_LOG_DIR/kafka-server.log"
  else
    echo "Kafka $KAFKA_VERSION: not running (start it with: ${KAFKA_START_HINT:-just up})"
    return 1
  fi
}

case "${1:-}" in
  fetch) check_java; fetch ;;
  start) start ;;
  stop) stop ;;
  restart) stop; start ;;
  status) status ;;
  run-class) shift; check_java; fetch; write_config; run_class "$@" ;;
  *) echo "usage: $0 start|stop|restart|status|fetch|run-class CLASS ARGS..." >&2; exit 2 ;;
esac
