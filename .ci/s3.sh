#!/usr/bin/env bash
# A throwaway S3-compatible object store for the storage tests (tests/storage, config/storage.py): moto's server
# mode (moto[server], pinned in requirements.txt) on a free port on 127.0.0.1, its log in one directory, with one
# bucket. Keys are moto's (any key is accepted); the objects live in the server's memory and go with it.
#
#   bash .ci/s3.sh start DIR [TIMEOUT] [PYTHON]   starts it (DIR created), creates the bucket klimanetz-test, prints
#                                   s3://test:test@127.0.0.1:<port>/klimanetz-test?region=eu-central-1&secure=0
#   bash .ci/s3.sh stop DIR         stops it and removes DIR
#
# .ci/run sources this file and calls s3_start / s3_stop itself (PYTHON: the project's .venv/bin/python).
set -euo pipefail

s3_start() {
    local dir=$1 timeout=${2:-30} python=${3:-.venv/bin/python} port pid deadline
    mkdir -p "$dir"
    port=${S3_PORT:-$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
    "$python" -m moto.server -H 127.0.0.1 -p "$port" >"$dir/moto.log" 2>&1 &
    pid=$!
    echo "$pid" >"$dir/pid"
    deadline=$((SECONDS + timeout))
    # Ready when the bucket can be created (a PUT on the bucket's path; moto answers 200).
    until "$python" - "$port" <<'PYTHON' >/dev/null 2>&1; do
import sys

import boto3

client = boto3.client(
    "s3", endpoint_url=f"http://127.0.0.1:{sys.argv[1]}", aws_access_key_id="test", aws_secret_access_key="test",
    region_name="eu-central-1",
)
client.create_bucket(Bucket="klimanetz-test", CreateBucketConfiguration={"LocationConstraint": "eu-central-1"})
PYTHON
        if ((SECONDS >= deadline)) || ! kill -0 "$pid" 2>/dev/null; then
            tail -n 30 "$dir/moto.log" >&2 || true
            return 1
        fi
        sleep 0.3
    done
    echo "s3://test:test@127.0.0.1:$port/klimanetz-test?region=eu-central-1&secure=0" | tee "$dir/url"
}

s3_stop() {
    local dir=$1 pid
    [[ -f $dir/pid ]] && pid=$(cat "$dir/pid") || pid=""
    if [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null; then
        kill "$pid" 2>/dev/null
        for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$pid" 2>/dev/null || true
    fi
    rm -rf "$dir"
}

if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
    case ${1:-} in
    start) s3_start "${2:?DIR}" "${3:-30}" "${4:-.venv/bin/python}" ;;
    stop) s3_stop "${2:?DIR}" ;;
    *)
        echo "usage: bash .ci/s3.sh start|stop DIR" >&2
        exit 2
        ;;
    esac
fi
