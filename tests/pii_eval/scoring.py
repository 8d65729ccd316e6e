"""Scores of a detector on (text, labels) messages: per type, and per message in two readings.

* per type: message-level precision and recall of each type (`tests.pii_corpus.score`);
* strict reading: a message is positive when it discloses a value (any label but KEYWORD),
  and the detector says so when it finds any value type;
* keyword reading: the keyword policy "block" of service_1: a message is positive when it has
  any label, KEYWORD included, and the detector says so when it finds anything.

Run `python -m tests.pii_eval.scoring [tune|report]` for hw4's table and its misses.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable

from hw4.detection import KEYWORD, TYPES, detect
from tests.pii_corpus import score

Predict = Callable[[str], set[str]]


def hw4_predict(text: str) -> set[str]:
    return {f.type for f in detect(text)}


def f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def message_f1(messages: Iterable[tuple[str, frozenset[str]]], predict: Predict,
               keyword: bool) -> tuple[float, float, float]:
    """(precision, recall, F1) of "this message holds personal data" in one reading."""
    tp = fp = fn = 0
    for text, labels in messages:
        found = predict(text)
        if not keyword:
            labels, found = labels - {KEYWORD}, found - {KEYWORD}
        if found and labels:
            tp += 1
        elif found:
            fp += 1
        elif labels:
            fn += 1
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return p, r, f1(p, r)


def report(messages: list[tuple[str, frozenset[str]]], predict: Predict = hw4_predict,
           types: Iterable[str] = TYPES) -> str:
    lines = ["| type          | precision | recall |  tp |  fp |  fn |",
             "|---------------|-----------|--------|-----|-----|-----|"]
    for kind, (p, r, tp, fp, fn) in score(messages, predict, types).items():
        lines.append(f"| {kind:13} |   {p:.3f}   |  {r:.3f} | {tp:3} | {fp:3} | {fn:3} |")
    for name, keyword in (("strict", False), ("keyword", True)):
        p, r, f = message_f1(messages, predict, keyword)
        lines.append(f"message level, {name} reading: precision {p:.3f} recall {r:.3f} "
                     f"F1 {f:.3f}")
    return "\n".join(lines)


if __name__ == "__main__":
    from tests.pii_eval.generate import half

    messages = half(sys.argv[1] if len(sys.argv) > 1 else "tune")
    print(report(messages))
    for text, labels in messages:
        found = hw4_predict(text)
        if found != labels:
            print(sorted(labels), sorted(found), text[:110].replace("\n", " "))
