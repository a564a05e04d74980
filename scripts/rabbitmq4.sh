#!/usr/bin/env bash
# RabbitMQ 4 next to the tutorial's RabbitMQ 3.10, without Docker: Debian 13's own
# rabbitmq-server (4.0.x on Erlang 27; Debian 12 has no Erlang new enough), run from a Debian 13
# root that debootstrap makes from Debian's packages. The root is cached under
# $MQ_HOME/rabbitmq4, the node is rabbit4@localhost, and everything it opens listens on
# 127.0.0.1. Its rabbitmq.conf denies what RabbitMQ 4.3 denies by default (docker/rabbitmq4.conf).
#   scripts/rabbitmq4.sh start|stop|restart|status|install
#   scripts/rabbitmq4.sh exec COMMAND...   (COMMAND with AMQP_URL pointing at RabbitMQ 4)
#   scripts/rabbitmq4.sh import-users [TAG] < "USER VHOST PASSWORD" lines;  delete-users < "USER VHOST" lines
# `start` is idempotent: it makes, configures and starts only what is missing.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

ROOT="$MQ_HOME/rabbitmq4/root"
NODE="rabbit4@localhost"
SUITE=trixie # Debian 13

in_root() { as_root chroot "$ROOT" "$@"; }
ctl() { in_root rabbitmqctl -q -n "$NODE" "$@"; }
running() { [ -x "$ROOT/usr/sbin/rabbitmqctl" ] && in_root rabbitmq-diagnostics -q -n "$NODE" ping >/dev/null 2>&1; }

