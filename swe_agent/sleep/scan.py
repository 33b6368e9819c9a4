"""What a definition's own lines do, read with regular expressions: pure functions, any
language with C-like or Python-like syntax. Good enough to phrase questions, never to judge
the code: every finding carries its line so that a note can point at it."""

from __future__ import annotations

import re
from dataclasses import dataclass

_STRING = re.compile(r"""(["'`])((?:\\.|(?!\1)[^\\\n])*)\1""")
_RAISE = re.compile(r"^\s*(?:raise|throw)\s+(?:new\s+)?([A-Za-z_][\w.]*)")
_CONTROL = re.compile(
    r"^\s*(?:\}\s*)?(if|elif|else if|else|except|catch|while|for|unless|when|case|with)\b\s*(.*?)\s*[:{]?\s*$"
)
_DOC_START = re.compile(r"""^\s*[rRbBuUfF]{0,2}(\"\"\"|\'\'\')""")
_TODO = re.compile(r"\b(TODO|FIXME|XXX)\b[:\s]*(.*)")
_REMOVE = (
    re.compile(
        r"([\w.]+)\.(?:pop|remove|discard|delete|removeHeader|del)\(\s*(?:(['\"])([^'\"]+)\2|([A-Za-z_]\w*))"
    ),
    re.compile(r"\b(?:del|delete)\s+([\w.]+)\[\s*(?:(['\"])([^'\"]+)\2|([A-Za-z_]\w*))\s*\]"),
)
_SET_KEY = re.compile(r"([\w.]+)\[\s*(['\"])([^'\"]+)\2\s*\]\s*=(?!=)")
_ASSIGN_ATTR = re.compile(r"^\s*((?:self|this|cls)\.\w+)(?:\[[^\]]*\])?\s*(?:[-+*/|&]|\?\?)?=(?!=)")
_MUTATE = re.compile(
    r"([\w.]+)\.(append|extend|update|clear|add|insert|setdefault|push|splice|sort)\("
)
_RETURN = re.compile(r"^\s*(?:return|yield)\s+(.+?)\s*;?\s*$")
_PARAM = re.compile(r"^\s*[*&.]*\s*([A-Za-z_$][\w$]*)")
_FLAG_DEFAULT = re.compile(r"\b([A-Za-z_]\w*)\s*(?::\s*[\w\[\]| .]+)?=\s*(True|False|true|false)\b")
IO_CALLS = {
    "open": "opens files",
    "write": "writes",
    "print": "prints",
    "warn": "warns",
    "warning": "logs warnings",
    "error": "logs errors",
    "debug": "logs",
    "info": "logs",
    "exit": "exits the process",
    "remove": "removes",
    "unlink": "deletes files",
    "rename": "renames files",
    "makedirs": "creates directories",
    "mkdir": "creates directories",
    "run": "runs commands",
    "Popen": "runs commands",
    "urlopen": "does network I/O",
    "connect": "connects",
    "send": "sends",
    "sendall": "sends",
    "recv": "receives",
    "sleep": "sleeps",
    "setenv": "changes the environment",
    "putenv": "changes the environment",
    "chdir": "changes directory",
}


@dataclass(frozen=True, slots=True)
class Found:
    line: int  # 1-based line in the file
    text: str  # the line, stripped
    what: str  # the exception, the key, the message, the parameter...
    where: str = ""  # the container, the condition...


def own_lines(
    lines: list[str], start: int, end: int, children: list[tuple[int, int]]
) -> list[tuple[int, str]]:
    """(line number, text) of the code lines start..end outside the given child ranges:
    docstrings and doctest examples are prose, not what the code does, and are left out."""
    inside: set[int] = set()
    for a, b in children:
        inside.update(range(a, b + 1))
    out, in_doc = [], False
    for n in range(start, min(end, len(lines)) + 1):
        line = lines[n - 1]
        quotes = line.count('"""') + line.count("'''")
        prose = (
            in_doc
            or _DOC_START.match(line) is not None
            or line.lstrip().startswith((">>> ", "... "))
        )
        in_doc ^= quotes % 2 == 1
        if not prose and n not in inside:
            out.append((n, line))
    return out


def condition(body: list[tuple[int, str]], index: int) -> str:
    """The test of the nearest enclosing if/while/except above body[index], by indentation."""
    line = body[index][1]
    indent = len(line) - len(line.lstrip())
    for _, previous in reversed(body[:index]):
        if not previous.strip():
            continue
        level = len(previous) - len(previous.lstrip())
        if level < indent:
            match = _CONTROL.match(previous)
            return f"{match.group(1)} {match.group(2)}".strip() if match else ""
    return ""


