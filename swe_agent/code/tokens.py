"""Terms for BM25: identifiers whole and split (snake_case, camelCase), lower-cased, lightly stemmed.

Code and questions go through the same function, so `resolve_redirects`, `resolveRedirects`
and "redirects are resolved" meet on the terms `resolv` and `redirect`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import lru_cache
from itertools import chain

VERSION = "2"  # bump when terms() changes: stores built with another version are re-indexed
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*|[0-9]{2,}")
_CAMEL = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|[0-9]+")

STOPWORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "but",
        "by",
        "for",
        "from",
        "has",
        "have",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "of",
        "on",
        "or",
        "so",
        "that",
        "the",
        "their",
        "then",
        "there",
        "these",
        "this",
        "to",
        "was",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "why",
        "will",
        "with",
        "you",
        "your",
        "can",
        "does",
        "do",
        "not",
        "no",
        "my",
        "we",
        "our",
        "should",
        "would",
        "could",
        "get",
        "set",
        "self",
        "cls",
        "def",
        "return",
        "none",
        "true",
        "false",
        "null",
        "nil",
        "var",
        "let",
        "const",
        "func",
        "fn",
        "pub",
        "use",
        "import",
        "end",
        "elif",
        "else",
        "try",
        "except",
        "finally",
        "pass",
        "class",
        "new",
        "this",
        "void",
        "int",
        "str",
    ]
)


def stem(word: str) -> str:
    """A deliberately small stemmer: plurals, -ed, -ing, a final e."""
    if len(word) <= 3:
        return word
    if word.endswith("ies") and len(word) > 4:
        word = word[:-3] + "y"
    elif word.endswith("ing") and len(word) >= 6:
        word = _undouble(word[:-3])
    elif word.endswith("ed") and len(word) >= 5:
        word = _undouble(word[:-2])
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    if word.endswith("e") and len(word) > 3:
        word = word[:-1]
    return word


def _undouble(stem: str) -> str:
    """'dropp' -> 'drop', 'runn' -> 'run'; 'call' and 'pass' keep their double letter."""
    if len(stem) >= 3 and stem[-1] == stem[-2] and stem[-1] not in "aeiouls":
        return stem[:-1]
    return stem


def split_identifier(word: str) -> list[str]:
    """`getHTTPResponse_code` -> ['get', 'http', 'response', 'code']. One pass over the whole
    word: no part holds an underscore, and none looks past one (it is neither letter nor digit),
    so the parts are those of each piece between underscores, in order."""
    return [part.lower() for part in _CAMEL.findall(word)]


def terms(text: str) -> list[str]:
    """Every term of text, in order, with repeats: whole identifiers and their parts."""
    return list(_terms_of(text))


def _terms_of(text: str) -> Iterable[str]:
    # mapped and chained in C: a first index splits ~200,000 words of a flask, and a Python
    # loop over them was a third of the tokenising (the split itself is cached per word)
    return chain.from_iterable(map(_word_terms, _WORD.findall(text)))


@lru_cache(maxsize=1 << 17)  # a repository repeats its words: indexing splits each once
def _word_terms(word: str) -> tuple[str, ...]:
    if word.isdigit() or (word.isalpha() and word.islower()):  # one part: the word itself
        term = _part_terms[word]
        return (term,) if term else ()
    lower = word.lower()
    parts = split_identifier(word)
    if len(parts) > 1:
        whole = (lower.strip("_"),) if lower not in STOPWORDS else ()
        return whole + tuple(filter(None, map(_part_terms.__getitem__, parts)))
    if lower not in STOPWORDS and len(lower) > 1:
        return (stem(lower.strip("_")) if lower.strip("_") else lower,)
    return ()


class _Made(dict[str, str]):
    """key -> make(key), made once per key and kept until it holds _TERMS_TEXT_MAX keys (a
    repository of many words: then it starts again)."""

    def __init__(self, make: Callable[[str], str]) -> None:
        super().__init__()
        self.make = make

    def __missing__(self, key: str) -> str:
        value = self.make(key)
        if len(self) >= _TERMS_TEXT_MAX:
            self.clear()
        self[key] = value
        return value


def _part_term(part: str) -> str:
    """A part of an identifier's stem, or '' when it is no term (one letter, a stop word): made
    once per part (_part_terms), which many words share (and a lock file's hashes repeat)."""
    return stem(part) if len(part) > 1 and part not in STOPWORDS else ""


def _word_text(piece: str) -> str:
    """The terms of a word, each followed by a space ('' for a stop word), made once per word
    (_terms_text). Also of a piece of ASCII text between separators (_SEPARATORS), which is a
    word unless it starts with a digit and holds more than digits: then those of the words
    _WORD finds in it (`1st` -> `st`, `2to3` -> `to3`)."""
    if piece[0] in _DIGITS and not piece.isdigit():
        return "".join(map(_terms_text.__getitem__, _WORD.findall(piece)))
    found = _word_terms(piece) if len(piece) > 1 or piece[0] not in _DIGITS else ()
    return " ".join(found) + " " if found else ""


_TERMS_TEXT_MAX = 1 << 17
_terms_text = _Made(_word_text)
_part_terms = _Made(_part_term)
_DIGITS = frozenset("0123456789")
# Each ASCII character that no word holds, as a space: str.translate of ASCII text (in C, with
# a table of 128 characters), then str.split, cuts the text where _WORD's words end for less
# CPU than _WORD.findall (terms_text of flask's chunks, words known: 63 -> 40 ms); the few
# pieces it leaves that _WORD would cut further start with a digit, each cut once (_word_text)
_SEPARATORS = str.maketrans(
    {chr(c): " " for c in range(128) if not (chr(c).isalnum() or chr(c) == "_")}
)


def terms_text(text: str, more: str = "") -> str:
    """The terms of text (as terms() gives them), then `more` (terms_text of other text: a
    chunk's path, made once for all of a file's chunks), each followed by one space, so that
    there are as many terms as spaces. What the store counts into postings: one string made
    in C per chunk rather than a count of its terms in Python."""
    words = text.translate(_SEPARATORS).split() if text.isascii() else _WORD.findall(text)
    return "".join(map(_terms_text.__getitem__, words)) + more
