# Shared by the scripts in this folder: where things live, and how to print progress.
# Sourced, not run.

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# Everything the native setup downloads or writes (Kafka's jars, its data, pid files and logs)
# lives outside the work tree, so `git clean` and a fresh clone never throw the cache away.
MQ_HOME="${MQ_HOME:-${XDG_CACHE_HOME:-$HOME/.cache}/mq-tutorial-rs}"
KAFKA_CONF="$MQ_HOME/kafka-config"
KAFKA_LOG_DIR="$MQ_HOME/logs"
KAFKA_PID_FILE="$MQ_HOME/kafka.pid"
KAFKA_DATA_FILE="$MQ_HOME/kafka.data-dir" # which KAFKA_DATA the running broker uses

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

# owned_pid FILE PATTERN: the pid in FILE if that process is alive and its command line holds
# PATTERN, or one of its environment variables is PATTERN (NAME=VALUE: an Erlang VM's command
# line does not name its RabbitMQ node), so that it is the process these scripts started and
# not one that got the same pid later (pid files outlive a reboot). A pid file that names
# anything else is stale: it is removed, with a note on stderr. Prints nothing when there is
# no such process.
owned_pid() {
  local file=$1 pattern=$2 p
  # A broker's own files may be readable by root alone (the cluster's RabbitMQ nodes).
  p=$(cat "$file" 2>/dev/null || as_root cat "$file" 2>/dev/null) || return 0
  [ -n "$p" ] || return 0
  # Read whole, then matched: `… | grep -q` would stop reading at the first match, and with
  # pipefail the writer's SIGPIPE would make a match look like none.
  local cmdline environ
  cmdline=$(tr '\0' ' ' 2>/dev/null <"/proc/$p/cmdline") || cmdline=""
  if [ -n "$cmdline" ]; then
    environ=$(as_root cat "/proc/$p/environ" 2>/dev/null | tr '\0' '\n') || environ=""
    if [[ "$cmdline" == *"$pattern"* || $'\n'"$environ"$'\n' == *$'\n'"$pattern"$'\n'* ]]; then
      echo "$p"
      return 0
    fi
  fi
  if kill -0 "$p" 2>/dev/null; then
    info "$file names pid $p, which is another program now: leaving it alone, removing the stale pid file" >&2
  else
    info "$file names pid $p, which has ended: removing the stale pid file" >&2
  fi
  rm -f "$file" 2>/dev/null || as_root rm -f "$file"
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

# env_file FILE: export each KEY=VALUE line of FILE. As in the binaries (dotenvy), a variable
# already set in the environment wins, so that `KAFKA_DATA=/tmp/fresh just up` means what it
# says. The values are plain: no quotes, no `$`.
env_file() {
  local key value
  [ -f "$1" ] || return 0
  while IFS='=' read -r key value; do
    case "$key" in '' | \#*) continue ;; esac
    [ -n "${!key+set}" ] || export "$key=$value"
  done <"$1"
}

# .env from .env.example, with a random password for the tutorial user (first run only).
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

# Load .env (created by `just up` from .env.example): the one place where the scripts read it.
load_env() { env_file "$REPO_ROOT/.env"; }

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

# The brokers' versions and ports (KAFKA_VERSION, KAFKA_PORT, ...), and the user's .env.
env_file "$REPO_ROOT/docker/brokers.env"
load_env
KAFKA_HOME="$MQ_HOME/kafka-$KAFKA_VERSION"
KAFKA_LIBS="$KAFKA_HOME/libs"
# Kafka's data (topics, offsets) apart from the jars: point KAFKA_DATA at an empty folder to get
# a freshly formatted broker, as on a first run, without downloading anything again.
KAFKA_DATA="${KAFKA_DATA:-$MQ_HOME/kafka-data}"

# The apache/kafka image's environment form back to properties: drop KAFKA_, lower-case,
# `___` is `-`, `__` is `_` and `_` is `.` (KAFKA_NUM_PARTITIONS=3 is num.partitions=3).
kafka_env_to_properties() {
  local key value
  while IFS='=' read -r key value; do
    case "$key" in KAFKA_*) ;; *) continue ;; esac
    key=${key#KAFKA_}
    key=${key,,}
    key=${key//___/-}
    key=${key//__/$'\x01'}
    key=${key//_/.}
    key=${key//$'\x01'/_}
    printf '%s=%s\n' "$key" "$value"
  done
}

# Chapter 1.2③ of the tutorial creates a vhost and a user in the web UI; this is the same thing
# from the command line. The user may use its own vhost and nothing else.
#   setup_user CTL: CTL is the function that runs the node's rabbitmqctl.
setup_user() {
  local ctl=$1
  load_env
  local vhost=${RABBITMQ_VHOST:?RABBITMQ_VHOST missing from .env} user=${RABBITMQ_USER:?RABBITMQ_USER missing from .env}
  local password=${RABBITMQ_PASSWORD:?RABBITMQ_PASSWORD missing from .env}
  if ! "$ctl" list_vhosts --no-table-headers name | grep -x -- "$vhost" >/dev/null; then
    step "Creating vhost '$vhost'"
    "$ctl" add_vhost "$vhost"
  fi
  if ! "$ctl" list_users --no-table-headers | cut -f1 | grep -x -- "$user" >/dev/null; then
    step "Creating user '$user'"
    # The password goes through stdin, never onto a command line where `ps` would show it.
    printf '%s\n' "$password" | "$ctl" add_user "$user" >/dev/null
    "$ctl" set_user_tags "$user" management
  elif ! printf '%s\n' "$password" | "$ctl" authenticate_user "$user" >/dev/null 2>&1; then
    step "Updating the password of user '$user' to the one in .env"
    printf '%s\n' "$password" | "$ctl" change_password "$user" >/dev/null
  fi
  if ! "$ctl" list_user_permissions --no-table-headers "$user" | cut -f1 | grep -x -- "$vhost" >/dev/null; then
    step "Granting '$user' configure/write/read on vhost '$vhost' only"
    "$ctl" set_permissions -p "$vhost" "$user" '.*' '.*' '.*'
  fi
}

# cargo_build LABEL PACKAGE...: build those packages' binaries, showing one line for the step
# (a dot per crate compiled) instead of cargo's page of output; on failure, cargo's output.
# MQ_VERBOSE=1 (`just demo --verbose`) shows cargo's own output instead.
cargo_build() {
  local label=$1 started=$SECONDS log package args=()
  shift
  for package in "$@"; do args+=(-p "$package"); done
  if [ "${MQ_VERBOSE:-}" = 1 ]; then
    cargo build --bins "${args[@]}"
    return
  fi
  log=$(mktemp)
  printf '    building %s ' "$label"
  if cargo build --bins "${args[@]}" 2>&1 | tee "$log" | awk '/^ *Compiling / { printf "."; fflush() }'; then
    local crates
    crates=$(grep -c '^ *Compiling ' "$log" || true)
    if [ "$crates" -eq 0 ]; then
      printf ' up to date\n'
    else
      printf ' ok (%d crate%s, %ss)\n' "$crates" "$([ "$crates" -eq 1 ] || echo s)" "$((SECONDS - started))"
    fi
    rm -f "$log"
  else
    printf ' failed:\n'
    cat "$log"
    rm -f "$log"
    return 1
  fi
}
