"""What every family of personal data uses: the type names, `Finding`, `Scan` and the helpers.

A finder (one per way of finding a kind of value, in the family modules) takes the text and
yields `Candidate` tuples; `detect` (core.py) resolves their overlaps and turns the kept ones
into `Finding`s. Each finder runs only when the `Scan` of the text passes its test (kinds.py
declares both). The helpers here build the phrase regexes of all families (`phrase_regex`),
the trigger words the pre-scan looks for (`triggers`), and check for a context word just
before a value (`near_before`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

EMAIL = "EMAIL"
PHONE = "PHONE"
CREDIT_CARD = "CREDIT_CARD"
IBAN = "IBAN"
SSN = "SSN"
IP_ADDRESS = "IP_ADDRESS"
PASSWORD = "PASSWORD"
SECRET = "SECRET"
DATE_OF_BIRTH = "DATE_OF_BIRTH"
PERSON_ID = "PERSON_ID"
ADDRESS = "ADDRESS"
KEYWORD = "KEYWORD"


@dataclass(frozen=True)
class Finding:
    """One detected item. `value` holds the raw text and is kept out of repr, eq and public()."""

    type: str
    start: int
    end: int
    confidence: float
    hint: str
    value: str = field(repr=False, compare=False)

    def public(self) -> dict:
        """The serialisable view: everything but the raw value."""
        return {"type": self.type, "start": self.start, "end": self.end,
                "confidence": self.confidence, "hint": self.hint}


Candidate = tuple[str, int, int, float, str]  # type, start, end, confidence, raw value


def near_before(pattern: re.Pattern[str], text: str, start: int, window: int = 40) -> bool:
    """True when `pattern` occurs in the `window` characters before `start`."""
    return pattern.search(text, max(0, start - window), start) is not None


WORD = re.compile(r"\w+")

# Chinese, Japanese and Korean are written without spaces between words: "我的邮箱是ann@x.org",
# "IBANはGB29…です". Kana, ideographs and Hangul (and full-width forms):
CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uff00-\uffef"
CJK_RE = re.compile(f"[{CJK}]")
# (the full-width colon as a space: an ASCII ":" would glue "IP：2001:db8::1" into one address)
_FULL_WIDTH = str.maketrans("：，；（）＝", " ,;()=")
# A value is a run of at least four ASCII characters; shorter runs are parts of words such as
# "API密钥", "IPアドレス". Not the units of a date ("1990年3月12日"): the date patterns read them.
_CJK_NEXT_TO_ASCII = re.compile(
    rf"(?![年月日년월일])(?:[{CJK}](?=[A-Za-z0-9+$<{{-][!-~]{{3}})"
    rf"|(?<=[!-~][ -~]{{2}}[A-Za-z0-9.])[{CJK}])")


def spaced(text: str) -> str:
    """`text` with a CJK character that touches a run of ASCII characters seen as a space.

    The value finders look for a boundary around a value ("ann@x.org" must not be part of a
    longer word); in "邮箱是ann@x.org" the "是" is that boundary. Full-width punctuation is seen
    as its ASCII form, the colon as a space ("密码：" as "密码 "). The result has the length of
    `text`, so offsets found in it are valid in `text`.
    """
    if text.isascii() or CJK_RE.search(text) is None:
        return text
    return _CJK_NEXT_TO_ASCII.sub(" ", text.translate(_FULL_WIDTH))


# A phrase starts and ends at a word boundary, where a CJK character next to it counts as one:
# those scripts are written without spaces, the phrase stands inside a longer run of letters
# ("我的密码是"). The class is compiled without re.IGNORECASE ("(?-i:"): the same set of
# characters, a third of the time to compile, and every phrase has two (importing
# hw4.detection, at each start of service_1, took 0.35 s of CPU before, 0.25 s after).
_START = rf"(?<!(?-i:[^\W{CJK}]))"
_END = rf"(?!(?-i:[^\W{CJK}]))"


def words_regex(*phrases: str, plural: bool = False) -> str:
    """A regex matching one of `phrases` as whole words; for re.IGNORECASE.

    `plural`: "s" or "es" may follow a phrase.
    """
    return rf"{_START}(?:{phrase_regex(*phrases)}){'(?:s|es)?' if plural else ''}{_END}"
# re.IGNORECASE matches these to "i"/"s"; str.lower() does not (it even turns "İ" into two
# characters), so they are mapped first: a trigger word must be found whenever the regex matches
_LIKE_IGNORECASE = (("İ", "i"), ("ı", "i"), ("ſ", "s"))


def fold(text: str) -> str:
    """`text` lower-cased the way re.IGNORECASE compares letters, with the same length.

    The same length keeps match positions in the folded text valid in `text`. Only "İ"
    lower-cases to two characters (Unicode 15) and it is mapped above; the slow path is there
    in case a later Unicode adds another.
    """
    if text.isascii():
        return text.lower()
    for char, like in _LIKE_IGNORECASE:  # str.replace: str.translate is 10x slower here
        text = text.replace(char, like)
    folded = text.lower()
    if len(folded) != len(text):
        folded = "".join(c.lower() if len(c.lower()) == 1 else c for c in folded)
    return folded


class Scan:
    """Cheap facts about a text, computed once, that decide which finders run at all.

    Every finder runs one or more regexes over the whole text, and most need something a
    single pass finds: a digit, a run of six digits, "@", or one of their trigger words. A
    chat message without digits or trigger words then costs one tokenising pass instead of
    about twenty regex passes. A finder's test (`Finder.when` in registry.py) reads these:

    * `text`: the text as the finders see it (`spaced`), `folded`: the same lower-cased (`fold`);
    * `words`: its lower-case words; `has(triggers)`: one of them (see `triggers`) is there;
    * `digits`: it has a digit; `numberish`: six digits close together, the least that a
      phone number, card, IBAN, SSN or national id contains.
    """

    __slots__ = ("cjk", "digits", "folded", "numberish", "text", "words")

    def __init__(self, text: str) -> None:
        self.cjk = not text.isascii() and CJK_RE.search(text) is not None
        # the value finders see a CJK character next to a value as a space (spaced)
        self.text = spaced(text) if self.cjk else text
        self.folded = fold(self.text)
        # the words, split as triggers() splits its phrases
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
# six digits with at most three other characters between neighbours
_NUMBERISH = re.compile(r"\d(?:\D{0,3}\d){5}")


def triggers(phrases: tuple[str, ...], *, open_end: bool = False,
             plural: bool = False) -> frozenset[str]:
    """Words of which one is in a text (whole, lower case) whenever one of `phrases` matches.

    `detect` checks these against the words of the text before running an expensive
    phrase regex. One word per phrase, its longest. The patterns put a word boundary before
    every phrase; after it only when `open_end` is false, otherwise the phrase's last word may
    run on ("i live at" matches "I live athens") and another word is taken. `plural`: the
    pattern allows "s"/"es" after the phrase, so those forms of the last word count too.
    """
    found = set()
    for phrase in phrases:
        words = WORD.findall(fold(phrase))
        ends_in_word = WORD.fullmatch(phrase[-1]) is not None
        usable = words[:-1] if open_end and ends_in_word else words
        if not usable:
            raise ValueError(f"{phrase!r} has no whole word to trigger on")
        word = max(usable, key=len)
        found.add(word)
        if plural and ends_in_word and word == words[-1]:
            found |= {word + "s", word + "es"}
    return frozenset(found)


def phrase_regex(*alternatives: str, lower: bool = True) -> str:
    """A regex matching any of the literal phrases, the longest one when several match.

    Spaces in a phrase match any run of whitespace. The regex is a trie (one branch per first
    character, then per next character, ...) rather than a flat alternation: `re` tries the
    branches of an alternation one after the other at every position of the text, so a flat
    list of 150 phrases cost ~150 failed attempts per character and was the most expensive part
    of `detect`. At each node the longer continuations come before the end of a shorter phrase,
    so the longest phrase is tried first, as in a longest-first alternation. `lower`
    lower-cases the phrases, for patterns compiled with re.IGNORECASE: it keeps "Telefon" and
    "telefon" on one branch (two branches matching the same text would break the
    longest-first order).
    """
    trie: dict[str, dict] = {}
    for phrase in alternatives:
        node = trie
        for ch in phrase.lower() if lower else phrase:
            node = node.setdefault(ch, {})
        node[""] = {}  # a phrase ends here

    def branch(node: dict[str, dict]) -> str:
        alts = [(r"\s+" if ch == " " else re.escape(ch)) + branch(child)
                for ch, child in sorted(node.items()) if ch]
        if not alts:
            return ""
        if len(alts) == 1 and "" not in node:
            return alts[0]
        return "(?:" + "|".join(alts) + ")" + ("?" if "" in node else "")

    return branch(trie)


# Up to four words between the name of a value and its copula ("the PESEL you asked for:").
# Words without digits only: in "PESEL 84070728307 - thanks" or "password Media3524 - ok"
# the value itself must not be skipped as a word, with the dash taken as the copula.
SKIP_WORDS = r"(?:[\s,]+[^\W\d]+\b){0,4}?"

# What stands between the name of a value and the value: ":" or "=", or a copula. Word
# copulas need word boundaries, otherwise the "e" inside "serve" counts as Italian "è";
# CJK particles ("是", "は", "는") stand right after the word.
COPULA = r":=|->|[:=—-]|" + words_regex(
    "is", "ist", "lautet", "est", "es", "è", "e", "é", "era", "was", "war", "is now",
    "ist jetzt", "est maintenant", "es ahora", "è ora", "agora é", "is nu", "to", "это",
    "είναι", "هو", "هي", "הוא", "היא", "है", "是", "为", "為", "は", "が", "는", "은", "이", "가",
)
