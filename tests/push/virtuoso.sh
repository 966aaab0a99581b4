#!/usr/bin/env bash
# A private Virtuoso (Debian's virtuoso-opensource 7) on loopback, for the
# `warta push` tests. Never touches the system's /var/lib/virtuoso-opensource-7.
#
#   eval "$(bash tests/push/virtuoso.sh [DIR] | grep ^VIRTUOSO_)"   # start (or reuse)
#   bash tests/push/virtuoso.sh --stop DIR                            # stop
#
# DIR (default: mktemp -d) holds the config, the database and the logs.
# Environment: VIRTUOSO_HTTP_PORT (default: first free from 18890),
# VIRTUOSO_ISQL_PORT (default: first free from 11111), VIRTUOSO_PASSWORD
# (dba's, default warta-test), VIRTUOSO_USER (the writer, default dba; another
# name is created with the SPARQL_UPDATE role), VIRTUOSO_SELFTEST=0 to skip
# the end-to-end check, VIRTUOSO_START_TIMEOUT (s, default 60),
# VIRTUOSO_BUFFERS (NumberOfBuffers, default 10000).
# Stdout: only the VIRTUOSO_*= lines, last.
set -euo pipefail

die() { echo "virtuoso.sh: $*" >&2; exit 1; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

# The pid recorded in DIR, if that process is still our virtuoso-t.
running_pid() {
    local dir=$1 pid
    [[ -f $dir/virtuoso.pid ]] || return 1
    pid=$(<"$dir/virtuoso.pid")
    [[ $pid =~ ^[0-9]+$ && -r /proc/$pid/cmdline ]] || return 1
    tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "+configfile $dir/virtuoso.ini" || return 1
    echo "$pid"
}

stop() {
    local dir pid _
    dir=$(cd "$1" 2>/dev/null && pwd) || die "--stop: no such directory: $1"
    if ! pid=$(running_pid "$dir"); then
        rm -f "$dir/virtuoso.pid"
        return 0
    fi
    # SHUTDOWN checkpoints first; SIGTERM is a quick shutdown that leaves
    # the transaction log to replay at the next start (slow after big loads).
    local HTTP_PORT='' ISQL_PORT='' PASSWORD=''
    # shellcheck source=/dev/null
    source "$dir/ports" 2>/dev/null || true
    if [[ -n $ISQL_PORT && -n $PASSWORD ]] && command -v isql-vt >/dev/null; then
        timeout 60 isql-vt "127.0.0.1:$ISQL_PORT" dba "$PASSWORD" "exec=shutdown;" \
            >>"$dir/isql.log" 2>&1 </dev/null || true
    fi
    for _ in $(seq 1 100); do
        [[ -d /proc/$pid ]] || break
        sleep 0.1
    done
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 300); do
        [[ -d /proc/$pid ]] || break
        sleep 0.1
    done
    if [[ -d /proc/$pid ]]; then
        kill -KILL "$pid" 2>/dev/null || true
        sleep 0.5
        rm -f "$dir/virtuoso.lck"
    fi
    rm -f "$dir/virtuoso.pid"
}

if [[ ${1:-} == --stop ]]; then
    [[ -n ${2:-} ]] || die "usage: $0 --stop DIR"
    stop "$2"
    exit 0
fi

T0=$(now)
PASSWORD=${VIRTUOSO_PASSWORD:-warta-test}
WRITER=${VIRTUOSO_USER:-dba}
[[ $WRITER =~ ^[A-Za-z][A-Za-z0-9_]*$ ]] || die "VIRTUOSO_USER must be a plain SQL name: $WRITER"

