#!/usr/bin/env bash
# The benchmark: starts hw4 (through run_all.sh, on free ports and temporary folders)
# and same-stack baselines, prints hw4 vs baseline for every path users feel, and
# writes bench/results/<time>.json and .md. Stops everything it started.
# Options: --quick (smoke run), --rounds N, --seconds S, --tool wrk|asyncio (see --help).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/_python.sh"
PY=$(hw4_python)
cd "$HW4_ROOT"
# as a learner's machine runs Python: with its bytecode caches, even where the environment
# turns them off (else every component started compiles hw4's modules again)
unset PYTHONDONTWRITEBYTECODE
exec "$PY" -m bench "$@"
