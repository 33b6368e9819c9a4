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

SANITIZER = """\
==1==ERROR: AddressSanitizer: heap-buffer-overflow on address 0x602000000031
    #0 0x4f2a10 in ZSTD_decodeLiterals /src/zstd/lib/decompress/zstd_decompress_block.c:92:5
    #1 0x4f3b22 in ZSTD_decompressBlock_internal(void*, unsigned long) /src/zstd/lib/decompress/zstd_decompress_block.c:1401:9
    #2 0x4a1c3d in __asan_memcpy /src/llvm-project/compiler-rt/lib/asan/asan_interceptors.cpp:22:3
    #3 0x4b0e11 in simdjson::dom::parser::parse<std::string>(char const*) /src/simdjson/include/simdjson/dom/parser-inl.h:120:3
    #4 0x7f0a1 in __libc_start_main /build/glibc-2.31/csu/libc-start.c:308:16
"""

GDB = """\
Program received signal SIGSEGV, Segmentation fault.
#0  0x0000555555583a1b in jv_free (j=...) at src/jv.c:123
#1  0x0000555555590c02 in main (argc=1, argv=0x7ffe) at src/main.c:310
"""

ASSERTION = "jq: src/jv_parse.c:210: token: Assertion `p->stackpos > 0' failed.\n"

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


def test_c_and_cpp_backtraces_and_a_failed_assert_name_their_functions() -> None:
    assert frames_in(SANITIZER) == [  # deepest last; libc and the sanitizer's own are left out
        Frame("/src/simdjson/include/simdjson/dom/parser-inl.h", 120, "parse"),
        Frame("/src/zstd/lib/decompress/zstd_decompress_block.c", 1401, "ZSTD_decompressBlock_internal"),
        Frame("/src/zstd/lib/decompress/zstd_decompress_block.c", 92, "ZSTD_decodeLiterals"),
    ]  # fmt: skip
    assert frames_in(GDB) == [Frame("src/main.c", 310, "main"), Frame("src/jv.c", 123, "jv_free")]
    assert frames_in(ASSERTION) == [Frame("src/jv_parse.c", 210, "token")]
    q = parse_question("Crash on a truncated frame\n\n" + SANITIZER)
    assert q.paths[0] == "src/zstd/lib/decompress/zstd_decompress_block.c"
    assert "ZSTD_decodeLiterals" in q.identifiers
    assert "__asan_memcpy" not in q.identifiers
