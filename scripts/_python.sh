# Sourced by the other scripts: finds (or makes) the Python environment of hw4.
#
# 1. $HW4_PYTHON, or the active environment's python, if it already has this
#    checkout's hw4 installed with its dependencies (conda users: see docs/configuration.md);
# 2. otherwise .venv in the repository, created and installed on first use and
#    reinstalled whenever pyproject.toml changes.
# Usage: hw4_python [extra]   prints the python to use ("dev" adds the test tools).

# pwd -P: the real path, as Python reports hw4.__file__ (a checkout reached through
# a symlink would otherwise never match and be reinstalled on every call)
HW4_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)

_hw4_ready() {  # $1 python, $2 modules that must be installed
    # find_spec finds a module without importing it: this check runs before every
    # script, and importing Celery and Flask here would double a warm start
    "$1" -I -c "
import importlib.util, pathlib, sys
for name in sys.argv[2].split(','):
    if importlib.util.find_spec(name) is None:
        sys.exit(1)
import hw4
sys.exit(pathlib.Path(hw4.__file__).resolve().parent.parent != pathlib.Path(sys.argv[1]))
" "$HW4_ROOT" "$2" >/dev/null 2>&1
}

hw4_python() {
    local extra=${1:-} modules=flask,celery,redis,gunicorn,requests,pandas,phonenumbers,stdnum,dotenv
    [ "$extra" = dev ] && modules=$modules,pytest,hypothesis
    local candidate
    for candidate in "${HW4_PYTHON:-}" "${CONDA_PREFIX:+$CONDA_PREFIX/bin/python}" \
                     "${VIRTUAL_ENV:+$VIRTUAL_ENV/bin/python}"; do
        if [ -n "$candidate" ] && [ -x "$candidate" ] && _hw4_ready "$candidate" "$modules"; then
            echo "$candidate"; return 0
        fi
    done
    local venv=$HW4_ROOT/.venv stamp=$HW4_ROOT/.venv/.hw4-installed
    # the stamp records pyproject.toml's checksum and the extra installed;
    # an install with the dev extra also serves a plain run
    local sum want accept
    sum=$(cksum < "$HW4_ROOT/pyproject.toml")
    want="$sum ${extra:-base}"
    accept="^$sum (dev|${extra:-base})\$"
    if [ -x "$venv/bin/python" ] && [ -f "$stamp" ] && grep -qE "$accept" "$stamp" \
            && _hw4_ready "$venv/bin/python" "$modules"; then
        echo "$venv/bin/python"; return 0
    fi
    local base
    base=$(command -v python3 || command -v python) || {
        echo "error: no python3 found; install Python 3.10 or newer" >&2; return 1; }
    echo "Preparing $venv (first run or pyproject.toml changed; takes a minute) ..." >&2
    [ -x "$venv/bin/python" ] || "$base" -m venv "$venv" >&2
    local spec=$HW4_ROOT
    [ -n "$extra" ] && spec="$HW4_ROOT[$extra]"
    if ! "$venv/bin/python" -m pip install --disable-pip-version-check -q -e "$spec" >&2; then
        echo "error: installing hw4 into $venv failed (see pip's output above)" >&2
        return 1
    fi
    echo "$want" > "$stamp"
    echo "$venv/bin/python"
}
