#!/usr/bin/env bash
# The test suite: unit tests, then integration tests that start the real system
# (on their own ports and folders) and always stop it. Arguments go to pytest.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/_python.sh"
PY=$(hw4_python dev)
cd "$HW4_ROOT"
exec "$PY" -m pytest "$@"