# The Debian mirror this machine already uses (deb822 or one-line sources), else Debian's own.
mirror() {
  local url
  url=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/*.sources 2>/dev/null | grep -m1 debian || true)
  [ -n "$url" ] || url=$(awk '/^deb / && $2 ~ /debian\/?$/ {print $2; exit}' /etc/apt/sources.list 2>/dev/null || true)
  echo "${url:-http://deb.debian.org/debian}"
}

# Unmounts whatever is mounted under a root (proc, and what a failed debootstrap left).
unmount_all() {
  local m
  for m in dev/pts sys proc; do
    if mountpoint -q "$1/$m" 2>/dev/null; then as_root umount -l "$1/$m"; fi
  done
}

install() {
  if [ -x "$ROOT/usr/sbin/rabbitmq-server" ]; then
    check_version
    return 0
  fi
  if ! command -v debootstrap >/dev/null 2>&1; then
    step "Installing debootstrap (first run only)"
    as_root apt-get update -q
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends debootstrap debian-archive-keyring
  fi
  local partial="$ROOT.partial" log="$MQ_HOME/rabbitmq4/debootstrap.log" url
  url=$(mirror)
  step "Making a Debian 13 root with its rabbitmq-server (first run only, about 80 s, 370 MB)"
  info "from $url into $ROOT"
  mkdir -p "$MQ_HOME/rabbitmq4"
  # An interrupted run left a partial root: start it again (never following a mount out of it).
  unmount_all "$partial"
  as_root rm -rf --one-file-system "$partial"
  # One line per phase with a dot per package, instead of debootstrap's lines per package.
  if ! as_root debootstrap --variant=minbase --include=rabbitmq-server "$SUITE" "$partial" "$url" 2>&1 |
    tee "$log" | awk '
      /^I: (Retrieving|Validating) / { phase = "downloading" }
      /^I: (Extracting|Unpacking|Installing|Configuring) / { phase = "installing" }
      /^I: (Retrieving|Validating|Extracting|Unpacking|Installing|Configuring) / {
        if (phase != shown) { if (shown != "") printf "\n"; shown = phase; dots = 0; printf "    %-12s", phase }
        if ($2 != "Validating") { if (dots > 0 && dots % 60 == 0) printf "\n%16s", ""; printf "."; dots++ }
        fflush()
      }
      END { printf "\n" }'; then
    unmount_all "$partial"
    die "debootstrap failed; its log: $log"
  fi
  unmount_all "$partial"
  [ -x "$partial/usr/sbin/rabbitmq-server" ] || die "debootstrap did not install rabbitmq-server; its log: $log"
  # The rename is the mark of a complete root.
  as_root mv "$partial" "$ROOT"
  check_version
}

# docker/brokers.env names the version Docker runs; say so when Debian 13's differs.
check_version() {
  local installed
  installed=$(in_root dpkg-query -W -f='${Version}' rabbitmq-server 2>/dev/null || echo unknown)
  case "$installed" in
    "$RABBITMQ4_VERSION"*) ;;
    *) info "note: Debian 13's rabbitmq-server is $installed; docker/brokers.env says $RABBITMQ4_VERSION" ;;
  esac
}

configure() {
  local env_conf="$ROOT/etc/rabbitmq/rabbitmq-env.conf" conf="$ROOT/etc/rabbitmq/rabbitmq.conf"
  local want_env want_conf
  # Its own node name and ports, so that it runs beside rabbit@localhost (they share the host's
  # epmd on 127.0.0.1:4369), and every Erlang listener on loopback: without the -kernel
  # argument the distribution port listens on 0.0.0.0.
  want_env=$(cat <<CONF
# Written by mq-tutorial-rs scripts/rabbitmq4.sh
NODENAME=$NODE
NODE_IP_ADDRESS=127.0.0.1
NODE_PORT=$RABBITMQ4_AMQP_PORT
DIST_PORT=$RABBITMQ4_DIST_PORT
export ERL_EPMD_ADDRESS=127.0.0.1
SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
CTL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
CONF
)
  # The listeners are this machine's; the rest is shared with compose: the tutorial's settings
  # (docker/rabbitmq.conf), then RabbitMQ 4.3's denials (docker/rabbitmq4.conf).
  # The stream listener too, with the host and port it tells clients to connect to.
  want_conf=$(printf '%s\n' "# Written by mq-tutorial-rs scripts/rabbitmq4.sh" \
    "listeners.tcp.default = 127.0.0.1:$RABBITMQ4_AMQP_PORT" \
    "management.tcp.ip = 127.0.0.1" \
    "management.tcp.port = $RABBITMQ4_MANAGEMENT_PORT" \
    "stream.listeners.tcp.1 = 127.0.0.1:$RABBITMQ4_STREAM_PORT" \
    "stream.advertised_host = 127.0.0.1" \
    "stream.advertised_port = $RABBITMQ4_STREAM_PORT"
    cat "$REPO_ROOT/docker/rabbitmq.conf" "$REPO_ROOT/docker/rabbitmq4.conf")
  local changed=0
  if [ "$(cat "$env_conf" 2>/dev/null)" != "$want_env" ] || [ "$(cat "$conf" 2>/dev/null)" != "$want_conf" ]; then
    step "Configuring RabbitMQ 4 (127.0.0.1 only; deprecated features denied as in 4.3)"
    printf '%s\n' "$want_env" | as_root tee "$env_conf" >/dev/null
    printf '%s\n' "$want_conf" | as_root tee "$conf" >/dev/null
    changed=1
  fi
  if ! grep -q rabbitmq_management "$ROOT/etc/rabbitmq/enabled_plugins" 2>/dev/null; then
    step "Enabling the management plugin (web UI on http://127.0.0.1:$RABBITMQ4_MANAGEMENT_PORT)"
    in_root rabbitmq-plugins --offline -q enable rabbitmq_management
    changed=1
  fi
  if ! grep -q rabbitmq_stream "$ROOT/etc/rabbitmq/enabled_plugins" 2>/dev/null; then
    step "Enabling the stream plugin (stream protocol on 127.0.0.1:$RABBITMQ4_STREAM_PORT)"
    in_root rabbitmq-plugins --offline -q enable rabbitmq_stream
    changed=1
  fi
  # A node reads its configuration and plugins when it boots: one that runs gets them now.
  if [ "$changed" = 1 ] && running; then
    step "Restarting RabbitMQ 4 to apply its new configuration"
    ctl shutdown
  fi
}

# The UID and GID the root's rabbitmq account should have: the host's rabbitmq account's, so
# that `ps` names the node truthfully; without one, the first pair from 999 down that no
# account or group has, on the host or in the root.
wanted_ids() {
  if id rabbitmq >/dev/null 2>&1; then
    echo "$(id -u rabbitmq) $(id -g rabbitmq)"
    return 0
  fi
  local n
  for n in $(seq 999 -1 200); do
    if ! getent passwd "$n" >/dev/null && ! getent group "$n" >/dev/null &&
      ! awk -F: -v n="$n" '$3 == n { found = 1 } END { exit !found }' "$ROOT/etc/passwd" "$ROOT/etc/group"; then
      echo "$n $n"
      return 0
    fi
  done
  die "no free UID between 200 and 999 for RabbitMQ 4's account"
}

# Debian 13's package gives its rabbitmq account the next free system UID of the root (101),
# which on the host may be anyone's (postgres, here): the node would run as that account and
# could signal its processes. The root's account is moved to the host's rabbitmq UID and GID,
# and the root's files follow it. Idempotent; a running node is stopped first.
align_account() {
  local ids uid gid old_uid old_gid
  ids=$(wanted_ids)
  uid=${ids% *} gid=${ids#* }
  old_uid=$(awk -F: '$1 == "rabbitmq" { print $3 }' "$ROOT/etc/passwd")
  old_gid=$(awk -F: '$1 == "rabbitmq" { print $3 }' "$ROOT/etc/group")
  [ -n "$old_uid" ] && [ -n "$old_gid" ] || die "the root at $ROOT has no rabbitmq account: remove it and run this again"
  [ "$old_uid" = "$uid" ] && [ "$old_gid" = "$gid" ] && return 0
  # Another account or group of the root may not hold them already.
  if awk -F: -v u="$uid" '$1 != "rabbitmq" && $3 == u { found = 1 } END { exit !found }' "$ROOT/etc/passwd" ||
    awk -F: -v g="$gid" '$1 != "rabbitmq" && $3 == g { found = 1 } END { exit !found }' "$ROOT/etc/group"; then
    die "UID $uid or GID $gid is taken inside $ROOT; remove the root and run this again"
  fi
  if running; then
    step "Stopping RabbitMQ 4 to move it to the host's rabbitmq account"
    ctl shutdown
  fi
  step "Running RabbitMQ 4 as UID $uid, GID $gid (was $old_uid:$old_gid, which the host may give to another account)"
  as_root awk -F: -v OFS=: -v u="$uid" -v g="$gid" '$1 == "rabbitmq" { $3 = u; $4 = g } { print }' "$ROOT/etc/passwd" |
    as_root tee "$ROOT/etc/passwd.new" >/dev/null
  as_root awk -F: -v OFS=: -v g="$gid" '$1 == "rabbitmq" { $3 = g } { print }' "$ROOT/etc/group" |
    as_root tee "$ROOT/etc/group.new" >/dev/null
  as_root chmod 644 "$ROOT/etc/passwd.new" "$ROOT/etc/group.new"
  as_root mv "$ROOT/etc/passwd.new" "$ROOT/etc/passwd"
  as_root mv "$ROOT/etc/group.new" "$ROOT/etc/group"
  # Never through a mount (the root's /proc) and never following a link out of the root.
  as_root find "$ROOT" -xdev -uid "$old_uid" -exec chown -h "$uid" {} +
  as_root find "$ROOT" -xdev -gid "$old_gid" -exec chgrp -h "$gid" {} +
}

start() {
  install
  align_account
  configure
  if running; then
    info "RabbitMQ 4 is already running"
    return 0
  fi
  step "Starting RabbitMQ 4 (node $NODE)"
  # Erlang reads /proc; the root shares the host's network, so 127.0.0.1 is the host's.
  mountpoint -q "$ROOT/proc" || as_root mount -t proc proc "$ROOT/proc"
  # Debian's wrapper drops to the rabbitmq user; -detached returns at once.
  in_root env HOME=/var/lib/rabbitmq rabbitmq-server -detached
  wait_for "RabbitMQ 4 to answer" 120 running || die "RabbitMQ 4 did not start: see $ROOT/var/log/rabbitmq"
  ctl await_startup --timeout 120
  wait_for "AMQP on 127.0.0.1:$RABBITMQ4_AMQP_PORT" 60 port_open "$RABBITMQ4_AMQP_PORT" ||
    die "RabbitMQ 4 is up but not listening on $RABBITMQ4_AMQP_PORT"
  wait_for "streams on 127.0.0.1:$RABBITMQ4_STREAM_PORT" 60 port_open "$RABBITMQ4_STREAM_PORT" ||
    die "RabbitMQ 4 is up but its stream plugin does not listen on $RABBITMQ4_STREAM_PORT"
}

stop() {
  if ! running; then
    info "RabbitMQ 4 is not running"
  else
    step "Stopping RabbitMQ 4"
    # shutdown stops the node and returns once its Erlang VM has exited.
    ctl shutdown
  fi
  unmount_all "$ROOT"
}

status() {
  if running; then
    local version
    version=$(in_root rabbitmq-diagnostics -q -n "$NODE" server_version 2>/dev/null || echo "?")
    echo "RabbitMQ $version: running (native, Debian 13 root, node $NODE; 4.3's deprecated features denied)"
    echo "  AMQP:       amqp://127.0.0.1:$RABBITMQ4_AMQP_PORT (a chapter on it: just on-rabbitmq4 just rabbit-simple)"
    echo "  management: http://127.0.0.1:$RABBITMQ4_MANAGEMENT_PORT"
    echo "  streams:    127.0.0.1:$RABBITMQ4_STREAM_PORT (rabbitmq_stream; the Streams chapter: just rabbit-stream)"
    echo "  log:        $ROOT/var/log/rabbitmq"
  else
    echo "RabbitMQ 4: not running (start it with: just up-rabbitmq4)"
    return 1
  fi
}

# The tutorial's user and vhost, as on the main broker (setup_user in lib.sh), through
# import_users.
setup_user4() {
  load_env
  local vhost=${RABBITMQ_VHOST:?RABBITMQ_VHOST missing from .env} user=${RABBITMQ_USER:?RABBITMQ_USER missing from .env}
  local password=${RABBITMQ_PASSWORD:?RABBITMQ_PASSWORD missing from .env}
  local stamp="$MQ_HOME/rabbitmq4/user.stamp" want
  want=$(printf '%s\n' "$user" "$vhost" "$password" | sha256sum | cut -d' ' -f1)
  if [ "$(cat "$stamp" 2>/dev/null)" = "$want" ] && ctl list_users --no-table-headers | cut -f1 | grep -x -- "$user" >/dev/null; then
    return 0
  fi
  step "Creating user '$user' with rights on vhost '$vhost' only (from .env)"
  printf '%s %s %s\n' "$user" "$vhost" "$password" | import_users management
  echo "$want" >"$stamp"
}

# import_users [TAG]: a user per line of stdin, "USER VHOST PASSWORD", each with its vhost and
# every right there (and TAG), through an imported definitions file: this node's rabbitmqctl
# hangs when it reads a password from stdin, and a password on its command line would show in
# `ps`. The file holds salted SHA-256 hashes (RabbitMQ's own format), lives inside the root (or
# the container) for a moment, readable by rabbitmq alone. Users that exist get the password
# again. `just class-setup` gives its students to RabbitMQ 4 this way.
import_users() {
  local json
  json=$(TAG="${1:-}" python3 -c '
import base64, hashlib, json, os, sys
users, vhosts, permissions = [], [], []
tags = [os.environ["TAG"]] if os.environ["TAG"] else []
for line in sys.stdin:
    if not line.strip():
        continue
    user, vhost, password = line.split()
    salt = os.urandom(4)
    digest = hashlib.sha256(salt + password.encode()).digest()
    users.append({"name": user, "password_hash": base64.b64encode(salt + digest).decode(),
                  "hashing_algorithm": "rabbit_password_hashing_sha256", "tags": tags})
    vhosts.append({"name": vhost})
    permissions.append({"user": user, "vhost": vhost, "configure": ".*", "write": ".*", "read": ".*"})
print(json.dumps({"users": users, "vhosts": vhosts, "permissions": permissions}))')
  if use_docker; then
    printf '%s' "$json" | compose exec -T rabbitmq4 sh -c \
      'umask 077; f=/tmp/mq-tutorial-definitions.json; cat >"$f" && rabbitmqctl -q import_definitions "$f" >/dev/null; rc=$?; rm -f "$f"; exit $rc'
    return
  fi
  local file=/tmp/mq-tutorial-definitions.json
  as_root touch "$ROOT$file"
  as_root chmod 600 "$ROOT$file"
  in_root chown rabbitmq "$file"
  printf '%s' "$json" | as_root tee "$ROOT$file" >/dev/null
  local rc=0
  ctl import_definitions "$file" >/dev/null || rc=$?
  as_root rm -f "$ROOT$file"
  return $rc
}

# delete_users: the user and vhost of each line of stdin, "USER VHOST" (`just class-teardown`).
delete_users() {
  local user vhost
  # The lines come in on fd 3: rabbitmqctl reads stdin, and would swallow the rest of them.
  while read -r user vhost <&3; do
    [ -n "$user" ] || continue
    if use_docker; then
      compose exec -T rabbitmq4 rabbitmqctl -q delete_user "$user" >/dev/null 2>&1 || true
      compose exec -T rabbitmq4 rabbitmqctl -q delete_vhost "$vhost" >/dev/null 2>&1 || true
    else
      ctl delete_user "$user" >/dev/null 2>&1 || true
      ctl delete_vhost "$vhost" >/dev/null 2>&1 || true
    fi
  done 3<&0
}

# COMMAND with the tutorial's URL moved to RabbitMQ 4's port: the same user, password and vhost.
exec_on() {
  [ "$#" -gt 0 ] || die "usage: scripts/rabbitmq4.sh exec COMMAND [ARGS...]"
  : "${AMQP_URL:?AMQP_URL missing from .env: run just up}"
  local url="${AMQP_URL/@127.0.0.1:$AMQP_PORT\//@127.0.0.1:$RABBITMQ4_AMQP_PORT/}"
  [ "$url" != "$AMQP_URL" ] || die "AMQP_URL does not point at 127.0.0.1:$AMQP_PORT, so it cannot be moved to RabbitMQ 4's port; give the command --amqp-url amqp://USER:PASSWORD@127.0.0.1:$RABBITMQ4_AMQP_PORT/VHOST"
  export AMQP_URL="$url"
  export RABBITMQ_MANAGEMENT_PORT="$RABBITMQ4_MANAGEMENT_PORT"
  exec "$@"
}

# With Docker (where `just up` uses it): the rabbitmq4 service of docker/compose.yaml, which
# mounts the same two settings files and creates the same user and vhost.
compose() { docker compose -f "$REPO_ROOT/docker/compose.yaml" --profile rabbitmq4 "$@"; }
if use_docker; then
  case "${1:-}" in
    start) step "Starting RabbitMQ 4 with Docker (rabbitmq:$RABBITMQ4_VERSION-management)"; compose up -d --wait rabbitmq4; exit 0 ;;
    stop) compose stop rabbitmq4; exit 0 ;;
    restart) compose restart rabbitmq4; compose up -d --wait rabbitmq4; exit 0 ;;
    status) compose ps rabbitmq4; exit 0 ;;
    import-users) shift; import_users "$@"; exit ;;
    delete-users) delete_users; exit ;;
  esac
fi

case "${1:-}" in
  install) install ;;
  start) start; setup_user4 ;;
  stop) stop ;;
  restart) stop; start ;;
  status) status ;;
  exec) shift; exec_on "$@" ;;
  import-users) shift; running || die "RabbitMQ 4 is not running: just up-rabbitmq4"; import_users "$@" ;;
  delete-users) running || die "RabbitMQ 4 is not running: just up-rabbitmq4"; delete_users ;;
  *) echo "usage: $0 start|stop|restart|status|install|exec COMMAND...|import-users [TAG]|delete-users" >&2; exit 2 ;;
esac
