"""C and C++ macros that stand where the grammar wants a declaration, blanked before parsing.

Projects wrap their declarations in macros that the preprocessor turns into attributes,
`inline`, `export` or a namespace (`FMT_CONSTEXPR auto size()`, `JSON_HEDLEY_NON_NULL(1)` on
its own line, `simdjson_inline simdjson_result<value> document::at(...)`,
`NLOHMANN_JSON_NAMESPACE_BEGIN`). tree-sitter does not expand macros, so it reads such a
name as a type, and a declaration with one word too many becomes an ERROR node: the
function loses its definition, or its class its span. The rule needs no list of names:

- a declaration has one type and one declarator name before its `(`, `=`, `;` or `{` (one
  name alone after a built-in type such as `int` or `auto`, or for a destructor): plain
  identifiers in front of those are macros;
- an identifier, or a call `NAME(...)`, in front of a word that only begins a declaration
  (`template`, `class`, `static`, `namespace`...) is a macro, and so is a run of them alone
  between declarations (`NLOHMANN_JSON_NAMESPACE_END` before `#endif` or the file's end);
- `class NAME1 NAME2 {` (or `: base`) has one name: NAME1 is a macro (`class FMT_API error`);
- a name and a colon alone where a declaration starts is a macro that stands for an access
  specifier (`JSON_PRIVATE_UNLESS_TESTED:`), or a label, which holds no definition;
- in a function's body, `NAME {` and `NAME(...) {` open a block through a macro (`JSON_TRY`);
- a conditional (`#if`) inside a declaration keeps its first branch (`_inner_ifs`).

Blanking writes spaces over those bytes (newlines stay), so every line and byte offset of
the parsed tree is the file's own. Pure.
"""

from __future__ import annotations

import re

# One significant token after the white space and comments before it; a preprocessor line is
# one token. The lines of white space and comments are taken whole and never given back (an
# atomic group), so a directive starts at its line's start; every position matches something
# (at worst the end), so no input makes the scan slow.
_TOKEN = re.compile(
    rb"(?>(?:[ \t\r\f\v]*(?:\n|//[^\n]*|/\*.*?(?:\*/|\Z)|\\\r?\n))*)"
    rb"(?:(?P<pre>^[ \t]*\#(?:\\\r?\n|/\*.*?\*/|[^\n])*)|[ \t\r\f\v]*(?:"
    rb"(?P<str>(?:u8|[uUL])?R\"(?P<delim>[^ ()\\\t\n]{0,16})\(.*?\)(?P=delim)\""
    rb"|(?:u8|[uUL])?\"(?:\\.|[^\"\\\n])*\"|(?:u8|[uUL])?'(?:\\.|[^'\\\n])*')"
    rb"|(?P<num>\.?[0-9](?:[eEpP][+-]|['\w.])*)"
    rb"|(?P<id>[A-Za-z_$][\w$]*)"
    rb"|(?P<op>::|->|<<=?|<=>?|>=|==|!=|&&|\|\||\+\+|--|\[\[|\S)|(?P<end>\Z)))",
    re.DOTALL | re.MULTILINE,
)
_BLANK = re.compile(rb"[^\r\n]")

# Built-in types: with one of them the declaration needs only its name.
TYPES = frozenset(
    b"void bool char char8_t char16_t char32_t wchar_t short int long float double signed"
    b" unsigned auto _Bool _Complex __int128".split()
)
# Words that begin a declaration and never follow its type: a name in front of one is a macro.
STARTERS = frozenset(
    b"class struct union enum namespace template typedef using static_assert _Static_assert"
    b" extern static inline virtual explicit friend constexpr consteval constinit".split()
)
# Other words of a declaration's head, passed over.
SPECIFIERS = frozenset(
    b"const volatile mutable register thread_local _Thread_local __inline __inline__"
    b" __forceinline restrict __restrict __restrict__ typename _Noreturn _Atomic __extension__"
    b" noexcept".split()
)
# Words followed by an argument list that belongs to the head.
WITH_ARGUMENTS = frozenset(
    b"alignas _Alignas __attribute__ __attribute __declspec decltype __typeof__ typeof".split()
)
# Starters that only qualify the declaration that goes on after them.
SPECIFYING_STARTERS = frozenset(
    b"extern static inline virtual explicit friend constexpr consteval constinit".split()
)
# Keywords of statements and expressions: a head that meets one is not a declaration's.
KEYWORDS = frozenset(
    b"if else while for do switch case default return goto break continue sizeof new delete"
    b" throw try catch this true false nullptr public private protected co_await co_return"
    b" co_yield requires concept export module import asm __asm__ _Generic alignof _Alignof"
    b" static_cast dynamic_cast reinterpret_cast const_cast typeid NULL".split()
)
CLASS_KEYS = frozenset((b"class", b"struct", b"union"))
# Words that may follow a function's parameter list: a `NAME(...)` before one is a function.
AFTER_PARAMETERS = frozenset(
    b"const volatile noexcept override final throw requires try mutable".split()
)
ACCESS = frozenset((b"public", b"private", b"protected"))
# What stands before the `{` of a function's body (or of a block in one).
BODY_OPENERS = frozenset(
    (b")", b"const", b"noexcept", b"override", b"final", b"mutable", b"try", b"else", b"do")
)
MAX_ANGLE = 400  # tokens of template arguments looked through before giving up


