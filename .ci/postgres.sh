#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the storage tests, on 127.0.0.1 with trust auth.
#
#   bash .ci/postgres.sh      # then: postgresql://postgres@127.0.0.1:5432/postgres
#
# The port is 5432 ($SUARA_WARGA_PG_PORT), unless another server (a developer's own
# PostgreSQL, say) already listens there: then the cluster takes a free port. Either way
# the DSN is written to $ROOT/dsn, where the tests and the benchmarks read it.
#
# Installs Debian's `postgresql` when no server binaries are found, creates a cluster in
# $SUARA_WARGA_PG_DIR (default /tmp/suara-warga-postgres; initdb refuses root, so as root
# it runs as the `postgres` user), starts it and waits until it answers. Idempotent: if
# the server already answers at the DSN, it exits at once. The cluster trades durability
# for speed (fsync off): it is for tests only; never point it at data you want to keep.
#
# Under CI=true every failure fails the run. Elsewhere a failure prints one line and
# exits 0, so `make test` goes on and the PostgreSQL tests skip.
set -euo pipefail

ROOT=${SUARA_WARGA_PG_DIR:-/tmp/suara-warga-postgres}
DATA=$ROOT/data
# A cluster made earlier keeps the port it was given.
PORT=$(cat "$ROOT/port" 2>/dev/null || echo "${SUARA_WARGA_PG_PORT:-5432}")
dsn_for() { echo "postgresql://postgres@127.0.0.1:$1/postgres"; }
DSN=$(dsn_for "$PORT")
started=$SECONDS

give_up() {
    if [ "${CI:-}" = true ]; then
        echo ".ci/postgres.sh: $1" >&2
        exit 1
    fi
    echo "PostgreSQL not started ($1); the PostgreSQL tests will skip."
    exit 0
}

server_bin() {  # the newest installed server's bin directory, or nothing
    local dir
    dir=$(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
    if [ -x "$dir/initdb" ]; then echo "$dir"; fi
}

answers() {  # the server at $DSN accepts postgres without a password
    local psql=${BIN:+$BIN/psql}
    psql=${psql:-$(command -v psql || true)}
    [ -n "$psql" ] && PGCONNECT_TIMEOUT=5 "$psql" "$DSN" -qAtc 'SELECT 1' >/dev/null 2>&1
}

listening() {  # something accepts TCP connections on 127.0.0.1:$1
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

free_port() {  # a port nothing listens on, from the kernel
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

remember() {  # write where the cluster answers, for the tests and the benchmarks
    echo "$PORT" >"$ROOT/port"
    echo "$DSN" >"$ROOT/dsn"
}

as_owner() {  # run a command as the cluster's owner
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

install_postgresql() {
    command -v apt-get >/dev/null || give_up "no PostgreSQL and no apt-get to install it"
    [ "$(id -u)" = 0 ] || give_up "no PostgreSQL, and installing it needs root"
    echo "Installing PostgreSQL from Debian's packages..."
    export DEBIAN_FRONTEND=noninteractive
    # A clean machine may have no package lists yet: update only when the install fails.
    local install=(apt-get install -y -qq -o DPkg::Lock::Timeout=120 postgresql)
    if ! "${install[@]}" >/dev/null 2>&1; then
        apt-get update -qq >/dev/null || give_up "apt-get update failed"
        "${install[@]}" >/dev/null || give_up "apt-get install postgresql failed"
    fi
    # Debian's package may start its own `main` cluster on 5432 (scram auth, so the
    # test DSN cannot use it); it was not there before this install, so stop it.
    if command -v pg_lsclusters >/dev/null; then
        pg_lsclusters --no-header 2>/dev/null | while read -r version name port status _; do
            if [ "$port" = "$PORT" ] && [ "$status" = online ]; then
                pg_ctlcluster "$version" "$name" stop || true
            fi
        done
    fi
}

BIN=$(server_bin)
mkdir -p "$ROOT"
if answers; then
    remember
    echo "PostgreSQL already running at $DSN"
    exit 0
fi
if [ -z "$BIN" ]; then
    install_postgresql
    BIN=$(server_bin)
    [ -n "$BIN" ] || give_up "the postgresql package installed no server"
fi

new_cluster() {
    rm -rf "$DATA"
    mkdir -p "$ROOT"
    if [ "$(id -u)" = 0 ]; then chown postgres: "$ROOT"; fi
    as_owner "$BIN/initdb" -D "$DATA" -U postgres --auth=trust --encoding=UTF8 \
        --locale=C.UTF-8 >"$ROOT/initdb.log" 2>&1 ||
        give_up "initdb failed: $(tail -n 1 "$ROOT/initdb.log")"
}

start_cluster() {  # -w: wait until the server accepts connections
    as_owner "$BIN/pg_ctl" -D "$DATA" -l "$ROOT/server.log" -w -t 60 start -o \
        "-c listen_addresses=127.0.0.1 -c port=$PORT -c unix_socket_directories=$ROOT \
         -c fsync=off -c synchronous_commit=off -c full_page_writes=off" >/dev/null 2>&1
}

if listening "$PORT" && ! pgrep -f -- "-D $DATA" >/dev/null 2>&1; then
    # Another server owns the port (and refuses our DSN): take a free one.
    taken=$PORT
    PORT=$(free_port)
    DSN=$(dsn_for "$PORT")
    echo "Port $taken is taken by another server; using $PORT"
fi

version=$("$BIN/pg_config" --version 2>/dev/null | awk '{print int($2)}' || true)
if [ ! -f "$DATA/PG_VERSION" ] || [ "$(cat "$DATA/PG_VERSION")" != "$version" ]; then
    new_cluster
fi
if ! start_cluster; then
    # A server killed with an earlier session can leave a postmaster.pid whose PID now
    # belongs to another process, and the server refuses to start. The data is
    # throwaway: start over with a new cluster, unless a server still runs on it.
    if pgrep -f -- "-D $DATA" >/dev/null 2>&1; then
        give_up "a server runs on $DATA but does not answer at $DSN: $(tail -n 1 "$ROOT/server.log")"
    fi
    new_cluster
    start_cluster || give_up "the server did not start: $(tail -n 1 "$ROOT/server.log")"
fi
answers || give_up "the server started but refuses $DSN (is another server on port $PORT?)"
remember
echo "PostgreSQL ready at $DSN ($((SECONDS - started)) s)"
