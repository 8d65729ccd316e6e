#!/usr/bin/env bash
# A table of the components: pid, state, healthy, URL and log file.
# Exits 0 only when every component is healthy.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/_python.sh"
PY=$(hw4_python)
cd "$HW4_ROOT"
exec "$PY" -m hw4.launcher status