class _Tokens:
    """The file's significant tokens: (kind, text, start, end); comments and white space are
    left out, a preprocessor line is one token."""

    def __init__(self, source: bytes) -> None:
        self.items: list[tuple[str, bytes, int, int]] = []
        for m in _TOKEN.finditer(source):
            kind = m.lastgroup or "op"
            if kind == "end":
                break
            if kind == "delim":
                kind = "str"
            start, end = m.span(kind)
            self.items.append((kind, source[start:end], start, end))

    def __len__(self) -> int:
        return len(self.items)

    def text(self, i: int) -> bytes:
        return self.items[i][1] if i < len(self.items) else b""

    def kind(self, i: int) -> str:
        return self.items[i][0] if i < len(self.items) else "end"

    def closing(self, i: int, opening: bytes, close: bytes, limit: int) -> int | None:
        """The index of the token that closes the bracket at i (None when not found near)."""
        depth = 0
        for j in range(i, min(len(self.items), i + limit)):
            text = self.items[j][1]
            if text == opening:
                depth += 1
            elif text == close:
                depth -= 1
                if depth == 0:
                    return j
            elif opening == b"<" and text in (b";", b"{", b"}"):
                return None
        return None


def blank_macros(source: bytes) -> bytes:
    """The source with its declaration-wrapping macros written over with spaces, and with the
    first branch of each conditional that stands inside a declaration kept (`_inner_ifs`)."""
    tokens = _Tokens(source)
    spans = _inner_ifs(tokens)
    last = b";"  # the last token outside preprocessor lines, as far as it ends a statement
    braces: list[bool] = []  # for each open brace, whether it holds code (a function's body)
    for i in range(len(tokens)):
        kind, text = tokens.kind(i), tokens.text(i)
        if kind == "pre":
            continue
        if last in (b";", b"{", b"}", b"access:"):
            code = bool(braces) and braces[-1]
            spans += _Head(tokens, i, opened=last == b"{", code=code).blanks()
        if text == b"{":
            braces.append(bool(braces and braces[-1]) or last in BODY_OPENERS)
        elif text == b"}" and braces:
            braces.pop()
        if text == b":" and tokens.text(i - 1) in ACCESS:
            last = b"access:"
        else:
            last = text if kind in ("op", "id") else b""
    if not spans:
        return source
    out = bytearray(source)
    for start, end in spans:
        out[start:end] = _BLANK.sub(b" ", source[start:end])
    return bytes(out)


_CONDITIONAL = re.compile(rb"[ \t]*#[ \t]*(if|ifdef|ifndef|elif|else|endif)\b")


def _inner_ifs(tokens: _Tokens) -> list[tuple[int, int]]:
    """tree-sitter reads `#if` between declarations and statements, not inside one (in a
    parameter list, in template arguments, between `template <...>` and the function), where
    it breaks the whole definition around it. There a conditional keeps its first branch, as
    a compiler with its condition true would: the directive lines and the other branches are
    blanked."""
    spans: list[tuple[int, int]] = []
    depth = 0  # ( and [ open since the last ; { or }
    template_end = -1  # where the last `template <` closes
    last = b";"
    i = 0
    while i < len(tokens):
        kind, text = tokens.kind(i), tokens.text(i)
        if kind != "pre":
            if text in (b"(", b"["):
                depth += 1
            elif text in (b")", b"]"):
                depth = max(depth - 1, 0)
            elif text in (b";", b"{", b"}"):
                depth = 0
            elif text == b"template" and tokens.text(i + 1) == b"<":
                template_end = tokens.closing(i + 1, b"<", b">", MAX_ANGLE) or -1
            last = text
        elif depth or i < template_end or last == b">":
            found = _CONDITIONAL.match(text)
            if found and found.group(1).startswith(b"if"):
                i = _first_branch(tokens, i, spans)
                continue
        i += 1
    return spans