# --- install (skipped when already there) ----------------------------------
INSTALL_S=0.0
if ! command -v virtuoso-t >/dev/null || ! command -v isql-vt >/dev/null || ! command -v curl >/dev/null; then
    [[ $(id -u) == 0 ]] || die "Virtuoso is not installed and installing it needs root"
    export DEBIAN_FRONTEND=noninteractive
    # The dba password question; the packaged server is not the one used here.
    printf 'virtuoso-opensource-7 virtuoso-opensource-7/%s password %s\n' \
        dba-password "$PASSWORD" dba-password-again "$PASSWORD" | debconf-set-selections
    # Never start the system's server (no systemd here, but init scripts run).
    log=$(mktemp) made_policy=
    end_install() { rm -f "$log"; [[ -z $made_policy ]] || rm -f /usr/sbin/policy-rc.d; }
    trap end_install EXIT
    if [[ ! -e /usr/sbin/policy-rc.d ]]; then
        printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
        chmod +x /usr/sbin/policy-rc.d
        made_policy=1
    fi
    if ! { apt-get update -qq && apt-get install -y -qq --no-install-recommends virtuoso-opensource curl; } >"$log" 2>&1; then
        tail -n 30 "$log" >&2
        die "apt-get install virtuoso-opensource failed"
    fi
    end_install
    trap - EXIT
    INSTALL_S=$(since "$T0")
fi
ISQL=$(command -v isql-vt || echo /usr/bin/isql-vt)

# --- the private server ------------------------------------------------------
DIR=${1:-$(mktemp -d -t warta-virtuoso.XXXXXX)}
mkdir -p "$DIR"
DIR=$(cd "$DIR" && pwd)

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
pick_port() { # NAME EXPLICIT DEFAULT
    local p
    if [[ -n $2 ]]; then
        port_busy "$2" && die "$1 port $2 is in use"
        echo "$2"; return
    fi
    for p in $(seq "$3" $(($3 + 200))); do
        port_busy "$p" || { echo "$p"; return; }
    done
    die "no free $1 port from $3"
}

isql() { # USER PASSWORD SQL...
    "$ISQL" "127.0.0.1:$ISQL_PORT" "$1" "$2" "exec=$3" >>"$DIR/isql.log" 2>&1 </dev/null
}
sql_quote() { printf "%s" "${1//\'/\'\'}"; }

T1=$(now)
STARTED=
OLD_PASSWORD=
if [[ -f $DIR/ports ]]; then
    OLD_PASSWORD=$(sed -n 's/^PASSWORD=//p' "$DIR/ports")
    [[ -z $OLD_PASSWORD ]] || OLD_PASSWORD=$(eval "printf %s $OLD_PASSWORD")
fi
if PID=$(running_pid "$DIR"); then
    eval "$(grep -E '^(HTTP|ISQL)_PORT=[0-9]+$' "$DIR/ports")"
else
    rm -f "$DIR/virtuoso.pid" "$DIR/virtuoso.lck"
    HTTP_PORT=$(pick_port HTTP "${VIRTUOSO_HTTP_PORT:-}" 18890)
    ISQL_PORT=$(pick_port ISQL "${VIRTUOSO_ISQL_PORT:-}" 11111)
    [[ $HTTP_PORT != "$ISQL_PORT" ]] || die "the HTTP and ISQL ports are both $HTTP_PORT"
    (umask 077; printf 'HTTP_PORT=%s\nISQL_PORT=%s\n' "$HTTP_PORT" "$ISQL_PORT" >"$DIR/ports")
    mkdir -p "$DIR/vsp"
    cat >"$DIR/virtuoso.ini" <<EOF
; Written by tests/push/virtuoso.sh: a private test server, loopback only.
[Database]
DatabaseFile       = $DIR/virtuoso.db
ErrorLogFile       = $DIR/virtuoso.log
LockFile           = $DIR/virtuoso.lck
TransactionFile    = $DIR/virtuoso.trx
xa_persistent_file = $DIR/virtuoso.pxa
ErrorLogLevel      = 7
FileExtend         = 200
MaxCheckpointRemap = 2000
Striping           = 0
TempStorage        = TempDatabase

[TempDatabase]
DatabaseFile       = $DIR/virtuoso-temp.db
TransactionFile    = $DIR/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping           = 0

