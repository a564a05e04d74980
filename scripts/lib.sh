# Shared by the scripts in this folder: where things live, and how to print progress.
# Sourced, not run.

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# Everything the native setup downloads or writes (Kafka's jars, its data, pid files and logs)
# lives outside the work tree, so `git clean` and a fresh clone never throw the cache away.
MQ_HOME="${MQ_HOME:-${XDG_CACHE_HOME:-$HOME/.cache}/mq-tutorial-rs}"
KAFKA_VERSION="3.9.2"
KAFKA_HOME="$MQ_HOME/kafka-$KAFKA_VERSION"
KAFKA_LIBS="$KAFKA_HOME/libs"
KAFKA_DATA="$MQ_HOME/kafka-data"
KAFKA_CONF="$MQ_HOME/kafka-config"
KAFKA_LOG_DIR="$MQ_HOME/logs"
KAFKA_PID_FILE="$MQ_HOME/kafka.pid"
KAFKA_PORT=9092
KAFKA_CONTROLLER_PORT=9093

RABBITMQ_NODE="rabbit@localhost"
RABBITMQ_LOG_DIR="/var/log/rabbitmq"

step() { printf '\033[1m==>\033[0m %s\n' "$*"; }
info() { printf '    %s\n' "$*"; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# Run as root, through sudo when we are not root already.
as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# Is something accepting TCP connections on 127.0.0.1:$1?
port_open() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# wait_for DESCRIPTION TIMEOUT_SECONDS COMMAND...: re-run COMMAND once a second until it succeeds,
# printing a dot per try so that a long wait never looks like a hang.
wait_for() {
  local what=$1 timeout=$2 waited=0
  shift 2
  printf '    waiting for %s ' "$what"
  until "$@" >/dev/null 2>&1; do
    if [ "$waited" -ge "$timeout" ]; then
      printf ' gave up after %ss\n' "$timeout"
      return 1
    fi
    printf '.'
    sleep 1
    waited=$((waited + 1))
  done
  printf ' ok (%ss)\n' "$waited"
}

# Load .env (created by `just up` from .env.example) into the environment.
load_env() {
  if [ -f "$REPO_ROOT/.env" ]; then
    set -a
    # shellcheck disable=SC1091
    . "$REPO_ROOT/.env"
    set +a
  fi
}

# `docker info` succeeds only where an engine answers; the docker client alone is not enough.
docker_engine() {
  command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1
}

# The Docker path is used where an engine answers, unless MQ_NATIVE=1 (in the environment or
# in .env) asks for the native one.
use_docker() {
  load_env
  [ "${MQ_NATIVE:-}" != 1 ] && docker_engine
}

# Are the brokers of docker/compose.yaml running?
docker_brokers_running() {
  use_docker && [ -n "$(docker compose -f "$REPO_ROOT/docker/compose.yaml" ps -q 2>/dev/null)" ]
}
