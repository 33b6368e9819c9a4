"""Topics a question may be about, as data: words in the code that trigger a topic, and the
question a developer with a problem in that area would ask. `{subject}` is the definition.

The triggers are matched against the words of the names a definition calls and of its own
name, so a function that calls `sleep` and `backoff` gets the retry question whatever the
project. Nothing here names a particular project.
"""

from __future__ import annotations

TOPICS: tuple[tuple[frozenset[str], str], ...] = tuple(
    (frozenset(triggers.split()), question)
    for triggers, question in (
        (
            "retry retries backoff attempt attempts tries",
            "How does {subject} retry, and how long does it back off between attempts?",
        ),
        (
            "timeout timeouts deadline",
            "Why does {subject} hang or time out, and which timeout applies?",
        ),
        (
            "encode decode encoding charset unicode utf ascii codec codecs",
            "Why does {subject} fail on non-ASCII or unicode text, and how does it encode or decode?",
        ),
        (
            "cache cached lru memo memoize invalidate",
            "Why does {subject} return a stale or cached value?",
        ),
        (
            "lock rlock thread threading acquire mutex semaphore",
            "Is {subject} thread-safe, and which lock guards it?",
        ),
        (
            "close shutdown cleanup release dispose finalize teardown",
            "Does {subject} close and clean up its resources, or can it leak them?",
        ),
        (
            "deprecated deprecation deprecate",
            "What is deprecated in {subject}, and what replaces it?",
        ),
        ("environ getenv env", "Which environment variables does {subject} read?"),
        (
            "isinstance issubclass",
            "Which argument types does {subject} accept, and what happens with others?",
        ),
        ("lower upper casefold ignorecase", "Is {subject} case-sensitive?"),
        (
            "sorted sort reverse reversed ordered",
            "In what order does {subject} return its results?",
        ),
        ("copy deepcopy clone", "Does {subject} change its arguments in place or work on a copy?"),
        (
            "regex fullmatch findall finditer tokenize",
            "What input does {subject} match or parse, and what happens with malformed input?",
        ),
        (
            "json dumps loads pickle serialize deserialize yaml toml",
            "How does {subject} serialize and deserialize data?",
        ),
        ("warn warning warnings", "Why does {subject} emit a warning?"),
        ("permission permissions chmod", "Why does {subject} fail with a permission error?"),
        ("stream streaming chunk chunks", "How does {subject} stream data in chunks?"),
        (
            "async await coroutine gather",
            "How does {subject} behave with async code and the event loop?",
        ),
    )
)

IRREGULAR = {
    "build": "built",
    "rebuild": "rebuilt",
    "send": "sent",
    "make": "made",
    "find": "found",
    "read": "read",
    "write": "written",
    "run": "run",
    "set": "set",
    "put": "put",
    "get": "fetched",
    "keep": "kept",
    "hold": "held",
    "split": "split",
    "bind": "bound",
    "feed": "fed",
    "take": "taken",
    "give": "given",
    "reset": "reset",
    "cut": "cut",
    "emit": "emitted",
    "strip": "stripped",
    "drop": "dropped",
    "stop": "stopped",
    "wrap": "wrapped",
    "map": "mapped",
    "begin": "begun",
    "format": "formatted",
    "submit": "submitted",
    "commit": "committed",
    "plan": "planned",
}
_VERB_WORDS = (
    "add apply bind build calculate check clean clear close collect compare compile compute "
    "configure connect convert copy create decode delete detect dispatch drop emit encode ensure "
    "escape evaluate execute expand extract fetch filter find format generate get handle init "
    "install join load lookup make map merge normalize open parse patch prepare process put "
    "quote read rebuild register reload remove render replace request reset resolve restore "
    "run save select send serialize set sort split start stop store strip transform unquote "
    "update validate verify wrap write accept allow append attach call cancel cast change "
    "choose coerce combine construct consume decide define describe determine display divide "
    "do dump evaluate follow give guess hash ignore inject insert invoke iterate keep list look "
    "mark move notify output pass perform pick populate print produce raise receive record "
    "reduce reject rename report represent require retrieve return reverse scan search show "
    "skip solve submit substitute take test track translate traverse trigger try turn unpack "
    "use visit wait walk yield"
)
VERBS = frozenset(_VERB_WORDS.split())


def is_verb(word: str) -> bool:
    """Whether a docstring's first word reads as a verb: 'Send', 'Sends', 'Tries'."""
    word = word.lower()
    return (
        word in VERBS
        or (word.endswith("s") and (word[:-1] in VERBS or word[:-2] in VERBS))
        or (word.endswith("ies") and word[:-3] + "y" in VERBS)
    )


def base_form(word: str) -> str:
    """'Executes' -> 'execute', 'tries' -> 'try', 'Return' -> 'return': the verb as a question needs it."""
    word = word.lower()
    for cut, add in ((0, ""), (1, ""), (2, ""), (3, "y")):
        base = (word[:-cut] if cut else word) + add
        if base in VERBS and (cut == 0 or word.endswith("s")):
            return base
    return word


def participle(verb: str) -> str:
    if verb in IRREGULAR:
        return IRREGULAR[verb]
    if verb.endswith("e"):
        return verb + "d"
    if verb.endswith("y") and len(verb) > 2 and verb[-2] not in "aeiou":
        return verb[:-1] + "ied"
    return verb + "ed"
