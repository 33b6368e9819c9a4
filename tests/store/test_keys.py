import pytest

from swe_agent.store.keys import stable_id, stable_ids


@pytest.mark.parametrize(
    "rest",
    [("Flask.make_response", 12), ("0123abcd", 0), ("",), ("a\0b", None), ("ünïcode", -3)],
)
def test_ids_made_from_a_hashed_first_part_are_the_ids_of_all_parts(rest: tuple) -> None:
    """An index makes each id of a file's rows from its path once hashed (stable_ids): the
    same ids as stable_id of all the parts, which the store's rows must keep."""
    assert stable_ids("src/flask/app.py")(*rest) == stable_id("src/flask/app.py", *rest)
    assert stable_ids("src/flask/app.py")(*rest) != stable_id("src/flask/apq.py", *rest)
