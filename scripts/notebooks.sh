#!/usr/bin/env bash
# Open the learner's notebooks in JupyterLab, on 127.0.0.1 only. Start with
# 1_start_the_system.ipynb. Arguments go to `jupyter lab` (e.g. --no-browser).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/_python.sh"
PY=$(hw4_python)
cd "$HW4_ROOT"
extra=()
# JupyterLab refuses to run as root unless told (containers, CI)
[ "$(id -u)" = 0 ] && extra+=(--allow-root)
exec "$PY" -m jupyter lab --ServerApp.ip=127.0.0.1 --ServerApp.root_dir=notebooks \
    "${extra[@]}" "$@"
