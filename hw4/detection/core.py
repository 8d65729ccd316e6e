"""`detect`: the one pass that runs every family's finders and keeps the most specific findings.

1. A pre-scan (`base.Scan`) notes cheap facts about the text: its words, whether it has a
   digit or six digits close together, "@", ... Each finder of the kinds declared in kinds.py
   (`registry.FINDERS`) runs only when the text passes its test, so a chat message without
   digits or trigger words skips nearly all of them.
2. The finders yield candidates; where candidates overlap, the one of the most specific type
   wins (the kind declared first, `registry.RANK_OF`), then the longer one.
3. A KEYWORD is kept only when no value finding sits next to it.
"""

from __future__ import annotations

from hw4.detection import contact, keywords, registry
from hw4.detection.base import KEYWORD, Candidate, Finding, Scan


def _resolve(candidates: list[Candidate]) -> list[Candidate]:
    """Keep the most specific of overlapping candidates (rank, then longer span)."""
    rank_of = registry.RANK_OF
    kept: list[Candidate] = []
    for cand in sorted(candidates, key=lambda c: (rank_of[c[0]], c[1] - c[2], c[1])):
        if all(cand[2] <= k[1] or cand[1] >= k[2] for k in kept):
            kept.append(cand)
    return kept


def _find_values(scan: Scan) -> list[Candidate]:
    candidates: list[Candidate] = []
    for find, can_match in registry.FINDERS:
        if not can_match(scan):
            continue
        if find is contact.find_phone:
            # every finder before it reports a more specific type (FINDERS is in rank order)
            candidates.extend(contact.find_phone(scan.text, _resolve(candidates)))
        else:
            candidates.extend(find(scan.text))
    return _resolve(candidates)


def detect(text: str) -> list[Finding]:
    """All personal data found in `text`, sorted by start offset."""
    if not text:
        return []
    scan = Scan(text)
    values = _find_values(scan)
    window = keywords.KEYWORD_WINDOW
    keyword_triggers, keyword_regex = registry.KEYWORDS
    found_keywords = [
        k for k in (keywords.find_keyword(text, scan.folded, keyword_regex)
                    if scan.has(keyword_triggers) else ())
        if not any(v[1] - window <= k[2] and k[1] <= v[2] + window // 2 for v in values)
    ]
    kept = _resolve(values + found_keywords)
    kept.sort(key=lambda c: (c[1], c[2]))
    masks = registry.MASKS
    return [Finding(t, s, e, conf, masks[t](v), v) for t, s, e, conf, v in kept]


def keyword_only(findings: list[Finding]) -> bool:
    """True when there are findings and every one is a bare KEYWORD (no value disclosed)."""
    return bool(findings) and all(f.type == KEYWORD for f in findings)
