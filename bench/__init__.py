"""hw4's benchmark: the real system and same-stack baselines, measured in one run.

Run it with ``scripts/bench.sh`` (or ``python -m bench``); see bench/README.md.
"""
