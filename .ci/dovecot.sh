#!/usr/bin/env bash
# A throwaway Dovecot IMAP server for the inbound-mail tests and benchmark (networks.inbound), on a free port on
# 127.0.0.1, with its configuration, mail (maildir) and logs in one directory. Plain IMAP, plain auth, one user
# from a passwd-file; no TLS (it only listens on 127.0.0.1). Needs root (Dovecot's master drops to the mail user
# "dovecot" for the mailbox processes) and the Debian package dovecot-imapd.
#
#   bash .ci/dovecot.sh start DIR   starts it in DIR (created), waits until it answers, prints the URL
#                                   imap://portal:<password>@127.0.0.1:<port>/INBOX and writes it to DIR/url
#   bash .ci/dovecot.sh stop DIR    stops it and removes DIR
#
# .ci/run sources this file and calls dovecot_start / dovecot_stop itself.
set -euo pipefail

dovecot_start() {
    local dir=$1 timeout=${2:-30} port password mailuser uid gid pid
    command -v dovecot >/dev/null || {
        echo "dovecot is not installed (apt-get install dovecot-imapd)" >&2
        return 1
    }
    mailuser=dovecot
    id "$mailuser" >/dev/null 2>&1 || mailuser=nobody
    uid=$(id -u "$mailuser")
    gid=$(id -g "$mailuser")
    mkdir -p "$dir/run" "$dir/state" "$dir/mail"
    chmod 755 "$dir" "$dir/run"
    chown "$uid:$gid" "$dir/mail"
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    password=$(python3 -c 'import secrets; print(secrets.token_hex(12))')
    printf 'portal:{PLAIN}%s\n' "$password" >"$dir/passwd"
    chmod 644 "$dir/passwd"
    cat >"$dir/dovecot.conf" <<CONF
instance_name = klimanetz-$port
base_dir = $dir/run
state_dir = $dir/state
log_path = $dir/dovecot.log
info_log_path = $dir/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
first_valid_uid = $uid
last_valid_uid = $uid
first_valid_gid = $gid
last_valid_gid = $gid
mail_location = maildir:$dir/mail/%u
mail_uid = $uid
mail_gid = $gid
default_login_user = dovenull
default_internal_user = dovecot
namespace inbox {
  inbox = yes
  separator = /
}
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u $dir/passwd
}
userdb {
  driver = static
  args = uid=$uid gid=$gid home=$dir/mail/%u
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = $port
  }
  inet_listener imaps {
    port = 0
  }
}
service stats {
  unix_listener stats-reader {
    mode = 0666
  }
  unix_listener stats-writer {
    mode = 0666
  }
}
CONF
    id dovenull >/dev/null 2>&1 || sed -i 's/^default_login_user = dovenull/default_login_user = nobody/' "$dir/dovecot.conf"
    id dovecot >/dev/null 2>&1 || sed -i 's/^default_internal_user = dovecot/default_internal_user = nobody/' "$dir/dovecot.conf"
    dovecot -c "$dir/dovecot.conf" -F >>"$dir/dovecot.out" 2>&1 &
    pid=$!
    echo "$pid" >"$dir/pid"
    local deadline=$((SECONDS + timeout))
    while :; do
        if python3 - "$port" "$password" <<'PY' 2>/dev/null; then
import imaplib, sys
c = imaplib.IMAP4("127.0.0.1", int(sys.argv[1]), timeout=2)
c.login("portal", sys.argv[2])
c.select("INBOX")
c.logout()
PY
            break
        fi
        if ((SECONDS >= deadline)) || ! kill -0 "$pid" 2>/dev/null; then
            tail -n 30 "$dir/dovecot.out" "$dir/dovecot.log" >&2 2>/dev/null || true
            echo "Dovecot did not answer on 127.0.0.1:$port within ${timeout}s" >&2
            return 1
        fi
        sleep 0.3
    done
    printf 'imap://portal:%s@127.0.0.1:%s/INBOX\n' "$password" "$port" >"$dir/url"
    cat "$dir/url"
}

dovecot_stop() {
    local dir=$1 pid
    [[ -f $dir/pid ]] || return 0
    pid=$(cat "$dir/pid")
    if kill -0 "$pid" 2>/dev/null; then
        kill "$pid" 2>/dev/null || true
        for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$pid" 2>/dev/null || true
    fi
    rm -f "$dir/pid"
}

if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
    case ${1:-} in
    start) dovecot_start "${2:?directory}" ;;
    stop)
        dovecot_stop "${2:?directory}"
        rm -rf "${2:?}"
        ;;
    *)
        echo "usage: $0 start|stop DIR" >&2
        exit 2
        ;;
    esac
fi
