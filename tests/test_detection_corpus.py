"""Message-level precision and recall of the detector per type on the labelled corpus."""

from __future__ import annotations

import pytest

from hw4.detection import TYPES, detect
from tests.pii_corpus import build_corpus, score

THRESHOLD = 0.97


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
    p, r, tp, fp, fn = score(corpus, lambda text: {f.type for f in detect(text)}, TYPES)[kind]
    assert tp > 0
    misses = [(text[:120], sorted(labels), sorted({f.type for f in detect(text)}))
              for text, labels in corpus
              if (kind in labels) != (kind in {f.type for f in detect(text)})]
    assert p >= THRESHOLD and r >= THRESHOLD, misses
