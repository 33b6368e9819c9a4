"""Reading tool results back as evidence: pure functions over the framed text a model sees."""

from swe_agent.agent.offline import evidence as ev
from swe_agent.agent.offline.question import parse_question
from swe_agent.agent.offline.rank import rank

LOOKUP = """lookup_symbol {name}: 1 definitions, then callers and other references
def urls/exceptions.py:8-9 {name} (class, exact)
   {signature}
caller urls/resolvers.py:830-830 URLResolver._reverse_with_prefix (1 calls)
caller urls/base.py:70-70 reverse (1 calls)
"""


def ranked_for(name: str, signature: str) -> list[tuple[str, str | None]]:
    q = parse_question(f"Reversing a URL raises {name} although the pattern matches.")
    findings = ev.Findings()
    ev.from_lookup(name, LOOKUP.format(name=name, signature=signature), q, findings)
    return [(loc.path, loc.symbol) for loc in rank(findings.evidence)]


def test_a_named_exception_points_to_where_it_is_raised() -> None:
    order = ranked_for("NoReverseMatch", "class NoReverseMatch(Exception):")
    assert set(order[:2]) == {("urls/resolvers.py", "URLResolver._reverse_with_prefix"), ("urls/base.py", "reverse")}
    assert order[2] == ("urls/exceptions.py", "NoReverseMatch")


def test_a_named_class_that_is_no_exception_leads() -> None:
    order = ranked_for("Resolver", "class Resolver(Base):")
    assert order[0] == ("urls/exceptions.py", "Resolver")


def test_why_lines_are_cut_at_a_word() -> None:
    title = "Why is my Authorization header dropped, removed or missing after BaseClient._redirect_headers?"
    assert ev._shorten(title, 90) == "Why is my Authorization header dropped, removed or missing after…"
    assert ev._shorten("short", 90) == "short"
