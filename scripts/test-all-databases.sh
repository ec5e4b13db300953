#!/usr/bin/env bash
# The whole suite on SQLite, PostgreSQL and MariaDB, then lint. Under CI=true an unreachable
# database fails the run; locally it is reported and that backend is left out.
#
# The three suites run at the same time, each in its own pytest process with its own log
# (TEST_LOG_DIR, default var/test-logs), pytest temporary directory, SMELADDER_DATA_DIR and
# screenshot folder; each server gets its own test database (test_smeladder_<pid>). The
# logs are printed in full once all have finished, then one summary line per database with its
# time. PARALLEL=0 runs them one after another (same logs and summary). Arguments are passed to
# every pytest (e.g. a path or -k to run part of the suite on all three databases).
# Tests that never touch the database (the standards engine, DuckDB, pure functions: pytest-django
# would block them if they tried) give the same answer on every backend, so each runs once, in one
# of the suites (a third each); ALL_TESTS_EVERYWHERE=1 runs them on all three.
set -uo pipefail
BIN=.venv/bin
PG_URL=${PG_URL:-postgres://postgres@127.0.0.1:5432/test}
MYSQL_URL=${MYSQL_URL:-mysql://root@127.0.0.1:3306/test}
CI=${CI:-false}
PARALLEL=${PARALLEL:-1}
LOG_DIR=${TEST_LOG_DIR:-var/test-logs}
SHOTS=${SMELADDER_SCREENSHOTS:-var/screenshots}
status=0
summary=()
labels=()
declare -A url_of=() pid_of=() label_of=() started=() rc_of=() took=()

reachable() {  # url
    DATABASE_URL="$1" $BIN/python - <<'PY'
import os, sys, django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "smeladder.settings.test")
django.setup()
from django.db import connection
try:
    connection.ensure_connection()
except Exception as exc:  # report the driver's own words
    print(exc, file=sys.stderr)
    sys.exit(1)
PY
}

minutes() {  # seconds -> "7m 12s"
    printf '%dm %02ds' $(($1 / 60)) $(($1 % 60))
}

start_suite() {  # label [pytest args…]: pytest in the background, output to its own log
    local label=$1
    shift
    rm -rf "$LOG_DIR/tmp-$label" "$LOG_DIR/data-$label"
    # Tests that never reach the database run once, split between the suites (tests/conftest.py)
    local share=""
    [ "${ALL_TESTS_EVERYWHERE:-0}" != 1 ] && share="${share_of[$label]}"
    DATABASE_URL="${url_of[$label]}" SMELADDER_SCREENSHOTS="$SHOTS/$label" \
        SMELADDER_DATA_DIR="$LOG_DIR/data-$label" SMELADDER_INDEPENDENT_SHARE="$share" \
        $BIN/pytest -p no:cacheprovider -q --durations=15 --basetemp="$LOG_DIR/tmp-$label" "$@" \
        >"$LOG_DIR/$label.log" 2>&1 &
    pid_of[$label]=$!
    label_of[$!]=$label
    started[$label]=$SECONDS
    echo "started pytest on $label (pid $!, log $LOG_DIR/$label.log)"
}

wait_one() {  # wait for whichever running suite ends first; record its status and time
    local done_pid rc
    wait -n -p done_pid "${pid_of[@]}"
    rc=$?
    local label=${label_of[$done_pid]}
    unset "pid_of[$label]"
    rc_of[$label]=$rc
    took[$label]=$((SECONDS - started[$label]))
    echo "finished pytest on $label: exit $rc after $(minutes "${took[$label]}")"
}

stop_suites() {  # Ctrl-C / TERM: end our own pytest processes, by pid
    local pid
    for pid in "${pid_of[@]}"; do kill "$pid" 2>/dev/null; done
    exit 130
}
trap stop_suites INT TERM

mkdir -p "$LOG_DIR" && LOG_DIR=$(cd "$LOG_DIR" && pwd)  # absolute: SMELADDER_DATA_DIR
for pair in "sqlite sqlite://:memory:" "postgresql $PG_URL" "mariadb $MYSQL_URL"; do
    label=${pair%% *} url=${pair#* }
    if ! reachable "$url"; then
        if [ "$CI" = "true" ]; then
            echo "FAIL: $label at $url is unreachable (CI never skips a database)" >&2
            status=1; summary+=("$label: UNREACHABLE"); continue
        fi
        echo "WARNING: $label at $url is unreachable; not tested on $label" >&2
        summary+=("$label: not run (unreachable)"); continue
    fi
    url_of[$label]=$url
    labels+=("$label")
done

# each suite runs every database test and one share of the database-independent ones
declare -A share_of=()
for i in "${!labels[@]}"; do share_of[${labels[$i]}]="$i/${#labels[@]}"; done

begin=$SECONDS
for label in "${labels[@]}"; do
    start_suite "$label" "$@"
    [ "$PARALLEL" = 1 ] || wait_one
done
while [ ${#pid_of[@]} -gt 0 ]; do wait_one; done
trap - INT TERM

for label in "${labels[@]}"; do
    echo
    echo "=== pytest on $label (${url_of[$label]}) — $LOG_DIR/$label.log ==="
    cat "$LOG_DIR/$label.log"
    result=$(grep -E ' in [0-9.]+s( \([0-9:]+\))?( =+)?$' "$LOG_DIR/$label.log" | tail -1 | tr -d '=' | xargs)
    if [ "${rc_of[$label]}" = 0 ]; then
        summary+=("$label: passed — ${result:-?} — $(minutes "${took[$label]}")")
        rm -rf "$LOG_DIR/tmp-$label" "$LOG_DIR/data-$label"
    else
        status=1
        summary+=("$label: FAILED (exit ${rc_of[$label]}) — ${result:-no pytest summary} — $(minutes "${took[$label]}")")
    fi
done

echo
echo "=== ruff ==="
if $BIN/ruff check src tests bench && $BIN/ruff format --check src tests bench; then
    summary+=("ruff: clean")
else
    status=1; summary+=("ruff: FAILED")
fi
printf '%s\n' "--- summary ---" "${summary[@]}" \
    "pytest wall time: $(minutes $((SECONDS - begin))) ($([ "$PARALLEL" = 1 ] && echo concurrent || echo one after another))"
exit $status
