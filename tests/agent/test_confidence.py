from swe_agent.agent.offline.confidence import (
    CALIBRATION,
    NOTHING,
    calibrated,
    confidence,
    if_notes_agree,
    signals,
)
from swe_agent.agent.offline.evidence import Findings, settle_notes
from swe_agent.agent.offline.rank import Evidence, rank


def ev(path: str, symbol: str | None, weight: float, kind: str) -> Evidence:
    return Evidence(path, symbol, 10, 20, weight, kind, kind)


def settled(*evidence: Evidence) -> list[Evidence]:
    found = Findings(evidence=list(evidence))
    settle_notes(found)
    return found.evidence


def test_a_clear_first_file_that_notes_confirm_is_surer_than_a_close_call() -> None:
    clear = settled(
        ev("pkg/sessions.py", "Session.send", 2.5, "search"),
        ev("pkg/sessions.py", "Session.send", 1.25, "note"),
        ev("pkg/adapters.py", "Adapter.send", 0.5, "search"),
    )
    close = settled(
        ev("pkg/sessions.py", "Session.send", 2.5, "search"),
        ev("pkg/adapters.py", "Adapter.send", 2.4, "search"),
    )
    sure, unsure = signals(clear, rank(clear)), signals(close, rank(close))
    assert sure.notes_agree and sure.margin > 0.6
    assert not unsure.notes_agree and unsure.margin < 0.1
    assert sure.raw() > unsure.raw()
    assert confidence(clear, rank(clear)) > confidence(close, rank(close))
    alone = [e for e in clear if e.kind != "note"]
    assert signals(alone, rank(alone)).raw() < sure.raw()  # the note's agreement counts


def test_nothing_found_is_no_confidence_and_a_note_alone_does_not_agree() -> None:
    assert signals([], []) == NOTHING
    assert confidence([], []) == 0.0
    alone = [ev("pkg/a.py", "f", 1.25, "note")]
    assert not signals(alone, rank(alone)).notes_agree


def test_calibration_maps_raw_scores_to_the_hit_rate_of_their_bin() -> None:
    table = ((0.0, 0.2), (0.5, 0.6), (0.8, 0.95))
    assert calibrated(0.1, table) == 0.2
    assert calibrated(0.5, table) == 0.6
    assert calibrated(0.99, table) == 0.95
    lows = [low for low, _ in CALIBRATION]
    rates = [rate for _, rate in CALIBRATION]
    assert lows[0] == 0.0 and lows == sorted(lows)
    assert rates == sorted(rates)  # a higher raw score never means a lower hit rate
    assert all(0.0 < rate < 1.0 for rate in rates)  # never certain of right or wrong


def test_what_a_note_agreeing_could_make_of_an_answer() -> None:
    alone = settled(
        ev("pkg/sessions.py", "Session.send", 2.5, "search"),
        ev("pkg/adapters.py", "Adapter.send", 1.2, "search"),
    )
    agreed = settled(*alone, ev("pkg/sessions.py", "Session.send", 1.25, "note"))
    hope = if_notes_agree(alone, rank(alone))
    assert confidence(alone, rank(alone)) < hope  # the code alone, and with a note agreeing
    assert hope == confidence(agreed, rank(agreed))
    assert if_notes_agree([], []) == 0.0
