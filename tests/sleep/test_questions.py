"""Offline notes from code structure: pure functions over a definition's lines."""

from swe_agent.sleep import scan
from swe_agent.sleep.offline import FileFacts, definition_summary
from swe_agent.sleep.questions import questions

CODE = '''\
class Mailer:
    """Sends mail through a relay."""

    def deliver(self, envelope, strict=False, attempts=3):
        """Hand an envelope to the relay."""
        fields = dict(envelope.fields)
        if not self.relay.trusted:
            fields.pop("X-Secret-Token", None)
        if strict and len(fields) > 50:
            raise EnvelopeTooLarge(f"an envelope carries at most 50 fields")
        for attempt in range(attempts):
            try:
                return self.relay.submit(fields)
            except RelayBusy:
                backoff(attempt)
        # TODO: remember relays that keep failing
        self.failures += 1
        envelope.fields["X-Delivery-State"] = "failed"
        return None
'''


def facts() -> FileFacts:
    lines = CODE.splitlines()
    definitions = [
        {
            "name": "Mailer",
            "qualname": "Mailer",
            "kind": "class",
            "start_line": 1,
            "end_line": 19,
            "signature": "class Mailer:",
            "doc": "Sends mail through a relay.",
            "parent": None,
            "priority": 1.0,
        },
        {
            "name": "deliver",
            "qualname": "Mailer.deliver",
            "kind": "method",
            "start_line": 4,
            "end_line": 19,
            "signature": "def deliver(self, envelope, strict=False, attempts=3):",
            "doc": "Hand an envelope to the relay.",
            "parent": "Mailer",
            "priority": 1.0,
        },
    ]
    return FileFacts(
        "mail/mailer.py",
        "hash",
        lines,
        definitions,
        callers={"Mailer.deliver": ["Outbox.flush"], "Mailer": []},
        callees={"Mailer.deliver": ["backoff", "dict", "len", "pop", "range", "submit"]},
    )


def test_questions_follow_what_the_code_does() -> None:
    f = facts()
    titles = {n.title: n for n in questions(f, f.definitions[1], 1.0)}
    assert len(titles) <= 6
    dropped = next(n for t, n in titles.items() if t.startswith("Why is my X-Secret-Token"))
    assert "dropped" in dropped.title
    assert "if not self.relay.trusted" in dropped.body
    assert "Outbox.flush" in dropped.body
    raised = next(n for t, n in titles.items() if "EnvelopeTooLarge" in t)
    assert "at most 50 fields" in raised.title
    assert "strict and len(fields) > 50" in raised.body
    assert any("strict=True" in t for t in titles)
    assert any("retry" in t and "back off" in t for t in titles)
    assert any(
        t.startswith("Is there a known problem") and "relays that keep failing" in t for t in titles
    )
    for n in titles.values():
        assert n.evidence == [
            {"path": "mail/mailer.py", "symbol": "Mailer.deliver", "start_line": 4, "end_line": 19}
        ]
        assert n.kind == "question"
        assert n.model == "offline"
        assert n.tokens == (len(n.title) + len(n.body)) // 4 + 1
        assert len(n.title) + len(n.body) < 700


def test_a_class_is_not_credited_with_what_its_methods_do() -> None:
    f = facts()
    made = questions(f, f.definitions[0], 1.0)
    assert made
    assert all("EnvelopeTooLarge" not in n.title and "X-Secret-Token" not in n.title for n in made)


def test_summary_names_inputs_outputs_side_effects_and_callers() -> None:
    f = facts()
    body = definition_summary(f, f.definitions[1], 1.0).body
    assert "Takes envelope, strict, attempts." in body
    assert "Returns self.relay.submit(fields)." in body
    assert "sets self.failures" in body
    assert "writes envelope.fields['X-Delivery-State']" in body
    assert "Called by Outbox.flush." in body
    assert "Raises EnvelopeTooLarge." in body


def test_scanning_strings_does_not_cross_literals() -> None:
    body = [(1, '    prepared = {"method": method, "url": requote(url), "headers": merged}')]
    assert scan.messages(body, "") == []
    assert [m.what for m in scan.messages([(2, 'log("could not reach the relay", x)')], "")] == [
        "could not reach the relay"
    ]


def test_parameters_of_signatures() -> None:
    assert scan.parameters("def f(self, a, b: dict[str, int] = {}, *args, c=None, **kw):") == [
        "a",
        "b",
        "args",
        "c",
        "kw",
    ]
    assert scan.parameters("function f(a, {b, c}, ...rest) {") == ["a", "rest"]
    assert scan.parameters("class X(Base, metaclass=Meta):") == ["Base", "metaclass"]


def test_docstrings_and_doctests_are_not_read_as_code() -> None:
    lines = [
        "def remove(self, key):",
        '    """Drop a key.',
        "",
        '    >>> q = q.remove("a")',
        '    raise KeyError("not really")',
        '    """',
        '    self.pop("Content-Length")',
        "    self.pop(key)",
    ]
    body = scan.own_lines(lines, 1, len(lines), [])
    assert [n for n, _ in body] == [1, 7, 8]
    assert [f.what for f in scan.removals(body)] == ["Content-Length"]
    assert scan.raises(body) == []


def test_a_docstring_verb_is_asked_about_in_its_base_form() -> None:
    from swe_agent.sleep.vocabulary import base_form

    assert [base_form(w) for w in ("Executes", "tries", "passes", "Return", "parses")] == [
        "execute",
        "try",
        "pass",
        "return",
        "parse",
    ]
    d = {
        "name": "after_this_request",
        "qualname": "after_this_request",
        "kind": "function",
        "start_line": 1,
        "end_line": 3,
        "signature": "def after_this_request(f):",
        "doc": "Executes a function after this request.",
        "parent": None,
        "priority": 1.0,
    }
    lines = [
        "def after_this_request(f):",
        '    """Executes a function after this request."""',
        "    return f",
    ]
    f = FileFacts("app/hooks.py", "hash", lines, [d], callers={}, callees={})
    titles = [n.title for n in questions(f, d, 1.0)]
    assert "Where does the code execute a function after this request?" in titles
