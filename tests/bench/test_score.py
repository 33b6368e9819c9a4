from swe_agent.bench.score import (
    accuracy,
    distinct_files,
    file_hit,
    first_file_rank,
    function_hit,
    last_part,
    location_matches,
    resolve_spans,
    score_answer,
)


def loc(path, symbol=None, start=0, end=0):
    return {"path": path, "symbol": symbol, "start_line": start, "end_line": end}


ANSWER = [
    loc("a.py", "f", 1, 5),
    loc("a.py", "g", 10, 20),
    loc("b.py", "Client.send", 30, 40),
    loc("c.py"),
    loc("b.py", "other", 50, 60),
    loc("d.py", "h", 1, 2),
]


def test_file_hits_count_distinct_files_in_order() -> None:
    assert distinct_files(ANSWER) == ["a.py", "b.py", "c.py", "d.py"]
    assert not file_hit(ANSWER, ["b.py"], 1)
    assert file_hit(ANSWER, ["b.py"], 2)  # the second distinct file, though the third location
    assert file_hit(ANSWER, ["d.py"], 4)
    assert not file_hit(ANSWER, ["d.py"], 3)
    assert first_file_rank(ANSWER, ["c.py", "d.py"]) == 3
    assert first_file_rank(ANSWER, ["zzz.py"]) is None


def test_last_name_part_of_python_and_javascript_symbols() -> None:
    assert last_part("BaseClient._redirect_headers") == "_redirect_headers"
    assert last_part("res.sendFile") == "sendFile"
    assert last_part("Outer::inner") == "inner"
    assert last_part(None) == ""
    assert last_part("") == ""


def test_a_location_matches_by_last_name_or_by_overlapping_lines() -> None:
    gold = "b.py::Client.send"
    assert location_matches(loc("b.py", "AsyncClient.send", 1, 2), gold, [])
    assert not location_matches(loc("a.py", "Client.send", 30, 40), gold, [(30, 40)])  # wrong path
    assert location_matches(loc("b.py", "Client", 25, 45), gold, [(30, 40)])  # the enclosing class
    assert location_matches(loc("b.py", None, 40, 0), gold, [(30, 40)])  # one line, the last
    assert not location_matches(loc("b.py", "other", 41, 50), gold, [(30, 40)])
    assert not location_matches(loc("b.py", None, 0, 0), gold, [(1, 100)])  # no lines given


def test_function_hits_look_at_the_first_k_locations_not_distinct_files() -> None:
    spans = {"b.py::Client.send": [(30, 40)], "d.py::h": [(1, 2)]}
    assert not function_hit(ANSWER, ["b.py::Client.send"], spans, 2)
    assert function_hit(ANSWER, ["b.py::Client.send"], spans, 3)
    assert not function_hit(ANSWER, ["d.py::h"], spans, 5)
    scores = score_answer(ANSWER, ["b.py"], ["b.py::Client.send"], spans)
    assert scores == {"file@1": False, "file@5": True, "file@10": True,
                      "function@1": False, "function@5": True, "file_rank": 2}  # fmt: skip
    assert score_answer(ANSWER, ["a.py"], [], {})["function@5"] is None


def test_gold_lines_exact_then_deeper_qualified_then_same_name() -> None:
    defs = [
        {"name": "send", "qualname": "Client.send", "start_line": 10, "end_line": 20},
        {"name": "send", "qualname": "Outer.Client.send", "start_line": 30, "end_line": 40},
        {"name": "send", "qualname": "send", "start_line": 50, "end_line": 55},
        {"name": "sendFile", "qualname": "res.sendFile", "start_line": 60, "end_line": 90},
    ]
    assert resolve_spans("x.py::Client.send", defs) == [(10, 20)]
    assert resolve_spans("x.py::Inner.send", defs) == [(10, 20), (30, 40), (50, 55)]
    assert resolve_spans("x.py::sendFile", defs) == [(60, 90)]
    assert resolve_spans("x.py::missing", defs) == []


def test_accuracy_ignores_unscored_values() -> None:
    assert accuracy([True, False, None, True]) == 2 / 3
    assert accuracy([None]) is None
    assert accuracy([]) is None
