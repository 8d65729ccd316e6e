#!/usr/bin/env bash
# Re-run notebooks top to bottom against the system on the default ports and save them
# with their new outputs: what nbval compares the next test run with. Use it after a
# change that alters what a notebook shows; review the diff before committing.
# Arguments: the notebooks to refresh (default: all), e.g. notebooks/2_send_messages.ipynb
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/_python.sh"
PY=$(hw4_python dev)
cd "$HW4_ROOT"
trap 'bash scripts/stop_all.sh >/dev/null 2>&1 || true' EXIT
if [ "$#" -gt 0 ]; then NOTEBOOKS=("$@"); else NOTEBOOKS=(notebooks/[0-9]*.ipynb); fi
for nb in "${NOTEBOOKS[@]}"; do
    echo "running $nb"
    "$PY" -m jupyter nbconvert --to notebook --execute --inplace \
        --ExecutePreprocessor.timeout=300 "$nb"
done
# no widget state or run-specific metadata in the saved files
"$PY" - "${NOTEBOOKS[@]}" <<'PYEOF'
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
