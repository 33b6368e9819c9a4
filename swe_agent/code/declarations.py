"""A C or C++ declaration (a prototype in a header, a method declared in its class), or a
definition in a TypeScript declaration file (types/index.d.ts), names code that lives
elsewhere. Where the definition is found too, the definition is the code; the declaration is
the answer only where no definition is indexed (a header-only interface, a function of an
external library). Pure."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, TypeVar

DECLARATION = "declaration"  # the kind of a definition without its body (code/extract.py)
DECLARATION_FILES = (".d.ts", ".d.mts", ".d.cts")  # the types of code written in JavaScript


class Named(Protocol):
    @property
    def path(self) -> str: ...

    @property
    def qualname(self) -> str: ...

    @property
    def kind(self) -> str: ...


T = TypeVar("T", bound=Named)


def prefer_definitions(found: Sequence[T]) -> list[T]:
    """found without the declarations whose definition is among them: one of the same
    qualified name, or of the same qualified name under more namespaces (`Capturer::f` defined
    after `using namespace Catch` is the `Catch::Capturer::f` declared)."""
    defined = [d.qualname for d in found if not is_declaration(d)]
    if len(defined) == len(found):
        return list(found)
    return [d for d in found if not is_declaration(d) or not _defined(d.qualname, defined)]


def is_declaration(d: Named) -> bool:
    return d.kind == DECLARATION or d.path.endswith(DECLARATION_FILES)


def _defined(qualname: str, defined: list[str]) -> bool:
    """A bare name matches only itself: `f` defined is no proof that `Capturer::f` is."""
    return any(q == qualname or _within(q, qualname) or _within(qualname, q) for q in defined)


def _within(longer: str, shorter: str) -> bool:
    return "." in shorter and longer.endswith("." + shorter)
