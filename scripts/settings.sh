#!/usr/bin/env bash
# Every setting as the scripts see it: its variable, its value (secrets as "(set)") and
# where it comes from (environment, .env or default). Starts and stops nothing.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/_python.sh"
PY=$(hw4_python)
cd "$HW4_ROOT"
exec "$PY" -m hw4.launcher settings "$@"
