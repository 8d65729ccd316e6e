"""The drop check's decisions (hw4/drop_check.py), without Redis: what one round makes
of each unsettled id. tests/reliability/test_dropped_tasks.py runs it for real."""

from __future__ import annotations

from hw4.drop_check import sort_out

GRACE = 60.0
NOW = 1000.0


def test_each_id_is_sorted_by_what_the_round_saw():
    ids = ["done", "waiting", "new", "young", "old", "back"]
    found = sort_out(
        ids,
        settled=[True, False, False, False, False, False],
        missing_since=[None, None, None, NOW - 10, NOW - GRACE, NOW - 500],
        queued={"waiting", "back", "elsewhere"}, now=NOW, grace=GRACE)
    assert found.settled == ["done"]
    # in a queue: waiting behind others is not missing, whatever was seen before
    assert found.seen == ["waiting", "back"]
    assert found.missing == ["new"]  # the first look that misses it: the grace starts
    assert found.overdue == ["old"]  # missing for the whole grace: sent again
    # "young" has been missing 10 s: it is left alone, still marked, until the grace ends


def test_a_task_with_a_state_is_settled_even_when_it_is_queued_again():
    # a task interrupted mid-run is queued again by Redis: it has a state (STARTED),
    # and running it again is Redis's business, not the check's
    found = sort_out(["t"], [True], [NOW - 500], {"t"}, NOW, GRACE)
    assert (found.settled, found.seen, found.overdue) == (["t"], [], [])
