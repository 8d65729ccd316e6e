#!/usr/bin/env bash
# A table of the components (all, or the ones named): pid, state, healthy, URL and
# log file. Exits 0 only when every component shown is healthy.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/_python.sh"
PY=$(hw4_python)
cd "$HW4_ROOT"
exec "$PY" -m hw4.launcher status "$@"
