#!/usr/bin/env bash
# Stop every component (or the ones named): SIGTERM to its process group, then
# SIGKILL after a deadline. Removes pid files; safe to run when nothing runs.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/_python.sh"
PY=$(hw4_python)
cd "$HW4_ROOT"
exec "$PY" -m hw4.launcher stop "$@"