def raises(body: list[tuple[int, str]]) -> list[Found]:
    out = []
    for i, (n, line) in enumerate(body):
        if match := _RAISE.match(line):
            name = match.group(1).rsplit(".", 1)[-1]
            if name[:1].isupper():
                out.append(Found(n, line.strip(), name, condition(body, i)))
    return out


def removals(body: list[tuple[int, str]]) -> list[Found]:
    """Keys taken out of a mapping: `headers.pop("Authorization")`, `del d[key]`, JS `delete`."""
    out = []
    for i, (n, line) in enumerate(body):
        if not any(w in line for w in ("pop", "remove", "del", "discard")):
            continue
        for pattern in _REMOVE:
            for match in pattern.finditer(line):
                key = match.group(3) or match.group(4)
                # a quoted key, or a constant naming one; a variable says nothing a person would ask about
                if key and (match.group(3) or (key.isupper() and len(key) > 2)):
                    out.append(
                        Found(
                            n,
                            line.strip(),
                            key,
                            match.group(1).rsplit(".", 1)[-1] + "|" + condition(body, i),
                        )
                    )
    return out


def key_sets(body: list[tuple[int, str]]) -> list[Found]:
    return [
        Found(n, line.strip(), m.group(3), m.group(1).rsplit(".", 1)[-1])
        for n, line in body
        if "[" in line
        for m in _SET_KEY.finditer(line)
    ]


def messages(body: list[tuple[int, str]], doc: str) -> list[Found]:
    """String literals that read like messages to a person: words and spaces."""
    out = []
    for n, line in body:
        stripped = line.strip()
        if stripped.startswith(("#", "//", '"""', "'''", "*", "/*")):
            continue
        for match in _STRING.finditer(line):
            text = match.group(2)
            if _is_message(text) and text not in doc:
                out.append(Found(n, stripped, text))
    return out


def _is_message(text: str) -> bool:
    if (
        len(text) < 12
        or " " not in text
        or text.startswith(("http", "/", "%", "<", "SELECT", "select "))
    ):
        return False
    letters = sum(c.isalpha() for c in text)
    return letters >= len(text) / 2 and len(re.findall(r"[A-Za-z]{2,}", text)) >= 3


def todos(body: list[tuple[int, str]]) -> list[Found]:
    return [
        Found(n, line.strip(), m.group(1), m.group(2).strip())
        for n, line in body
        if (m := _TODO.search(line))
    ]


def returns(body: list[tuple[int, str]]) -> list[str]:
    seen: dict[str, None] = {}
    for _, line in body:
        if (match := _RETURN.match(line)) and match.group(1) not in ("None", "null", "self"):
            seen.setdefault(match.group(1)[:60])
    return list(seen)


def side_effects(body: list[tuple[int, str]], params: list[str], calls: list[str]) -> list[str]:
    """Short phrases: attributes set, arguments mutated, I/O done."""
    out: dict[str, None] = {}
    for _, line in body:
        if "=" in line and (match := _ASSIGN_ATTR.match(line)):
            out.setdefault(f"sets {match.group(1)}")
        for match in _MUTATE.finditer(line) if "(" in line else ():
            target = match.group(1)
            if target.split(".")[0] in params or target.startswith(("self.", "this.")):
                out.setdefault(f"mutates {target}")
        for match in _SET_KEY.finditer(line) if "[" in line else ():
            if match.group(1).split(".")[0] in params:
                out.setdefault(f"writes {match.group(1)}[{match.group(3)!r}]")
    for call in calls:
        if call in IO_CALLS:
            out.setdefault(IO_CALLS[call])
    return list(out)[:5]


def parameters(signature: str) -> list[str]:
    """Parameter names of a signature's first parenthesised list, self and cls left out."""
    start = signature.find("(")
    if start < 0:
        return []
    depth, current, parts = 0, "", []
    for char in signature[start + 1 :]:
        if char in "([{<":
            depth += 1
        elif char in ")]}>":
            if depth == 0:
                break
            depth -= 1
        if char == "," and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += char
    parts.append(current)
    names = [m.group(1) for p in parts if (m := _PARAM.match(p))]
    return [n for n in names if n not in ("self", "cls", "this")]


def flags(signature: str, body: list[tuple[int, str]]) -> list[Found]:
    """Parameters with a True/False default, and the first line that tests each."""
    out = []
    for match in _FLAG_DEFAULT.finditer(signature):
        name = match.group(1)
        test = re.compile(rf"^\s*(?:if|elif|while|else if|unless)\b.*\b{re.escape(name)}\b")
        for n, line in body:
            if test.match(line):
                out.append(Found(n, line.strip(), name, match.group(2)))
                break
    return out
