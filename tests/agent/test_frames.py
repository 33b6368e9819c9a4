"""Stack frames as the runtimes of other languages print them, read from an issue."""

from swe_agent.agent.offline.frames import Frame, frames_in
from swe_agent.agent.offline.question import parse_question

JAVA = """\
Parsing fails with a trailing comma.

Caused by: com.shop.core.JsonParseException: Unexpected character ('}')
\tat com.shop.core.JsonParser._constructError(JsonParser.java:1771)
\tat com.shop.core.json.ReaderParser$Fields.nextFieldName(ReaderParser.java:915)
\tat com.shop.core.json.ReaderParser.<init>(ReaderParser.java:140)
\tat java.base/java.lang.Thread.run(Thread.java:834)
\tat java.util.HashMap.get(HashMap.java:12)
"""

NODE = """\
TypeError: Cannot read properties of null (reading 'constructor')
    at isObject (/app/node_modules/dayjs/esm/plugin/objectSupport/index.js:3:22)
    at parse (src/plugin/objectSupport/index.js:31:9)
    at new Dayjs (src/index.js:82:10)
    at Module._compile (node:internal/modules/cjs/loader:1105:14)
"""

GO = """\
panic: runtime error: invalid memory address or nil pointer dereference

goroutine 7 [running]:
github.com/shop/cart/core/collection.(*TimingWheel).run(0xc0000b2000)
\t/go/pkg/mod/github.com/shop/cart@v1.4.0/core/collection/timingwheel.go:241 +0x65
github.com/shop/cart/core/collection.NewTimingWheel(0x3b9aca00)
\t/go/pkg/mod/github.com/shop/cart@v1.4.0/core/collection/timingwheel.go:60 +0x1d
runtime.goexit()
\t/usr/local/go/src/runtime/asm_amd64.s:1571 +0x1
"""

RUST = """\
thread 'main' panicked at 'index out of bounds', src/buf/buf_impl.rs:30:9
note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace
"""


def test_jvm_frames_deepest_last_with_their_package_paths_and_no_runtime() -> None:
    assert frames_in(JAVA) == [
        Frame("com/shop/core/json/ReaderParser.java", 140, "ReaderParser"),  # a constructor
        Frame("com/shop/core/json/ReaderParser.java", 915, "nextFieldName"),  # an inner class
        Frame("com/shop/core/JsonParser.java", 1771, "_constructError"),
    ]
    q = parse_question(JAVA)
    assert q.paths[0] == "com/shop/core/JsonParser.java"  # the deepest frame's file first
    assert "nextFieldName" in q.identifiers
    # the frames' dotted names are read as frames, not as names the prose uses
    assert not [n for n in q.identifiers if n.startswith("com.shop.core.json")]


def test_javascript_and_go_frames_leave_out_dependencies_and_the_runtime() -> None:
    assert frames_in(NODE) == [
        Frame("src/index.js", 82, "Dayjs"),
        Frame("src/plugin/objectSupport/index.js", 31, "parse"),
    ]
    assert frames_in(GO) == [
        Frame(
            "/go/pkg/mod/github.com/shop/cart@v1.4.0/core/collection/timingwheel.go",
            60,
            "NewTimingWheel",
        ),  # fmt: skip
        Frame(
            "/go/pkg/mod/github.com/shop/cart@v1.4.0/core/collection/timingwheel.go", 241, "run"
        ),  # fmt: skip
    ]


def test_a_rust_panic_names_its_place_but_no_function() -> None:
    assert frames_in(RUST) == [Frame("src/buf/buf_impl.rs", 30, "")]
    q = parse_question(RUST)
    assert q.paths == ["src/buf/buf_impl.rs"]
    assert "" not in q.identifiers
