"""Stack frames in an issue's text, as the runtimes of the languages we index print them: a
Python traceback, a JVM stack trace, a JavaScript stack, a Go panic, a Rust panic's location,
a C or C++ backtrace (a sanitizer's, gdb's) and a failed C assert().
Each comes out as (path, line, function), outermost first and deepest last, the order Python
prints; the others print the deepest first. Frames of the runtime itself (java.*, node's
internals, Go's runtime, libc) are left out: they are never the repository's code. Pure functions."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Frame:
    path: str
    line: int
    func: str  # "" when the frame names no function (a Rust panic's location)


PYTHON = re.compile(r'File "(?P<path>[^"]+)", line (?P<line>\d+), in (?P<func>[\w<>]+)')
# at com.x.Parser$Inner.method(Parser.java:12)
_JVM = re.compile(
    r"\bat (?P<cls>[\w$]+(?:\.[\w$]+)*)\.(?P<func>[\w$<>]+)"
    r"\((?P<file>[\w$-]+\.(?:java|kt|scala|groovy)):(?P<line>\d+)\)"
)
# at parse (src/plugin/index.js:12:5), at new Dayjs (/app/dayjs.js:1:20), at src/a.js:3:1
_JS = re.compile(
    r"\bat (?:new |async )?(?:(?P<func>[\w$.<>]+) \()?(?:file://)?"
    r"(?P<path>[^\s()]+?\.(?:[cm]?js|jsx|ts|tsx)):(?P<line>\d+):\d+\)?"
)
# github.com/x/y/pkg.(*Server).handle(...)\n\t/go/src/github.com/x/y/pkg/server.go:120 +0x1d
_GO = re.compile(
    r"(?m)^(?P<qual>[\w./-]+?)\.(?:\(\*?\w+\)\.)?(?P<func>\w+)\([^\n]*\)\n"
    r"\s+(?P<path>\S+\.go):(?P<line>\d+)"
)
# thread 'main' panicked at src/main.rs:9:5 / panicked at 'msg', src/parser.rs:30:9
_RUST = re.compile(
    r"panicked at (?:'[^'\n]*', |\"[^\"\n]*\", )?(?P<path>[^\s'\"]+?\.rs):(?P<line>\d+):\d+"
)
_NATIVE_FILE = r"[^\s:()]+?\.(?:c|cc|cpp|cxx|h|hh|hpp|hxx|inl|ipp|tcc)"
# AddressSanitizer, UBSan, libFuzzer, a backtrace: #3 0x4f2a10 in ZSTD_decodeLiterals
# /src/zstd/lib/decompress/zstd_decompress_block.c:92:5
_SANITIZER = re.compile(
    rf"#\d+ 0x[0-9a-fA-F]+ in (?P<func>[^\n]+?) (?P<path>{_NATIVE_FILE}):(?P<line>\d+)"
)
# gdb: #1  0x0000555555583a1b in jv_free (j=...) at src/jv.c:123
_GDB = re.compile(
    rf"#\d+\s+(?:0x[0-9a-fA-F]+ in )?(?P<func>[\w:~]+) \([^\n]*?\) at "
    rf"(?P<path>{_NATIVE_FILE}):(?P<line>\d+)"
)
# a failed C assert(): prog: src/jv.c:123: jv_free: Assertion `x' failed.
_ASSERT = re.compile(
    rf"(?P<path>{_NATIVE_FILE}):(?P<line>\d+): (?P<func>[^\n]*?): Assertion [`'][^\n]*' failed"
)
_JVM_RUNTIME = ("java.", "javax.", "jdk.", "sun.", "kotlin.", "scala.", "org.junit.", "junit.")
_JS_RUNTIME = ("node:", "internal/", "node_modules/")
_GO_RUNTIME = ("runtime", "testing", "reflect")
# the C and C++ runtimes and the sanitizers' own code: libc, libstdc++, compiler-rt
_NATIVE_RUNTIME = ("compiler-rt/", "glibc", "/sysdeps/", "libstdc++", "/usr/include/c++/")
# what to blank from the prose once read; an assert()'s message keeps the name it gives
STACKS = (PYTHON, _JVM, _JS, _GO, _RUST, _SANITIZER, _GDB)


def frames_in(text: str) -> list[Frame]:
    """Every frame of the text, outermost first within each stack, deepest last."""
    found = [Frame(m["path"], int(m["line"]), m["func"]) for m in PYTHON.finditer(text)]
    found += _deepest_last([_jvm(m) for m in _JVM.finditer(text)])
    found += _deepest_last([_js(m) for m in _JS.finditer(text)])
    found += _deepest_last([_go(m) for m in _GO.finditer(text)])
    found += [Frame(m["path"], int(m["line"]), "") for m in _RUST.finditer(text)]
    for native in (_SANITIZER, _GDB):
        found += _deepest_last([_native(m) for m in native.finditer(text)])
    found += [f for f in map(_native, _ASSERT.finditer(text)) if f is not None]
    return [f for f in found if "/rustc/" not in f.path and ".cargo/registry" not in f.path]


def _deepest_last(frames: list[Frame | None]) -> list[Frame]:
    return [f for f in reversed(frames) if f is not None]


def _jvm(m: re.Match[str]) -> Frame | None:
    cls = m["cls"]
    if cls.startswith(_JVM_RUNTIME) or m["func"] == "<clinit>":
        return None
    package, _, name = cls.rpartition(".")
    outer = name.split("$", 1)[0]
    func = m["func"]
    if func == "<init>":
        func = outer
    elif func.startswith("lambda$"):  # lambda$process$0: the lambda in process
        func = func.split("$")[1]
    path = "/".join([*package.split("."), m["file"]]) if package else m["file"]
    return Frame(path, int(m["line"]), func)


def _js(m: re.Match[str]) -> Frame | None:
    path = m["path"]
    if any(part in path for part in _JS_RUNTIME):
        return None
    func = (m["func"] or "").rsplit(".", 1)[-1]
    return Frame(path, int(m["line"]), "" if func.startswith("<") else func)


def _go(m: re.Match[str]) -> Frame | None:
    if m["qual"].split("/")[0] in _GO_RUNTIME or "/src/runtime/" in m["path"]:
        return None
    return Frame(m["path"], int(m["line"]), m["func"])


_TEMPLATE_ARGS = re.compile(r"<[^<>]*>")


def _native(m: re.Match[str]) -> Frame | None:
    """A C or C++ frame, its function as the index names it: `int f(const char *)` -> f,
    `Catch::Capturer::~Capturer()` -> ~Capturer, `parser::parse<json>(...)` -> parse."""
    path, func = m["path"], m["func"].split("(", 1)[0]
    while _TEMPLATE_ARGS.search(func):
        func = _TEMPLATE_ARGS.sub("", func)
    func = (func.split() or [""])[-1].rsplit("::", 1)[-1]
    if func.startswith("__") or any(part in path for part in _NATIVE_RUNTIME):
        return None
    return Frame(path, int(m["line"]), func)
