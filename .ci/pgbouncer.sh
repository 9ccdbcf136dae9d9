#!/usr/bin/env bash
# A throwaway PgBouncer in transaction mode (production's connection pooling, README: Production) in front of a
# PostgreSQL server, on a free port on 127.0.0.1, with its configuration, user list and log in one directory. Any
# database name is passed through to the same server (the tests' databases are created while the suite runs).
# Clients authenticate with the server's own password (scram-sha-256 against the user list, which holds it in
# plain text so that PgBouncer can log in to the server with it). Needs the Debian package pgbouncer; runs as the
# calling user, or as "postgres" when called as root (PgBouncer refuses to run as root).
#
#   bash .ci/pgbouncer.sh start DIR HOST PORT USER PASSWORD   starts it in DIR (created), waits until it answers,
#                                       prints postgres://USER:PASSWORD@127.0.0.1:<port>/ (append the database)
#   bash .ci/pgbouncer.sh stop DIR      stops it and removes DIR
#
# .ci/run and bench/with_postgres.sh source this file and call pgbouncer_start / pgbouncer_stop themselves.
set -euo pipefail

pgbouncer_start() {
    local dir=$1 host=$2 server_port=$3 user=$4 password=$5 timeout=${6:-30} port bin runas=() deadline
    bin=$(command -v pgbouncer || echo /usr/sbin/pgbouncer)
    [[ -x $bin ]] || {
        echo "pgbouncer is not installed (apt-get install pgbouncer)" >&2
        return 1
    }
    mkdir -p "$dir"
    port=${PGBOUNCER_PORT:-$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
    printf '"%s" "%s"\n' "$user" "$password" >"$dir/userlist.txt"
    chmod 600 "$dir/userlist.txt"
    cat >"$dir/pgbouncer.ini" <<CONF
[databases]
* = host=$host port=$server_port

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $port
unix_socket_dir =
auth_type = scram-sha-256
auth_file = $dir/userlist.txt
admin_users = $user
pool_mode = transaction
max_client_conn = 400
default_pool_size = 20
max_db_connections = 60
server_reset_query =
server_check_delay = 10
ignore_startup_parameters = extra_float_digits,options
logfile = $dir/pgbouncer.log
pidfile = $dir/pgbouncer.pid
log_connections = 0
log_disconnections = 0
CONF
    if ((EUID == 0)); then
        id postgres >/dev/null 2>&1 ||
            useradd --system --user-group --no-create-home --shell /usr/sbin/nologin postgres
        chown -R postgres:postgres "$dir"
        chmod 755 "$dir"
        runas=(runuser -u postgres --)
    fi
    (cd "$dir" && "${runas[@]}" "$bin" -d -q "$dir/pgbouncer.ini") || {
        tail -n 20 "$dir/pgbouncer.log" >&2 2>/dev/null || true
        return 1
    }
    deadline=$((SECONDS + timeout))
    local psql=psql # .ci/run's PostgreSQL binaries when it sourced this file (psql need not be on PATH)
    [[ -n ${PGBIN:-} && -x ${PGBIN:-}/psql ]] && psql=$PGBIN/psql
    until PGPASSWORD=$password PGCONNECT_TIMEOUT=2 "$psql" -X -q -At -h 127.0.0.1 -p "$port" -U "$user" -d postgres \
        -c 'select 1' >/dev/null 2>&1; do
        if ((SECONDS >= deadline)); then
            tail -n 20 "$dir/pgbouncer.log" >&2 2>/dev/null || true
            return 1
        fi
        sleep 0.2
    done
    local url
    url="postgres://$(python3 -c 'import sys, urllib.parse as u; print(u.quote(sys.argv[1], safe=""))' "$user")"
    url+=":$(python3 -c 'import sys, urllib.parse as u; print(u.quote(sys.argv[1], safe=""))' "$password")"
    url+="@127.0.0.1:$port/"
    echo "$url" >"$dir/url"
    echo "$url"
}

pgbouncer_stop() {
    local dir=$1 pid
    [[ -f $dir/pgbouncer.pid ]] || {
        rm -rf "$dir"
        return 0
    }
    pid=$(cat "$dir/pgbouncer.pid")
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
    rm -rf "$dir"
}

if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
    case ${1:-} in
    start) pgbouncer_start "${@:2}" ;;
    stop) pgbouncer_stop "$2" ;;
    *)
        echo "usage: $0 start DIR HOST PORT USER PASSWORD | stop DIR" >&2
        exit 2
        ;;
    esac
fi
