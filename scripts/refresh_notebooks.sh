#!/usr/bin/env bash
# Re-run every notebook top to bottom against the system on the default ports and
# save it with its new outputs: what nbval compares the next test run with. Use it
# after a change that alters what a notebook shows; review the diff before committing.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/_python.sh"
PY=$(hw4_python dev)
cd "$HW4_ROOT"
trap 'bash scripts/stop_all.sh >/dev/null 2>&1 || true' EXIT
for nb in notebooks/[0-9]*.ipynb; do
    echo "running $nb"
    "$PY" -m jupyter nbconvert --to notebook --execute --inplace \
        --ExecutePreprocessor.timeout=300 "$nb"
done
# no widget state or run-specific metadata in the saved files
"$PY" - <<'PYEOF'
import glob
import json

for path in sorted(glob.glob("notebooks/[0-9]*.ipynb")):
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