def _first_branch(tokens: _Tokens, start: int, spans: list[tuple[int, int]]) -> int:
    """Blanks the conditional that opens at `start` but for its first branch's code; returns
    the index after its `#endif` (or after `start` when it does not end in this file)."""
    level, other = 0, None
    for j in range(start, len(tokens)):
        if tokens.kind(j) != "pre":
            continue
        found = _CONDITIONAL.match(tokens.text(j))
        word = found.group(1) if found else b""
        if word.startswith(b"if"):
            level += 1
        elif word == b"endif":
            level -= 1
            if level == 0:
                _, _, begin, end = tokens.items[start]
                spans.append((begin, end))
                first = other if other is not None else j
                spans.append((tokens.items[first][2], tokens.items[j][3]))
                return start + 1
        elif word in (b"elif", b"else") and level == 1 and other is None:
            other = j
    return start + 1


class _Head:
    """The start of one declaration or statement, read word by word up to the token that ends
    its head; `blanks()` gives the byte spans of the macros in it."""

    def __init__(self, tokens: _Tokens, start: int, opened: bool, code: bool = False) -> None:
        self.t = tokens
        self.i = start
        self.opened = opened  # right after `{`: a lone name may be an enumerator
        self.code = code  # inside a function's body
        self.words: list[tuple[int, int, bool]] = []  # first token, last token, plain name
        self.calls: list[tuple[int, int]] = []  # `NAME(...)` in front of the declaration
        self.typed = False  # a built-in type or a destructor: only the name is still needed
        self.spans: list[tuple[int, int]] = []

    def blanks(self) -> list[tuple[int, int]]:
        t = self.t
        while self.i < len(t):
            kind, text = t.kind(self.i), t.text(self.i)
            if kind == "id":
                if text in STARTERS:
                    self._macros_before()
                    if text not in SPECIFYING_STARTERS:
                        return self.spans + self._starter(text)
                    self.i += 2 if text == b"extern" and t.kind(self.i + 1) == "str" else 1
                elif text in TYPES:
                    self.typed = True
                    self.i += 1
                elif text in SPECIFIERS:
                    self.i += 1
                elif text in WITH_ARGUMENTS:
                    if not self._skip_arguments(word=text == b"decltype"):
                        return self.spans
                elif text == b"operator":
                    after = t.text(self.i + 1)
                    if t.kind(self.i + 1) == "id" and after not in (b"new", b"delete"):
                        self.typed = True  # `operator bool()` names its own type
                    self.words.append((self.i, self.i, False))
                    return self._counted()
                elif text in KEYWORDS or not self._word():
                    return self.spans
            elif text in (b"*", b"&", b"&&"):
                self.i += 1
            elif text == b"~":
                self.typed = True
                self.i += 1
            elif text == b"[[":
                end = t.closing(self.i, b"[[", b"]", MAX_ANGLE)
                if end is None or t.text(end + 1) != b"]":
                    return self.spans
                self.i = end + 2
            elif kind == "pre" or text == b"}":
                return self._lone(text == b"}")
            elif text == b":" and self._one_name() and t.text(self.i + 1) != b":":
                return self._spans([(self.words[0][0], self.i)])  # `JSON_PRIVATE_UNLESS_TESTED:`
            elif self.code and self._one_name() and text in (b"{", b"("):
                return self._block_macro()
            else:
                return self._counted()
        return self._lone(False)

    def _one_name(self) -> bool:
        return len(self.words) == 1 and self.words[0][2] and not (self.typed or self.calls)

    def _block_macro(self) -> list[tuple[int, int]]:
        """In a function's body, `NAME {` or `NAME(...) {` opens a block through a macro
        (`JSON_TRY {`, `JSON_CATCH (std::out_of_range&) {`, `jv_array_foreach(a, i, x) {`):
        blanked, the block stays a block."""
        end = self.i - 1
        if self.t.text(self.i) == b"(":
            found = self.t.closing(self.i, b"(", b")", MAX_ANGLE * 4)
            if found is None or self.t.text(found + 1) != b"{":
                return self.spans
            end = found
        return self._spans([(self.words[0][0], end)])

    def _word(self) -> bool:
        """A name, qualified (`a::b`) or with template arguments (`simdjson_result<value>`);
        or a macro call `NAME(...)` in front of the declaration. False: not a declaration."""
        t, first = self.t, self.i
        if t.text(first + 1) == b"(" and not self.words and not self.typed:
            end = t.closing(first + 1, b"(", b")", MAX_ANGLE * 4)
            after = t.text(end + 1) if end is not None else b""
            if (
                end is not None
                and t.kind(end + 1) == "id"
                and after not in AFTER_PARAMETERS
                and after not in WITH_ARGUMENTS
            ):
                self.calls.append((first, end))
                self.i = end + 1
                return True
        plain = True
        self.i += 1
        while True:
            text = t.text(self.i)
            if text == b"<":
                end = t.closing(self.i, b"<", b">", MAX_ANGLE)
                if end is None:
                    return False
                self.i, plain = end + 1, False
            elif text == b"::" and t.kind(self.i + 1) == "id":
                self.i, plain = self.i + 2, False
            elif text == b"::" and t.text(self.i + 1) == b"~":
                self.i, plain = self.i + 3, False
                self.typed = True
            else:
                break
        self.words.append((first, self.i - 1, plain))
        return True

    def _skip_arguments(self, word: bool) -> bool:
        end = self.t.closing(self.i + 1, b"(", b")", MAX_ANGLE * 4)
        if self.t.text(self.i + 1) != b"(" or end is None:
            return False
        if word:
            self.words.append((self.i, end, False))
        self.i = end + 1
        return True

    def _counted(self) -> list[tuple[int, int]]:
        """At the head's end: plain names beyond a type and a name are macros, and so are the
        calls in front, unless one of them is the type (`STACK_OF(X509) certs;`)."""
        names = len(self.words) + (1 if self.typed else 0)
        if self.calls and names >= 2:
            self.spans += self._spans(self.calls)
        extra = len(self.words) - (1 if self.typed else 2)
        for first, last, plain in self.words[: max(extra, 0)]:
            if not plain:
                break
            self.spans += self._spans([(first, last)])
        return self.spans

    def _starter(self, text: bytes) -> list[tuple[int, int]]:
        """A class's own head is read on (`class FMT_API format_error {`), and the declaration
        after `template <...>` too."""
        if text == b"template":
            self.i += 1
            if self.t.text(self.i) == b"<":
                end = self.t.closing(self.i, b"<", b">", MAX_ANGLE)
                if end is None:
                    return []
                self.i = end + 1
            return _Head(self.t, self.i, opened=False).blanks()
        if text in CLASS_KEYS:
            return self._class_head()
        return []

    def _macros_before(self) -> None:
        """Names and calls in front of a word that begins a declaration are macros."""
        if all(plain for _, _, plain in self.words):
            self.spans += self._spans(self.calls + [(a, b) for a, b, _ in self.words])
        self.words, self.calls = [], []

    def _lone(self, closing: bool) -> list[tuple[int, int]]:
        """Names alone up to a preprocessor line or the end: macros, unless they come right
        after a `{` (an enumerator, an initializer); before a `}` they stay."""
        if not (self.opened or closing or self.typed):
            self._macros_before()
        return self.spans

    def _class_head(self) -> list[tuple[int, int]]:
        t = self.t
        i = self.i + 1
        names: list[int] = []
        while True:
            text = t.text(i)
            if text in WITH_ARGUMENTS:
                end = t.closing(i + 1, b"(", b")", MAX_ANGLE)
                if end is None:
                    return []
                i = end + 1
            elif text == b"[[":
                end = t.closing(i, b"[[", b"]", MAX_ANGLE)
                if end is None:
                    return []
                i = end + 2
            elif t.kind(i) == "id" and text != b"final":
                names.append(i)
                i += 1
            else:
                break
        if text == b"final":
            text = t.text(i + 1)
        if len(names) < 2 or text not in (b"{", b":", b"<"):
            return []
        if text == b":" and t.kind(i + 1) != "id" and t.text(i + 1) != b"::":
            return []
        return self._spans([(n, n) for n in names[:-1]])

    def _spans(self, ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
        return [(self.t.items[a][2], self.t.items[b][3]) for a, b in ranges]
