#!/usr/bin/env bash
# The test suite. The tests start their own systems (on their own ports and folders)
# and always stop them; your running hw4 is left alone.
#
#   scripts/test.sh           the full run, what CI runs: the tests that can run at once
#                             run at once (HW4_TEST_PROCESSES processes, default 4), then
#                             the ones marked "alone" (they measure) run by themselves;
#                             each part lists its ten slowest tests
#   scripts/test.sh --quick   the unit tests and one message end to end (async and sync),
#                             under a minute: for while you work
#
# More arguments go to pytest: scripts/test.sh tests/test_service_1.py -x
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/_python.sh"
PY=$(hw4_python dev)
cd "$HW4_ROOT"
# Python's bytecode caches (__pycache__/, ignored by git), even where the environment turns
# them off: without them each test process compiles, and pytest rewrites, every test module
# and hw4 module again, and so does each service and worker the tests start (on 2 cores,
# starting the first part's processes and collecting took 36 s instead of 19 s)
unset PYTHONDONTWRITEBYTECODE
# The tests' temporary folders (their systems' logs, reports and Redis's append-only
# file) in memory where Linux offers it: Redis syncs every write to disk, and on a busy
# or shared disk one sync sometimes waited seconds (in CI, every write of one test
# system's Redis took 3.7-7.3 s for half a minute, and service_1's 503s failed tests
# about something else). pytest keeps its last three runs' folders there, as in /tmp.
if [ -z "${TMPDIR:-}" ] && [ -d /dev/shm ] && [ -w /dev/shm ]; then
    export TMPDIR=/dev/shm
fi

# pytest's exit code 5 means "no test was selected": not a failure for a part
# that the arguments leave empty (no test marked "alone" among the files named)
run_part() {
    local status=0
    "$PY" -m pytest "$@" || status=$?
    [ "$status" -eq 5 ] && status=0
    return "$status"
}

if [ "${1:-}" = "--quick" ]; then
    shift
    exec "$PY" -m pytest tests -m "not integration or quick" "$@"
fi

# --dist loadgroup: tests/conftest.py puts each module that starts a system, and all the
# notebooks, in a group of its own that one process runs in order
status=0
run_part -n "${HW4_TEST_PROCESSES:-4}" --dist loadgroup --no-loadscope-reorder \
    -m "not alone" --durations=10 "$@" || status=$?
echo "--- the tests that run alone ---"
# only the files that mark a test "alone", unless the arguments name tests of their own:
# collecting the whole suite again to run one test took about 8 s
alone_files=()
named=false
for arg in "$@"; do [ -e "${arg%%::*}" ] && named=true; done
if ! $named; then
    while IFS= read -r file; do alone_files+=("$file"); done \
        < <(grep -rl --include='*.py' 'mark\.alone' tests)
fi
run_part -m alone --durations=10 ${alone_files[@]+"${alone_files[@]}"} "$@" || status=$?
exit "$status"
