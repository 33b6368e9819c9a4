"""What the MCP server says to the model that calls it: the server's instructions, one
description per tool (when to use it, what comes back, how to page), and the short snippet that
`swe-agent mcp install --instructions` writes into CLAUDE.md, AGENTS.md or GEMINI.md."""

from __future__ import annotations

SERVER = """\
swe-agent keeps a memory of this git repository: a tree-sitter index of every definition and
reference, ranked full-text search over code, notes written in advance by sleep-time analysis,
and git history. Its tools answer in small pages instead of whole files, so prefer them to grep
and to reading files top to bottom. Start with locate for a question or an issue, search_notes
for what the notes already say, search_code for words and identifiers, find_symbol and
references for a name you know; outline a file before you read it, then read a line window.
Every result ends with "[page k of n · t of budget tokens · next: <call>]": make that call to see
more. Paths are relative to the repository root; only indexed files are readable, and files that
look like secrets (.env, keys) never are."""

_PAGING = 'Paged: the last line says "page k of n" and, when there is more, the exact next call.'

TOOLS = {
    "search_code": (
        "Ranked search over the repository's code chunks (definitions and windows of files): "
        "words, identifiers or a natural-language description of what the code does. Use it "
        "to find where something is implemented when you do not know the name. Returns "
        "'rank. path:start-end symbol  score' with a one-line preview, best first; k results "
        "per page. scope='source' leaves out tests and docs, scope='tests' searches only tests. "
        + _PAGING
    ),
    "search_notes": (
        "Search the notes that sleep-time analysis wrote about this repository in advance: "
        "summaries of files and symbols, anticipated questions with the locations that answer "
        "them, history of past changes. Cheap and often the fastest route to the right file; "
        "try it before reading code. Only current notes are shown (a note whose code changed "
        "since it was written is stale and left out); the header says how many are stale. "
        "Each entry: note id, kind, where it points, title, body and evidence locations. " + _PAGING
    ),
    "find_symbol": (
        "Definitions of a name: a function, class, method or variable, plain (send) or "
        "qualified (Session.send, module.func). Exact matches first, then similar names. "
        "Returns 'def path:start-end qualname (kind, exact|similar name)' with the signature "
        "and the first docstring line. An error says when nothing by that name is defined; "
        "then try search_code. " + _PAGING
    ),
    "references": (
        "Who uses a name: the definitions that call it (with how many call sites) and other "
        "references (imports, attribute uses). Use it to see the impact of a change or to "
        "follow a call chain backwards. Returns 'caller path:line-line enclosing (n calls)' "
        "and 'ref path:line-line enclosing (kind)'. " + _PAGING
    ),
    "outline": (
        "The definitions in one file, in order, with their line ranges, kinds and "
        "signatures: a map of the file before you read any of it. Returns "
        "'start-end kind qualname  signature'. " + _PAGING
    ),
    "read": (
        "A window of an indexed file, with line numbers: from `line` (default 1), `lines` "
        "lines (default 50, at most 120), cut to the page budget. Read the lines a search, "
        "outline or symbol lookup pointed to rather than whole files. The header names the "
        "definition the window starts in; the last line gives the call that reads on."
    ),
    "history": (
        "Git commits that touched a path, or the lines of a definition (symbol, e.g. "
        "Session.send), newest first, with the files changed alongside. Give path, symbol, "
        "or neither for the repository's latest commits. Use it to learn why code is the way "
        "it is and what usually changes with it. " + _PAGING
    ),
    "locate": (
        "Where in the code is the answer? Give a question or an issue's text (tracebacks "
        "welcome); a deterministic policy searches the notes, the code and the symbols for "
        "you and returns ranked locations (path, symbol, lines) each with the evidence that "
        "put it there, and a confidence: how often the first file of answers this sure was right "
        "(0.9: read the first location; below 0.5: read several, or search further). Start "
        "here with a new question, then read the top locations."
    ),
    "status": (
        "The state of the memory: whether the index is fresh (indexed HEAD against the work "
        "tree's HEAD and uncommitted files), counts of files, definitions and notes (current "
        "and stale), languages, and whether the background daemon keeps it current."
    ),
}

OVERVIEW = (
    "The repository overview written by sleep-time analysis: layout, entry points, how to run "
    "the tests."
)

INSTRUCTIONS = """\
## Code memory (swe-agent MCP server)
This repository is indexed by swe-agent. Its MCP tools answer in small pages; prefer them to
grep and to reading whole files:
- `locate` first for a question or an issue: ranked locations with the evidence for each.
- `search_notes` for what sleep-time analysis already wrote; `search_code` for words and identifiers.
- `find_symbol` for a definition, `references` for its callers, `history` for why it changed.
- `outline` a file before you `read` a window of it.
Results end with "next: <call>" when there is more."""
