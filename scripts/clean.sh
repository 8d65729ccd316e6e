#!/usr/bin/env bash
# A clean slate: stop every component, then delete what is in the log, report and run
# folders (logs/, error_reports/, run/; .gitkeep stays). Asks first; --yes does not.
# Refuses, and does nothing, when one of those folders is not inside the repository.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/_python.sh"
PY=$(hw4_python)
cd "$HW4_ROOT"
exec "$PY" -m hw4.launcher clean "$@"
