#!/usr/bin/env bash
# Stop, then start, every component (or the ones named), so each runs the code now on
# disk: a running process keeps the code it imported when it started. Which edit needs
# which restart: docs/changing.md. Prints the status table, as run_all.sh does.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/_python.sh"
PY=$(hw4_python)
cd "$HW4_ROOT"
exec "$PY" -m hw4.launcher restart "$@"