[Parameters]
ServerPort           = 127.0.0.1:$ISQL_PORT
DisableUnixSocket    = 1
DisableTcpSocket     = 0
MaxClientConnections = 20
CheckpointInterval   = 60
CaseMode             = 2
DirsAllowed          = ., $DIR
NumberOfBuffers      = ${VIRTUOSO_BUFFERS:-10000}
MaxDirtyBuffers      = $(( ${VIRTUOSO_BUFFERS:-10000} * 3 / 4 ))
MaxQueryMem          = 1G

[HTTPServer]
ServerPort           = 127.0.0.1:$HTTP_PORT
ServerRoot           = $DIR/vsp
MaxClientConnections = 20
ServerThreads        = 20
MaxKeepAlives        = 20
KeepAliveTimeout     = 10
EnabledDavVSP        = 0
HTTPProxyEnabled     = 0
Charset              = UTF-8
EnabledGzipContent   = 1

[SPARQL]
ResultSetMaxRows           = 10000
MaxQueryCostEstimationTime = 400
MaxQueryExecutionTime      = 60
EOF
    # Detached from this script's stdout so that $(...) around us returns.
    (cd "$DIR" && exec setsid /usr/bin/virtuoso-t +foreground +configfile "$DIR/virtuoso.ini") \
        </dev/null >>"$DIR/server.out" 2>&1 &
    PID=$!
    echo "$PID" >"$DIR/virtuoso.pid"
    STARTED=1
fi
URL="http://127.0.0.1:$HTTP_PORT"

fail() {
    echo "virtuoso.sh: $*" >&2
    echo "--- $DIR/virtuoso.log (tail)" >&2
    tail -n 20 "$DIR/virtuoso.log" >&2 2>/dev/null || true
    [[ -n $STARTED ]] && stop "$DIR"
    exit 1
}

# Up when both the HTTP and the SQL ports answer (60 s at most).
up=
for _ in $(seq 1 $(( ${VIRTUOSO_START_TIMEOUT:-60} * 4 ))); do
    [[ -d /proc/$PID ]] || fail "virtuoso-t (pid $PID) exited at start"
    if [[ $(curl -s -o /dev/null -m 2 -w '%{http_code}' "$URL/sparql" || true) == 200 ]] &&
        port_busy "$ISQL_PORT"; then
        up=1; break
    fi
    sleep 0.25
done
[[ -n $up ]] || fail "no answer on $URL/sparql within ${VIRTUOSO_START_TIMEOUT:-60} s"
# The pid virtuoso-t writes in its lock file, in case setsid forked.
lck_pid=$(sed -n 's/^VIRT_PID=//p' "$DIR/virtuoso.lck" 2>/dev/null || true)
if [[ $lck_pid =~ ^[0-9]+$ && $lck_pid != "$PID" ]]; then
    PID=$lck_pid; echo "$PID" >"$DIR/virtuoso.pid"
fi
START_S=$(since "$T1")

# --- the dba password and the writer ------------------------------------------
pw_sql=$(sql_quote "$PASSWORD")
if ! isql dba "$PASSWORD" "select 1;"; then
    # A new database has dba/dba; a reused one has the password of its last run.
    old=dba
    if [[ -n $OLD_PASSWORD && $OLD_PASSWORD != "$PASSWORD" ]] && isql dba "$OLD_PASSWORD" "select 1;"; then
        old=$OLD_PASSWORD
    fi
    isql dba "$old" "USER_SET_PASSWORD('dba', '$pw_sql');" ||
        fail "cannot log in as dba to set its password (see $DIR/isql.log)"
    isql dba "$PASSWORD" "select 1;" || fail "dba's new password does not work (see $DIR/isql.log)"
fi
# For --stop's checkpointing SHUTDOWN (DIR/ports is mode 600).
grep -v '^PASSWORD=' "$DIR/ports" >"$DIR/ports.new" || true
printf 'PASSWORD=%q\n' "$PASSWORD" >>"$DIR/ports.new"
chmod 600 "$DIR/ports.new"; mv "$DIR/ports.new" "$DIR/ports"
# GRANT of a role already held only prints an error: isql-vt still exits 0.
if [[ $WRITER == dba ]]; then
    isql dba "$PASSWORD" "GRANT SPARQL_UPDATE TO \"dba\";" || true
