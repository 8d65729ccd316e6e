#!/usr/bin/env bash
# Re-run every notebook (or the ones named: scripts/refresh_notebooks.sh
# notebooks/4_when_things_fail.ipynb) top to bottom against the system on the default
# ports and save it with its new outputs: what nbval compares the next test run with.
# Use it after a change that alters what a notebook shows; review the diff before
# committing.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/_python.sh"
PY=$(hw4_python dev)
cd "$HW4_ROOT"
trap 'bash scripts/stop_all.sh >/dev/null 2>&1 || true' EXIT
if [ $# -gt 0 ]; then notebooks=("$@"); else notebooks=(notebooks/[0-9]*.ipynb); fi
for nb in "${notebooks[@]}"; do
    echo "running $nb"
    "$PY" -m jupyter nbconvert --to notebook --execute --inplace \
        --ExecutePreprocessor.timeout=300 "$nb"
done
# no widget state or run-specific metadata in the saved files
"$PY" - "${notebooks[@]}" <<'PYEOF'
import json
import sys

for path in sys.argv[1:]:
    with open(path, encoding="utf-8") as f:
        nb = json.load(f)
    nb["metadata"].pop("widgets", None)
    nb["metadata"]["language_info"] = {"name": "python"}
    for cell in nb["cells"]:
        cell.get("metadata", {}).pop("execution", None)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(nb, f, indent=1, ensure_ascii=False)
        f.write("\n")
PYEOF
