#!/usr/bin/env bash
# Start Redis, service_1, service_2, worker1 and worker2 in the background and
# wait until each is healthy. Safe to run again: what runs is left alone, what
# died is started again. Optional arguments name only some components.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/_python.sh"
PY=$(hw4_python)
cd "$HW4_ROOT"
exec "$PY" -m hw4.launcher start "$@"
