"""The real work done on a message: cleaning it and counting what is in it.

Plain functions: the Celery task and service_2 both call them.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")
_SPACE = re.compile(r"\s+")


def clean_text(text: str) -> str:
    """Normalise Unicode (NFC), drop control characters, fold runs of white space."""
    text = unicodedata.normalize("NFC", text)
    if not text.isprintable():  # the character loop is slow; most messages skip it
        text = "".join(" " if unicodedata.category(ch).startswith("C") else ch for ch in text)
    return _SPACE.sub(" ", text).strip()


def analyse_text(text: str, top: int = 5) -> dict[str, object]:
    """Counts and most frequent words of ``text`` (JSON-able)."""
    cleaned = clean_text(text)
    words = [w.lower() for w in _WORD.findall(cleaned)]
    counts = Counter(words)
    sentences = [s for s in re.split(r"[.!?]+", cleaned) if s.strip()]
    return {
        "chars": len(cleaned),
        "words": len(words),
        "unique_words": len(counts),
        "sentences": len(sentences),
        "average_word_length": round(sum(map(len, words)) / len(words), 2) if words else 0.0,
        "top_words": [[word, n] for word, n in counts.most_common(top)],
    }
