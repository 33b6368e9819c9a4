"""What kind of query this is, and the names and words in it that ranking steps look for.

A bare or qualified identifier ("Router", "Rails::Engine", "Session.send") is a symbol
lookup: its definitions should lead. Anything with spaces is natural language, which may
still embed identifiers ("where does parseHeaders split lines") that count at half strength.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from swe_agent.code.tokens import STOPWORDS, split_identifier, stem, terms

_QUALIFIED = re.compile(r"^[A-Za-z_$][\w$]*(?:(?:::|\\|->|\.|#)[A-Za-z_$][\w$]*)*$")
_SEPARATORS = re.compile(r"::|\\|->|\.|#")
# identifiers inside prose: camelCase, PascalCase with an inner capital, snake_case, dotted
_EMBEDDED = re.compile(
    r"\b(?:[A-Z][a-z0-9]+[A-Z][A-Za-z0-9]*|[a-z][a-z0-9]*[A-Z][A-Za-z0-9]*"
    r"|[A-Za-z][A-Za-z0-9]*_[A-Za-z0-9_]+|[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+)\b"
)
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9]*")
_CAPITALISED = re.compile(r"[A-Z][a-z]")  # a capital inside a sentence: a name, not an acronym
# asking for test code itself, not about a test runner's behaviour ("how are tests selected")
_WANTS_TESTS = re.compile(
    r"\b(?:unit tests?|tests? (?:files?|suites?|cases?|helpers?|for)|fixtures?|mocks?|specs?)\b",
    re.I,
)
_WANTS_DOCS = re.compile(r"\b(?:docs?|documentation|readme|changelog|guide|tutorial)\b", re.I)
_WANTS_EXAMPLES = re.compile(r"\b(?:examples?|samples?|demos?)\b", re.I)
# Past this length a text is an issue, which names docs, tests and examples in passing ("the
# docs say..."; GitHub Readme Stats); what it asks for is in its first line, its title.
ISSUE_LENGTH = 400
TITLE = 200


def issue_title(text: str) -> str:
    """An issue's first line, what it asks for."""
    return (text.strip().splitlines() or [""])[0][:TITLE]


@dataclass(frozen=True, slots=True)
class Query:
    text: str
    symbol: bool  # the whole query is one (possibly qualified) identifier
    names: tuple[str, ...]  # identifiers whose definitions count: last parts, best first
    qualifiers: tuple[str, ...]  # the parts before the last one, e.g. ("Rails",) in Rails::Engine
    words: frozenset[str]  # stemmed content words, for matching file and folder names
    terms: tuple[str, ...]  # BM25 terms
    wants_tests: bool
    wants_docs: bool
    wants_examples: bool


@lru_cache(maxsize=65536)  # pure, and questions repeat their words
def _content_words(word: str) -> tuple[str, ...]:
    """The stemmed parts of a word that say what it is about, for matching file names."""
    return tuple(
        stem(part)
        for part in (split_identifier(word) or [word.lower()])
        if len(part) > 2 and part not in STOPWORDS
    )


def parse_query(text: str) -> Query:
    title = issue_title(text)
    text = " ".join(text.split())
    symbol = bool(_QUALIFIED.match(text))
    names: tuple[str, ...]
    if symbol:
        parts = [p for p in _SEPARATORS.split(text) if p]
        names, qualifiers = (parts[-1],), tuple(parts[:-1])
    else:
        found = dict.fromkeys(_SEPARATORS.split(m)[-1] for m in _EMBEDDED.findall(text))
        found.update(dict.fromkeys(w for w in _WORD.findall(text)[1:] if _CAPITALISED.match(w)))
        names, qualifiers = tuple(n for n in found if len(n) > 2), ()
    words = frozenset(w for word in _WORD.findall(text) for w in _content_words(word))
    asks = text if len(text) <= ISSUE_LENGTH else title
    return Query(
        text=text,
        symbol=symbol,
        names=names,
        qualifiers=qualifiers,
        words=words,
        terms=tuple(terms(text)[:400]),
        wants_tests=bool(_WANTS_TESTS.search(asks)),
        wants_docs=bool(_WANTS_DOCS.search(asks)),
        wants_examples=bool(_WANTS_EXAMPLES.search(asks)),
    )
