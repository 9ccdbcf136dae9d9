#!/usr/bin/env bash
# Run a command with DATABASE_URL pointing at PostgreSQL.
#   bench/with_postgres.sh .venv/bin/python -m bench.events_bench
# With DATABASE_URL set, the command runs against it (the benchmark makes its own database there and
# drops it again). Without, a throwaway PostgreSQL 15 cluster is started the way .ci/run does it:
# initdb into a temporary directory, a free port on 127.0.0.1, as the postgres user when run as root;
# it is stopped and deleted on every exit. Exits with the command's status.
#   WITH_POSTGRES_SHARED_BUFFERS=2GB  the cluster's shared_buffers (default 128MB): large enough for the index
#                                     measured, or what does not fit is read from the OS cache 8 kB at a time
#   WITH_POSTGRES_PORT=8290           the cluster's port (default: a free one)
#   WITH_POSTGRES_KEEP=/some/dir      the cluster's data in this folder, kept after the run and started again
#                                     by the next run (a benchmark's database built once, e.g. search_bench --reuse)
set -euo pipefail

if [[ -n ${DATABASE_URL:-} ]]; then
    exec "$@"
fi

find_pg_bin() {
    local d
    for d in /usr/lib/postgresql/15/bin $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -rV); do
        if [[ -x $d/initdb && -x $d/pg_ctl && -x $d/pg_isready && -x $d/psql ]]; then
            echo "$d"
            return 0
        fi
    done
    d=$(dirname "$(command -v pg_ctl 2>/dev/null || echo /nonexistent/pg_ctl)")
    if [[ -x $d/initdb && -x $d/pg_isready && -x $d/psql ]]; then
        echo "$d"
        return 0
    fi
    return 1
}
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

PGBIN=$(find_pg_bin) || {
    echo "with_postgres.sh: no PostgreSQL binaries found (Debian: apt-get install postgresql-15), or set DATABASE_URL" >&2
    exit 1
}

WORK=$(mktemp -d /tmp/klimanetz-bench.XXXXXX)
chmod 755 "$WORK"
PGDATA=$WORK/data
KEEP=${WITH_POSTGRES_KEEP:-}
if [[ -n $KEEP ]]; then
    mkdir -p "$KEEP"
    PGDATA=$(cd "$KEEP" && pwd)/data
fi
PGSOCK=$WORK/run
PGLOG=$WORK/postgresql.log
PGPORT=${WITH_POSTGRES_PORT:-$(free_port)}  # a port of ours on a shared machine, else any free one
PASSWORD=$(python3 -c 'import secrets; print(secrets.token_hex(16))')

if [[ $(id -u) == 0 ]]; then
    if ! id postgres >/dev/null 2>&1; then
        useradd --system --user-group --home-dir /var/lib/postgresql --no-create-home --shell /usr/sbin/nologin postgres
    fi
    as_pg() { (cd "$WORK" && runuser -u postgres -- "$@"); }
    OWNER=postgres
else
    as_pg() { (cd "$WORK" && "$@"); }
    OWNER=$(id -un)
fi

cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    set +e
    if [[ -f $PGDATA/PG_VERSION ]]; then
        as_pg "$PGBIN/pg_ctl" stop -D "$PGDATA" -m fast -w -t 20 >/dev/null 2>&1 ||
            as_pg "$PGBIN/pg_ctl" stop -D "$PGDATA" -m immediate -w -t 10 >/dev/null 2>&1
    fi
    rm -rf "$WORK"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

chown "$OWNER" "$WORK"
install -d -o "$OWNER" -m 755 "$PGSOCK"
if [[ -n $KEEP && -f $PGDATA/PG_VERSION && -f $KEEP/pgpass ]]; then
    PASSWORD=$(cat "$KEEP/pgpass") # a kept cluster: its password, its data
    echo "with_postgres.sh: the kept cluster in $KEEP" >&2
else
    install -d -o "$OWNER" -m 700 "$PGDATA"
    printf '%s\n' "$PASSWORD" >"$WORK/pgpass"
    chown "$OWNER" "$WORK/pgpass"
    chmod 600 "$WORK/pgpass"
    as_pg "$PGBIN/initdb" -D "$PGDATA" -U postgres --pwfile="$WORK/pgpass" --auth-local=trust \
        --auth-host=scram-sha-256 --encoding=UTF8 --no-locale >"$WORK/initdb.log" 2>&1 || {
        cat "$WORK/initdb.log" >&2
        exit 1
    }
    if [[ -n $KEEP ]]; then
        install -m 600 "$WORK/pgpass" "$KEEP/pgpass"
    fi
fi
# Durability off: a throwaway cluster, measured for query plans and relative times. random_page_cost as the README
# tells production on SSDs to set it.
as_pg "$PGBIN/pg_ctl" start -D "$PGDATA" -l "$PGLOG" -w -t 30 \
    -o "-p $PGPORT -h 127.0.0.1 -k $PGSOCK -c fsync=off -c synchronous_commit=off -c full_page_writes=off \
        -c shared_buffers=${WITH_POSTGRES_SHARED_BUFFERS:-128MB} -c random_page_cost=1.1" \
    >/dev/null || {
    tail -n 30 "$PGLOG" >&2
    exit 1
}
"$PGBIN/pg_isready" -q -h 127.0.0.1 -p "$PGPORT" -t 10 || {
    tail -n 30 "$PGLOG" >&2
    exit 1
}
echo "with_postgres.sh: throwaway $("$PGBIN/postgres" --version) on 127.0.0.1:$PGPORT" >&2

export DATABASE_URL="postgres://postgres:$PASSWORD@127.0.0.1:$PGPORT/postgres"
"$@"
