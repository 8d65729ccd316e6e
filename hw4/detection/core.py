"""`detect`: the one pass that runs every family's finders and keeps the most specific findings.

1. A pre-scan (`_Scan`) notes cheap facts about the text: its words, whether it has a digit
   or six digits close together, "@", ... Each finder in `_FINDERS` runs only when the text
   passes its test, so a chat message without digits or trigger words skips nearly all of them.
2. The finders yield candidates; where candidates overlap, the one of the most specific type
   wins (`RANK` in base.py), then the longer one.
3. A KEYWORD is kept only when no value finding sits next to it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import cache

from hw4.detection import (
    address,
    contact,
    credentials,
    finance,
    identity,
    keywords,
    national_ids,
    network,
)
from hw4.detection.base import CJK_RE, KEYWORD, RANK, WORD, Candidate, Finding, fold, spaced
from hw4.detection.masking import mask

_RANK_OF = {t: i for i, t in enumerate(RANK)}


def _resolve(candidates: list[Candidate]) -> list[Candidate]:
    """Keep the most specific of overlapping candidates (rank, then longer span)."""
    kept: list[Candidate] = []
    for cand in sorted(candidates, key=lambda c: (_RANK_OF[c[0]], c[1] - c[2], c[1])):
        if all(cand[2] <= k[1] or cand[1] >= k[2] for k in kept):
            kept.append(cand)
    return kept


class _Scan:
    """Cheap facts about a text, computed once, that decide which finders run at all.

    Every finder runs one or more regexes over the whole text, and most need something a
    single pass finds: a digit, a run of six digits, "@", or one of their trigger words. A
    chat message without digits or trigger words then costs one tokenising pass instead of
    about twenty regex passes.
    """

    __slots__ = ("cjk", "digits", "folded", "numberish", "text", "words")

    def __init__(self, text: str) -> None:
        self.cjk = not text.isascii() and CJK_RE.search(text) is not None
        # the value finders see a CJK character next to a value as a space (base.spaced)
        self.text = spaced(text) if self.cjk else text
        self.folded = fold(self.text)
        # the words, split as base.triggers splits its phrases
        words = WORD.findall(self.folded)
        # CJK text has no spaces between words: "你的iban发给我" is one \w+ run. The Latin words
        # inside it count as words, and CJK trigger words are looked for inside the text
        if self.cjk:
            words += _LATIN_RUN.findall(self.folded)
        self.words = frozenset(words)
        self.digits = _DIGIT.search(text) is not None
        self.numberish = self.digits and _NUMBERISH.search(text) is not None

    def has(self, triggers: frozenset[str]) -> bool:
        if not self.words.isdisjoint(triggers):
            return True
        return self.cjk and any(t in self.folded for t in _cjk_words(triggers))


@cache
def _cjk_words(triggers: frozenset[str]) -> tuple[str, ...]:
    return tuple(t for t in triggers if CJK_RE.search(t))


_LATIN_RUN = re.compile(r"[a-z0-9]+")
_DIGIT = re.compile(r"\d")
# six digits with at most three other characters between neighbours: the least that a phone
# number, card, IBAN, SSN or national id contains
_NUMBERISH = re.compile(r"\d(?:\D{0,3}\d){5}")

# Each finder with the test a text must pass for the finder to find anything at all. The
# order is that of RANK (contact.find_phone relies on it) and settles exact ties in _resolve.
# (find_phone also takes the values kept so far, see _find_values)
_FINDERS: tuple[tuple[Callable[..., Iterator[Candidate]], Callable[[_Scan], bool]], ...] = (
    (credentials.find_secret, lambda s: credentials.LONG_TOKEN.search(s.text) is not None),
    # the value must contain a digit (credentials._high_entropy)
    (credentials.find_secret_after_word, lambda s: s.digits and s.has(credentials.SECRET_TRIGGERS)),
    (finance.find_card, lambda s: s.numberish),
    (finance.find_iban, lambda s: s.numberish),
    (identity.find_strong_id, lambda s: s.numberish),
    (identity.find_context_id, lambda s: s.numberish and s.has(identity.ID_TRIGGERS)),
    (identity.find_passport, lambda s: s.numberish and s.has(identity.PASSPORT_TRIGGERS)),
    (national_ids.find_named_id, lambda s: s.numberish and s.has(national_ids.NAMED_ID_TRIGGERS)),
    (identity.find_ssn, lambda s: s.numberish),
    (contact.find_email, lambda s: "@" in s.text),
    (contact.find_spelled_email, lambda s: "dot" in s.words),
    (credentials.find_password, lambda s: s.has(credentials.PASSWORD_TRIGGERS)),
    (credentials.find_login, lambda s: credentials.LOGIN_ANYWHERE.search(s.folded) is not None),
    (credentials.find_url_credentials, lambda s: "://" in s.text),
    # an IPv6 address may be all hex letters
    (network.find_ip, lambda s: s.digits or s.text.count(":") >= 2),
    (identity.find_dob, lambda s: s.digits and s.has(identity.DOB_TRIGGERS)),
    (contact.find_phone, lambda s: s.numberish),
    # one of these two, depending on whether a German/Dutch form can match
    (address.find_address,
     lambda s: s.digits and address.DE_NL_STREET.search(s.folded) is not None),
    (address.find_address_not_de_nl, lambda s: s.digits and (
        s.has(address.STREET_TRIGGERS) or address.US_ADDRESS_END.search(s.text) is not None)
        and address.DE_NL_STREET.search(s.folded) is None),
    (address.find_address_after_intro, lambda s: s.digits and s.has(address.INTRO_TRIGGERS)),
)


def _find_values(scan: _Scan) -> list[Candidate]:
    candidates: list[Candidate] = []
    for find, can_match in _FINDERS:
        if not can_match(scan):
            continue
        if find is contact.find_phone:
            # every finder before it reports a more specific type (_FINDERS is in RANK order)
            candidates.extend(contact.find_phone(scan.text, _resolve(candidates)))
        else:
            candidates.extend(find(scan.text))
    return _resolve(candidates)


def detect(text: str) -> list[Finding]:
    """All personal data found in `text`, sorted by start offset."""
    if not text:
        return []
    scan = _Scan(text)
    values = _find_values(scan)
    window = keywords.KEYWORD_WINDOW
    found_keywords = [
        k for k in (keywords.find_keyword(text, scan.folded)
                    if scan.has(keywords.KEYWORD_TRIGGERS) else ())
        if not any(v[1] - window <= k[2] and k[1] <= v[2] + window // 2 for v in values)
    ]
    kept = _resolve(values + found_keywords)
    kept.sort(key=lambda c: (c[1], c[2]))
    return [Finding(t, s, e, conf, mask(v, t), v) for t, s, e, conf, v in kept]


def keyword_only(findings: list[Finding]) -> bool:
    """True when there are findings and every one is a bare KEYWORD (no value disclosed)."""
    return bool(findings) and all(f.type == KEYWORD for f in findings)