else
    isql dba "$PASSWORD" "DB.DBA.USER_CREATE('$WRITER', '$pw_sql'); USER_SET_PASSWORD('$WRITER', '$pw_sql'); GRANT SPARQL_UPDATE TO \"$WRITER\";" || true
fi

# --- end-to-end check ----------------------------------------------------------
if [[ ${VIRTUOSO_SELFTEST:-1} != 0 ]]; then
    G=https://w3id.org/warta/doc/virtuoso-sh-selftest
    GQ=https%3A%2F%2Fw3id.org%2Fwarta%2Fdoc%2Fvirtuoso-sh-selftest
    CRUD="$URL/sparql-graph-crud-auth?graph-uri=$GQ"
    AUTH=(--digest -u "$WRITER:$PASSWORD")
    TTL=$'<http://ex/s> <http://ex/p> "o" .\n\n<http://ex/s> <http://ex/label> "Zażółć"@pl .\n\n\n<http://ex/s> <http://ex/n> "42"^^<http://www.w3.org/2001/XMLSchema#integer> .\n<http://ex/s> <http://ex/d> "2024-01-31"^^<http://www.w3.org/2001/XMLSchema#date> .\n'
    code() { curl -sS -o /dev/null -m 30 -w '%{http_code}' "$@" || true; }
    sparql() {
        curl -sS -m 30 -G -H 'Accept: application/sparql-results+json' --data-urlencode "query=$1" "$URL/sparql" | tr -d '\n'
    }

    c=$(code "${AUTH[@]}" -X DELETE "$CRUD")
    [[ $c == 200 || $c == 404 ]] || fail "self-test: DELETE (cleanup) answered $c"
    c=$(code "${AUTH[@]}" -X PUT -H 'Content-Type: text/turtle' --data-binary "$TTL" "$CRUD")
    [[ $c == 201 ]] || fail "self-test: authenticated PUT answered $c, not 201"
    # No FROM: the default graph is the union of all graphs.
    r=$(sparql 'SELECT ?o WHERE { <http://ex/s> <http://ex/p> ?o }')
    [[ $r == *'"value": "o"'* ]] || fail "self-test: the triple is not seen without FROM: $r"
    r=$(sparql "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <$G> { VALUES ?o { \"o\" \"Zażółć\"@pl 42 \"2024-01-31\"^^<http://www.w3.org/2001/XMLSchema#date> } <http://ex/s> ?p ?o } }")
    [[ $r == *'"value": "4"'* ]] || fail "self-test: expected the 4 literals back: $r"
    c=$(code -X PUT -H 'Content-Type: text/turtle' --data-binary "$TTL" "$CRUD")
    [[ $c == 401 ]] || fail "self-test: unauthenticated PUT to /sparql-graph-crud-auth answered $c, not 401"
    c=$(code -X PUT -H 'Content-Type: text/turtle' --data-binary "$TTL" "$URL/sparql-graph-crud?graph-uri=$GQ")
    [[ $c == 401 || $c == 403 ]] || fail "self-test: anonymous PUT to /sparql-graph-crud answered $c"
    c=$(code "${AUTH[@]}" -X DELETE "$CRUD")
    [[ $c == 200 ]] || fail "self-test: DELETE answered $c"
    r=$(sparql "ASK { GRAPH <$G> { ?s ?p ?o } }")
    [[ $r == *'"boolean": false'* ]] || fail "self-test: the graph is still there after DELETE: $r"
fi

echo "virtuoso.sh: $URL ready (install ${INSTALL_S}s, start ${START_S}s, total $(since "$T0")s; $DIR)" >&2
echo "VIRTUOSO_PID=$PID"
echo "VIRTUOSO_URL=$URL"
echo "VIRTUOSO_DIR=$DIR"
echo "VIRTUOSO_USER=$WRITER"
printf 'VIRTUOSO_PASSWORD=%q\n' "$PASSWORD"
