#!/usr/bin/env bash
# The whole suite on SQLite, PostgreSQL and MariaDB, then lint. Under CI=true an unreachable
# database fails the run; locally it is reported and that backend is left out.
set -uo pipefail
BIN=.venv/bin
PG_URL=${PG_URL:-postgres://postgres@127.0.0.1:5432/test}
MYSQL_URL=${MYSQL_URL:-mysql://root@127.0.0.1:3306/test}
CI=${CI:-false}
status=0
summary=()

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

run_suite() {  # label url
    local label=$1 url=$2
    if [ -n "$url" ] && ! reachable "$url"; then
        if [ "$CI" = "true" ]; then
            echo "FAIL: $label at $url is unreachable (CI never skips a database)" >&2
            status=1; summary+=("$label: UNREACHABLE"); return
        fi
        echo "WARNING: $label at $url is unreachable; not tested on $label" >&2
        summary+=("$label: not run (unreachable)"); return
    fi
    echo "=== pytest on $label ==="
    if DATABASE_URL="$url" $BIN/pytest -p no:cacheprovider -q; then
        summary+=("$label: passed")
    else
        status=1; summary+=("$label: FAILED")
    fi
}

run_suite sqlite "sqlite://:memory:"
run_suite postgresql "$PG_URL"
run_suite mariadb "$MYSQL_URL"

echo "=== ruff ==="
if $BIN/ruff check src tests bench && $BIN/ruff format --check src tests bench; then
    summary+=("ruff: clean")
else
    status=1; summary+=("ruff: FAILED")
fi
printf '%s\n' "--- summary ---" "${summary[@]}"
exit $status
