"""Message-level precision and recall of the detector per type on the labelled corpus."""

from __future__ import annotations

from collections import Counter

import pytest

from hw4.detection import TYPES, detect
from tests.pii_corpus import build_corpus

THRESHOLD = 0.97


def score(corpus, predict) -> dict[str, tuple[float, float, int, int, int]]:
    """Per type: (precision, recall, tp, fp, fn) over messages."""
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    for text, labels in corpus:
        found = predict(text)
        for t in TYPES:
            if t in found and t in labels:
                tp[t] += 1
            elif t in found:
                fp[t] += 1
            elif t in labels:
                fn[t] += 1
    out = {}
    for t in sorted(TYPES):
        p = tp[t] / (tp[t] + fp[t]) if tp[t] + fp[t] else 1.0
        r = tp[t] / (tp[t] + fn[t]) if tp[t] + fn[t] else 1.0
        out[t] = (p, r, tp[t], fp[t], fn[t])
    return out


def test_corpus_shape() -> None:
    corpus = build_corpus()
    assert len(corpus) >= 400
    with_pii = sum(1 for _, labels in corpus if labels - {"KEYWORD"})
    assert 0.35 <= with_pii / len(corpus) <= 0.65
    assert build_corpus() == corpus  # deterministic
    assert all(labels <= TYPES for _, labels in corpus)
    assert sum(len(text) > 2000 for text, _ in corpus) >= 5


@pytest.mark.parametrize("kind", sorted(TYPES))
def test_precision_and_recall_per_type(kind: str) -> None:
    corpus = build_corpus()
    p, r, tp, fp, fn = score(corpus, lambda text: {f.type for f in detect(text)})[kind]
    assert tp > 0
    misses = [(text[:120], sorted(labels), sorted({f.type for f in detect(text)}))
              for text, labels in corpus
              if (kind in labels) != (kind in {f.type for f in detect(text)})]
    assert p >= THRESHOLD and r >= THRESHOLD, misses
