#!/usr/bin/env bash
# RabbitMQ without Docker: Debian's rabbitmq-server, listening on 127.0.0.1 only.
#   scripts/rabbitmq-native.sh start|stop|restart|status|install
# `start` is idempotent: it installs, configures and starts only what is missing.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

# rabbitmqctl and friends find the node through /etc/rabbitmq/rabbitmq-env.conf (written below).
ctl() { as_root rabbitmqctl -q "$@"; }

running() { as_root rabbitmq-diagnostics -q ping >/dev/null 2>&1; }

install() {
  if command -v rabbitmq-server >/dev/null 2>&1; then
    check_version
    return 0
  fi
  step "Installing Debian's rabbitmq-server (first run only, about a minute)"
  # Debian's package would try to start the service under systemd; we start it ourselves.
  as_root apt-get update -q
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends rabbitmq-server
  check_version
}

# docker/brokers.env names the version that Docker runs; say so when Debian's differs.
check_version() {
  local installed
  installed=$(dpkg-query -W -f='${Version}' rabbitmq-server 2>/dev/null || echo unknown)
  case "$installed" in
    "$RABBITMQ_VERSION"*) ;;
    *) info "note: Debian's rabbitmq-server is $installed; docker/brokers.env says $RABBITMQ_VERSION" ;;
  esac
}

configure() {
  local env_conf=/etc/rabbitmq/rabbitmq-env.conf conf=/etc/rabbitmq/rabbitmq.conf
  local want_env want_conf
  # A fixed node name (no dependence on the machine's hostname) and every Erlang listener on
  # loopback: epmd, the inter-node distribution port, AMQP and the management UI.
  want_env=$(cat <<CONF
# Written by mq-tutorial-rs scripts/rabbitmq-native.sh
NODENAME=rabbit@localhost
NODE_IP_ADDRESS=127.0.0.1
NODE_PORT=$AMQP_PORT
export ERL_EPMD_ADDRESS=127.0.0.1
SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
CTL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
CONF
)
  # The listeners are this machine's; the rest is docker/rabbitmq.conf, shared with compose.
  want_conf=$(printf '%s\n' "# Written by mq-tutorial-rs scripts/rabbitmq-native.sh" \
    "listeners.tcp.default = 127.0.0.1:$AMQP_PORT" \
    "management.tcp.ip = 127.0.0.1" \
    "management.tcp.port = $RABBITMQ_MANAGEMENT_PORT"
    cat "$REPO_ROOT/docker/rabbitmq.conf")
  if [ "$(cat "$env_conf" 2>/dev/null)" != "$want_env" ] || [ "$(cat "$conf" 2>/dev/null)" != "$want_conf" ]; then
    step "Configuring RabbitMQ to listen on 127.0.0.1 only"
    printf '%s\n' "$want_env" | as_root tee "$env_conf" >/dev/null
    printf '%s\n' "$want_conf" | as_root tee "$conf" >/dev/null
  fi
  if ! grep -q rabbitmq_management /etc/rabbitmq/enabled_plugins 2>/dev/null; then
    step "Enabling the management plugin (web UI on http://127.0.0.1:$RABBITMQ_MANAGEMENT_PORT)"
    as_root rabbitmq-plugins --offline -q enable rabbitmq_management
  fi
}

start() {
  install
  configure
  if running; then
    info "RabbitMQ is already running"
    return 0
  fi
  step "Starting RabbitMQ"
  # The Debian wrapper drops to the rabbitmq user; -detached returns at once.
  as_root rabbitmq-server -detached
  wait_for "RabbitMQ to answer" 120 running || die "RabbitMQ did not start: see $RABBITMQ_LOG_DIR (just logs)"
  # `ping` answers once the Erlang node is up; await_startup waits for the broker application
  # itself (queues, listeners, plugins) to finish booting.
  ctl await_startup --timeout 120
  wait_for "AMQP on 127.0.0.1:$AMQP_PORT" 60 port_open "$AMQP_PORT" || die "RabbitMQ is up but not listening on $AMQP_PORT"
}

stop() {
  if ! running; then
    info "RabbitMQ is not running"
    return 0
  fi
  step "Stopping RabbitMQ"
  ctl stop
}

status() {
  if running; then
    local version
    version=$(as_root rabbitmq-diagnostics -q server_version 2>/dev/null || echo "?")
    echo "RabbitMQ $version: running (native, node $RABBITMQ_NODE)"
    echo "  AMQP:       amqp://127.0.0.1:$AMQP_PORT"
    echo "  management: http://127.0.0.1:$RABBITMQ_MANAGEMENT_PORT"
    echo "  log:        $RABBITMQ_LOG_DIR"
  else
    echo "RabbitMQ: not running (start it with: just up)"
    return 1
  fi
}

case "${1:-}" in
  install) install ;;
  start) start; setup_user ctl ;;
  stop) stop ;;
  restart) stop; start ;;
  status) status ;;
  *) echo "usage: $0 start|stop|restart|status|install" >&2; exit 2 ;;
esac
