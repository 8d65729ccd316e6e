r"""The kinds of personal data `detect` looks for: `Kind`, `register`, and what follows from them.

A kind is declared once (kinds.py declares the built-in ones, in their rank order):

    register(Kind("EMPLOYEE_NUMBER", find=r"\bEMP-\d{6}\b",
                  mask=lambda value: "EMP-******", words=("employee number",)))

and everything else is derived from the declarations here: the type names (`TYPES`), the
order in which overlapping findings win (`RANK_OF`), the finders `detect` runs and the test
each needs (`FINDERS`), the hints (`mask`) and the sensitive words (`KEYWORDS`).
docs/detection.md ("Adding a kind of personal data") has the recipe.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from hw4.detection.base import KEYWORD, Candidate, Scan
from hw4.detection.keywords import keyword_matcher
from hw4.detection.masking import keyword_hint, tail_mask

FindFunction = Callable[[str], Iterable[Candidate]]


def always(scan: Scan) -> bool:
    """The pre-scan test of a finder that runs on every text."""
    return True


@dataclass(frozen=True)
class Finder:
    """One way of finding a kind's values, and the test a text's `Scan` must pass for it to run.

    `find` is a regex (its whole match is the value) or a function that takes the text and
    yields `(type, start, end, confidence, value)` tuples. `when` must be true for every text
    in which `find` finds something (it only saves time: see `Scan` in base.py).
    """

    find: str | re.Pattern[str] | FindFunction
    when: Callable[[Scan], bool] = always


@dataclass(frozen=True)
class Kind:
    """One kind of personal data.

    * `name`: the type in findings, alerts and the 422's `findings` ("EMPLOYEE_NUMBER");
    * `find`: a regex, a function (see `Finder.find`), or several `Finder`s;
    * `mask`: the hint shown in place of a value (masking.py); at most a third of the value;
    * `words`: the words that name it ("employee number"): alone in a message they are a
      KEYWORD finding, and next to a value of this kind they are not reported;
    * `before`: the kind this one beats when two findings overlap (and every kind after it);
      by default it ranks after every kind declared before it;
    * `confidence`: the confidence of the findings of a regex.
    """

    name: str
    find: str | re.Pattern[str] | FindFunction | tuple[Finder, ...]
    mask: Callable[[str], str] = tail_mask
    words: tuple[str, ...] = ()
    before: str | None = None
    confidence: float = 0.9

    def finders(self) -> tuple[tuple[FindFunction, Callable[[Scan], bool]], ...]:
        """(find, when) pairs, each regex made a function that yields candidates."""
        found = self.find if isinstance(self.find, tuple) else (Finder(self.find),)
        return tuple((self._function(f.find), f.when) for f in found)

    def _function(self, find: str | re.Pattern[str] | FindFunction) -> FindFunction:
        if callable(find) and not isinstance(find, re.Pattern):
            return find
        regex = re.compile(find)

        def find_pattern(text: str) -> Iterable[Candidate]:
            for m in regex.finditer(text):
                yield self.name, m.start(), m.end(), self.confidence, m.group()

        return find_pattern


_KINDS: list[Kind] = []  # rank order: the first wins an overlap

# Derived from _KINDS by _derive() after every change, so `detect` only reads them.
#: every type name `detect` may report, KEYWORD included
TYPES: set[str] = {KEYWORD}
#: type name -> rank (0 wins an overlap; KEYWORD ranks last)
RANK_OF: dict[str, int] = {KEYWORD: 0}
#: (find, when) of every kind, in rank order: `detect` runs each `find` whose `when` is true
FINDERS: tuple[tuple[FindFunction, Callable[[Scan], bool]], ...] = ()
#: type name -> masking function
MASKS: dict[str, Callable[[str], str]] = {KEYWORD: keyword_hint}
#: the trigger words and regex of the sensitive words (keywords.py and the kinds' `words`)
KEYWORDS: tuple[frozenset[str], re.Pattern[str]] = keyword_matcher()


def register(kind: Kind) -> Kind:
    """Add `kind` to what `detect` looks for; return it."""
    if kind.name in TYPES:
        raise ValueError(f"a kind named {kind.name!r} is already registered")
    names = [k.name for k in _KINDS]
    if kind.before is not None and kind.before not in names:
        raise ValueError(f"{kind.name}: no kind named {kind.before!r} to rank before")
    _KINDS.insert(names.index(kind.before) if kind.before else len(names), kind)
    _derive()
    return kind


def unregister(name: str) -> None:
    """Remove the kind named `name` (a test that registered one removes it this way)."""
    _KINDS[:] = [k for k in _KINDS if k.name != name]
    _derive()


def _derive() -> None:
    global FINDERS, KEYWORDS
    names = [k.name for k in _KINDS]
    # TYPES, RANK_OF and MASKS are changed in place: `from hw4.detection import TYPES` stays live
    TYPES.clear()
    TYPES.update(names, (KEYWORD,))
    RANK_OF.clear()
    RANK_OF.update({name: i for i, name in enumerate((*names, KEYWORD))})
    MASKS.clear()
    MASKS.update({k.name: k.mask for k in _KINDS})
    MASKS[KEYWORD] = keyword_hint
    FINDERS = tuple(pair for kind in _KINDS for pair in kind.finders())
    KEYWORDS = keyword_matcher(tuple(word for kind in _KINDS for word in kind.words))


def mask(value: str, kind: str) -> str:
    """The masked hint shown in place of `value` (a finding's raw text) for type `kind`."""
    return MASKS.get(kind, tail_mask)(value)
