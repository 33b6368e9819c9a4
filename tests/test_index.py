import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import duckdb
import pytest

from swe_agent.errors import EmptyRepository, NoIndex, NotARepository
from swe_agent.index import COLUMNS, index_repository
from swe_agent.index.parse import (
    FLUSH_TERMS,
    SPLIT_MIN,
    Spilled,
    _Part,
    _tokens,
    _untaken,
    gather,
    parse_all,
)
from swe_agent.queries import file_outline_in, lookup_symbol_in, search_code_in
from swe_agent.repo.gitrepo import GitRepo
from swe_agent.store.db import open_store
from tests.helpers import commit_all, git


def index(root: Path, **kwargs):
    with open_store(root, create=True) as store:
        return index_repository(GitRepo(root), store, **kwargs)


def test_first_index_stores_files_symbols_references_and_chunks(sample_repo: Path) -> None:
    report = index(sample_repo)
    assert "minihttp/sessions.py" in report.added
    assert not report.changed
    with open_store(sample_repo, read_only=True) as store:
        row = store.one(
            "SELECT language, lines, commit_sha FROM files WHERE path = 'minihttp/sessions.py'"
        )
        assert row[0] == "python"
        assert row[1] == len((sample_repo / "minihttp/sessions.py").read_text().splitlines())
        assert row[2] == git(sample_repo, "rev-parse", "HEAD").strip()
        found = lookup_symbol_in(store, "resolve_redirects")
        assert found["definitions"][0]["qualname"] == "Session.resolve_redirects"
        assert any(c["qualname"] == "Session.request" for c in found["callers"])
        outline = file_outline_in(store, "minihttp/auth.py")
        assert [d["qualname"] for d in outline["definitions"]][:2] == [
            "_basic_auth_str",
            "AuthBase",
        ]
        hits = search_code_in(
            store, "drop Authorization header when redirect goes to another host", 5
        )
        assert "Session.rebuild_auth" in [h["symbol"] for h in hits[:2]]
    assert "/.swe_agent/" in (sample_repo / ".git/info/exclude").read_text()
    assert git(sample_repo, "status", "--porcelain") == ""


def test_second_index_parses_only_what_changed(sample_repo: Path) -> None:
    index(sample_repo)
    again = index(sample_repo)
    assert again.added == again.changed == again.removed == []
    assert again.unchanged > 5
    cookies = sample_repo / "minihttp/cookies.py"
    cookies.write_text(cookies.read_text() + "\n\ndef clear_expired(jar):\n    return jar\n")
    (sample_repo / "minihttp/utils.py").unlink()
    git(sample_repo, "mv", "minihttp/cli.py", "minihttp/main.py")
    report = index(sample_repo)
    assert report.changed == ["minihttp/cookies.py"]
    assert sorted(report.removed) == ["minihttp/cli.py", "minihttp/utils.py"]
    assert report.added == ["minihttp/main.py"]
    with open_store(sample_repo, read_only=True) as store:
        assert lookup_symbol_in(store, "clear_expired")["definitions"]
        for table in ("files", "definitions", "refs", "chunks"):
            assert store.one(f"SELECT count(*) FROM {table} WHERE path = 'minihttp/utils.py'") == (
                0,
            )
        orphans = store.one(
            "SELECT count(*) FROM postings WHERE chunk_id NOT IN (SELECT id FROM chunks)"
        )
        assert orphans == (0,)
        assert (
            search_code_in(store, "parse_url scheme host port", 10)[0]["path"]
            != "minihttp/utils.py"
        )


def test_what_must_not_be_read_is_skipped_with_a_reason(sample_repo: Path, tmp_path: Path) -> None:
    (sample_repo / ".env").write_text("API_KEY=secret\n")
    (sample_repo / "server.pem").write_text("-----BEGIN PRIVATE KEY-----\n")
    (sample_repo / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n\0\0\0")
    (sample_repo / "big.txt").write_text("x" * 2000)
    outside = tmp_path / "outside.py"
    outside.write_text("SECRET = 1\n")
    os.symlink(outside, sample_repo / "linked.py")
    (sample_repo / "latin1.py").write_bytes(
        "name = 'caf\xe9'\n\ndef caf():\n    pass\n".encode("latin-1")
    )
    (sample_repo / "broken.py").write_text("def ok():\n    return 1\n\ndef broken(:\n    pass\n")
    report = index(sample_repo, max_bytes=1000)
    reasons = dict(report.skipped)
    assert reasons[".env"] == reasons["server.pem"] == "secret-looking file"
    assert reasons["logo.png"] == "binary"
    assert reasons["big.txt"].startswith("over the size limit")
    assert reasons["linked.py"] == "symlink leading out of the repository"
    assert report.invalid_utf8 == ["latin1.py"]
    assert "broken.py" in report.parse_errors
    with open_store(sample_repo, read_only=True) as store:
        assert lookup_symbol_in(store, "ok")["definitions"]
        assert lookup_symbol_in(store, "caf")["definitions"]
        assert store.one(
            "SELECT count(*) FROM files WHERE path IN ('.env', 'linked.py', 'logo.png')"
        ) == (0,)


def test_a_submodule_is_skipped(sample_repo: Path, tmp_path: Path) -> None:
    inner = tmp_path / "inner"
    inner.mkdir()
    git(inner, "init", "-q")
    (inner / "x.py").write_text("X = 1\n")
    commit_all(inner, "inner")
    git(
        sample_repo,
        "-c",
        "protocol.file.allow=always",
        "submodule",
        "add",
        "-q",
        str(inner),
        "vendor/inner",
    )
    report = index(sample_repo)
    assert dict(report.skipped)["vendor/inner"] == "submodule"


def test_not_a_repository_and_an_empty_one(tmp_path: Path) -> None:
    with pytest.raises(NotARepository, match="git init"):
        GitRepo(tmp_path)
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    with pytest.raises(EmptyRepository, match="add some files"):
        index(tmp_path)


def test_a_bare_repository_and_a_git_folder_are_refused_and_a_subfolder_finds_its_root(
    sample_repo: Path, tmp_path: Path
) -> None:
    bare = tmp_path / "bare.git"
    subprocess.run(["git", "init", "-q", "--bare", str(bare)], check=True)
    with pytest.raises(NotARepository, match="bare repository"):
        GitRepo(bare)
    with pytest.raises(NotARepository, match=r"\.git folder"):
        GitRepo(sample_repo / ".git")
    (sample_repo / "deep" / "er").mkdir(parents=True)
    assert GitRepo(sample_repo / "deep" / "er").root == sample_repo.resolve()


def test_a_language_without_grammar_is_searchable_as_text(sample_repo: Path) -> None:
    (sample_repo / "docs").mkdir()
    (sample_repo / "docs/deploy.txt").write_text("To deploy, run the frobnicator script twice.\n")
    index(sample_repo)
    with open_store(sample_repo, read_only=True) as store:
        assert search_code_in(store, "frobnicator", 3)[0]["path"] == "docs/deploy.txt"


def test_an_unchanged_binary_stays_skipped_and_a_changed_one_is_looked_at_again(
    sample_repo: Path,
) -> None:
    blob = sample_repo / "logo.png"
    blob.write_bytes(b"\x89PNG\r\n\x1a\n\0\0\0")
    index(sample_repo)
    with open_store(sample_repo, read_only=True) as store:
        assert store.one("SELECT reason, size FROM skipped WHERE path = 'logo.png'") == (
            "binary",
            11,
        )
    assert dict(index(sample_repo).skipped)["logo.png"] == "binary"
    blob.write_text("now it is text\n")
    report = index(sample_repo)
    assert "logo.png" in report.added
    assert "logo.png" not in dict(report.skipped)


def test_a_store_built_with_other_queries_or_tokenizer_is_parsed_again(sample_repo: Path) -> None:
    from swe_agent.index import index_version

    first = index(sample_repo)
    with open_store(sample_repo) as store:
        assert store.meta("tokenizer") == index_version()
        store.set_meta("tokenizer", "1-0123456789ab")  # as left by an older swe-agent
    again = index(sample_repo)
    assert sorted(again.changed) == sorted(first.added)
    assert again.unchanged == 0
    assert index(sample_repo).changed == []


def _rows(root: Path) -> dict[str, list[tuple]]:
    """Every row an index writes, in the order written (not indexed_at, a time)."""
    with open_store(root, read_only=True) as store:
        return {
            table: store.query(f"SELECT {', '.join(columns)} FROM {table} ORDER BY rowid")
            for table, columns in {**COLUMNS, "skipped": ("path", "reason", "size")}.items()
        }


def _row_sets(root: Path) -> dict[str, list[tuple]]:
    """Every row an index writes, postings too, sorted: the fork's parts are written as they
    come, from the last file on, so the rows are those of one process in another order."""
    with open_store(root, read_only=True) as store:
        tables = {**COLUMNS, "skipped": ("path", "reason", "size"), "postings": ("*",)}
        return {
            table: sorted(store.query(f"SELECT {', '.join(columns)} FROM {table}"))
            for table, columns in tables.items()
        }


def test_files_parsed_beside_by_a_second_process_make_the_same_store(sample_repo: Path) -> None:
    """From SPLIT_MIN files a forked process parses from the last file on and hands its rows
    over in parts: the store holds the same rows as when one process parses, with the files
    no parser reads cleanly last (the fork's share), among them a docstring that reads \\N
    (which a CSV file of rows would take for NULL)."""
    for k in range(SPLIT_MIN // 15):
        for rel in git(sample_repo, "ls-files").split():
            (sample_repo / f"copy{k}" / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(sample_repo / rel, sample_repo / f"copy{k}" / rel)
    odd = sample_repo / "zz"
    odd.mkdir()
    (odd / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n\0\0\0")
    (odd / "latin1.py").write_bytes("name = 'caf\xe9'\n\ndef caf():\n    pass\n".encode("latin-1"))
    (odd / "broken.py").write_text("def ok():\n    return 1\n\ndef broken(:\n    pass\n")
    (odd / "quoted.py").write_bytes(
        b'def say(a, b=","):\n    """Say "hi",\r\n\tthen go."""\n\n\ndef raw():\n    r"""\\N"""\n'
    )
    commit_all(sample_repo, "many files")
    alone = index(sample_repo, workers=1).as_dict()
    rows = _row_sets(sample_repo)
    shutil.rmtree(sample_repo / ".swe_agent")
    batches: list[tuple[int, int]] = []
    beside = index(
        sample_repo, workers=2, progress=lambda done, total: batches.append((done, total))
    ).as_dict()
    assert batches[-1][0] == batches[-1][1] > SPLIT_MIN
    assert {**beside, "seconds": 0} == {**alone, "seconds": 0}
    assert _row_sets(sample_repo) == rows
    assert ("raw", "\\N") in [(r[2], r[8]) for r in rows["definitions"]]
    assert not list((sample_repo / ".swe_agent").glob(".parsed-*"))
    paths = sorted(git(sample_repo, "ls-files").split())
    parsed = list(parse_all(str(sample_repo), paths, None, 2, sample_repo / ".swe_agent"))
    assert any(isinstance(batch, Spilled) for batch in parsed)  # two processes parsed them


def test_both_processes_hand_their_files_over_in_parts_as_they_parse_them(
    tmp_path: Path,
) -> None:
    """Beside a fork, this process hands back its files whenever their terms reach
    FLUSH_TERMS, and the fork its own in parts of as many terms, so that they are written
    while both still parse: a first batch before the last file, and the same rows as one
    process makes;
    when this process is held up, the fork parses the most and hands its parts over one by
    one, and those that arrived meanwhile come back as one batch (one write)."""
    repo = tmp_path / "many"
    files = _many_words(repo)
    index(repo, workers=1)
    rows = _row_sets(repo)
    shutil.rmtree(repo / ".swe_agent")
    open_store(repo, create=True).con.close()  # made now, not while this process parses
    batches: list[int] = []
    index(repo, workers=2, progress=lambda done, total: batches.append(done))
    assert len(batches) >= 2 and batches[0] < files and batches[-1] == files  # in parts
    assert _row_sets(repo) == rows
    assert sum(r[-1] for r in rows["chunks"]) > 4 * FLUSH_TERMS
    spill = tmp_path / "spill"
    spill.mkdir()
    kinds = []
    for batch in parse_all(str(repo), sorted(git(repo, "ls-files").split()), None, 2, spill):
        if not kinds:
            time.sleep(2)  # this process held up after its first batch: the fork parses on
        kinds.append(batch.parts if isinstance(batch, Spilled) else 0)
    assert sum(kinds) >= 3  # the fork's parts, handed over one by one
    assert max(kinds) >= 2  # those that came while this process was held up: one batch
    assert not list(spill.iterdir())


def test_parts_shrink_as_the_files_run_out_so_the_last_holds_about_a_file() -> None:
    """A process hands its parsed files over once their terms reach FLUSH_TERMS, or, once few
    files are left untaken (the tokens left in the pipe), as soon as they hold what those files
    are expected to: the last part, written after both processes are done, is about a file."""
    tokens = _tokens(40)
    try:
        part = _Part()
        for _ in range(10):  # ten files of 500 terms each, 40 files untaken
            part.add(500)
        assert _untaken(tokens) == 40 and not part.due(tokens)
        part.add(FLUSH_TERMS)
        assert part.due(tokens)  # a full part, however many files are left
        part.count = 0
        os.read(tokens, 36)
        part.add(900)  # 4 files untaken, expected ~4 x 3,800 terms: not yet
        assert _untaken(tokens) == 4 and not part.due(tokens)
        os.read(tokens, 4)
        assert _untaken(tokens) == 0 and part.due(tokens)  # none left: hand it over
        part.count = 0
        assert not part.due(tokens)  # nothing to hand over
    finally:
        os.close(tokens)


def _many_words(repo: Path) -> int:
    """A repository of SPLIT_MIN + 6 files whose terms are five times FLUSH_TERMS."""
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    files = SPLIT_MIN + 6
    lines = 5 * FLUSH_TERMS // (24 * files)  # 24 terms or more a line
    for f in range(files):
        body = "".join(" ".join(f"word{i}x{k}" for k in range(12)) + "\n" for i in range(lines))
        (repo / f"notes{f:03d}.txt").write_text(body + f"file {f}\n")
    commit_all(repo, "many words")
    return files


def test_the_files_of_a_fork_that_dies_are_parsed_by_this_process(tmp_path: Path) -> None:
    """The fork killed as this process hands back its first batch (the last files, the fork's
    first, are large, so it is still parsing them): whatever it did not hand over is parsed
    here, and every file comes back once, in a batch of this process or a part of the fork."""
    repo = tmp_path / "many"
    files = _many_words(repo)
    big = " ".join(f"large{i}x{k}" for i in range(4000) for k in range(16)) + "\n"
    for f in range(files - 8, files):
        (repo / f"notes{f:03d}.txt").write_text(big * 2)
    paths = sorted(git(repo, "ls-files").split())
    spill = tmp_path / "spill"
    spill.mkdir()
    me = os.getpid()
    killed, seen = [], []
    for batch in parse_all(str(repo), paths, None, 2, spill):
        for child in Path(f"/proc/{me}/task/{me}/children").read_text().split():
            if not killed and Path(f"/proc/{child}/stat").read_text().split()[2] != "Z":
                os.kill(int(child), signal.SIGKILL)
                killed.append(int(child))
        rows = batch.rows if isinstance(batch, Spilled) else gather(batch)
        seen.extend(row[0] for row in rows.files)
    assert killed and sorted(seen) == paths
    assert not list(spill.iterdir())


def test_a_reader_sees_changed_files_old_or_new_while_two_processes_index_them(
    sample_repo: Path,
) -> None:
    """An update of SPLIT_MIN or more files comes in several batches (this process's and the
    fork's parts, smaller as the files run out); another connection reading between them must
    not find the fork's share deleted and not yet written again."""
    copies = [f"copy{k}" for k in range(SPLIT_MIN // 15 + 1)]
    for copy in copies:
        for rel in git(sample_repo, "ls-files").split():
            (sample_repo / copy / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(sample_repo / rel, sample_repo / copy / rel)
    commit_all(sample_repo, "many files")
    with open_store(sample_repo, create=True) as store:
        index_repository(GitRepo(sample_repo), store, workers=2)
        before = _definitions_of_copies(store)
        for path in sample_repo.glob("copy*/**/*"):
            if path.is_file():
                path.write_text(path.read_text() + "\n# touched\n")
        seen: list[int] = []
        reader = store.cursor()
        report = index_repository(
            GitRepo(sample_repo),
            store,
            workers=2,
            progress=lambda done, total: seen.append(_definitions_of_copies(reader)),
        )
        # two processes: a batch or more (the fork's parts that arrive before this process's
        # files are written are written with them; one batch was seen on a loaded machine)
        assert len(report.changed) > SPLIT_MIN and len(seen) >= 1
        assert seen == [before] * len(seen)  # the update is not committed while it is written
        assert _definitions_of_copies(store) == before


def _definitions_of_copies(store) -> int:
    return store.one("SELECT count(*) FROM definitions WHERE path LIKE 'copy%'")[0]


def test_a_new_store_is_made_once_parsing_is_under_way_and_holds_the_same_rows(
    sample_repo: Path,
) -> None:
    """open_store makes a new store's file when it is first used, which a first index does
    after its first files are parsed: until then there is no file, and what the index writes
    into it is what it writes into a store made and migrated beforehand."""
    made = open_store(sample_repo, create=True)
    made.con.close()
    with open_store(sample_repo, create=True) as store:
        made_report = index_repository(GitRepo(sample_repo), store, workers=2).as_dict()
    rows = _row_sets(sample_repo)
    shutil.rmtree(sample_repo / ".swe_agent")
    with open_store(sample_repo, create=True) as store:
        assert store.unmade and not (sample_repo / ".swe_agent" / "index.duckdb").exists()
        assert not store.vanished()
        defaults = store.query("SELECT name, value FROM duckdb_settings() ORDER BY name")
        report = index_repository(GitRepo(sample_repo), store, workers=2).as_dict()
        assert not store.unmade and not store.vanished()
        # one thread and no fdatasync for the first index only
        assert store.query("SELECT name, value FROM duckdb_settings() ORDER BY name") == defaults
    assert {**report, "seconds": 0} == {**made_report, "seconds": 0}
    assert _row_sets(sample_repo) == rows
    with open_store(sample_repo, read_only=True) as store:  # migrated: checked as ours
        assert store.meta("tokenizer")


def test_a_new_stores_first_index_commits_its_terms_without_dict_fsst(tmp_path: Path) -> None:
    """The commit of a new store's first index (one transaction) leaves DICT_FSST out, whose
    analysis of the terms was a third of that commit's CPU; an index into a store that
    exists compresses them as DuckDB chooses."""
    repo = tmp_path / "many"
    _many_words(repo)
    query = "SELECT DISTINCT compression FROM pragma_storage_info('postings') WHERE column_name = 'term'"
    found = []
    for made_before in (False, True):
        shutil.rmtree(repo / ".swe_agent", ignore_errors=True)
        if made_before:
            open_store(repo, create=True).con.close()
        with open_store(repo, create=True) as store:
            index_repository(GitRepo(repo), store, workers=1)
            found.append({row[0] for row in store.query(query)})
    assert "DICT_FSST" not in found[0] and "DICT_FSST" in found[1]


def test_a_new_store_closed_unused_leaves_no_database(tmp_path: Path) -> None:
    open_store(tmp_path, create=True).close()
    assert not (tmp_path / ".swe_agent" / "index.duckdb").exists()
    with pytest.raises(NoIndex):
        open_store(tmp_path, read_only=True)


def test_a_name_is_secret_looking_as_fnmatch_reads_each_pattern() -> None:
    """The patterns matched as one expression: a name matches where one pattern matches it
    whole, in any case, and nowhere else."""
    import fnmatch

    from swe_agent.repo.gitrepo import SECRET_PATTERNS, is_secret

    names = [".env", ".env.local", "prod.env", "server.pem", "id_rsa.pub", "Credentials",
             "gcp-credentials.json", "aws_credentials.yml", "secrets.yaml", "x.secret", ".npmrc",
             "app.py", "envy", "a.key.txt", "A.KEY", "conf/.Env", "a.pem\n", "secrets.json.bak",
             "credentials.py", "id_ed25519", "keys/site.crt"]  # fmt: skip
    for name in names:
        base = name.rsplit("/", 1)[-1].lower()
        expected = any(fnmatch.fnmatchcase(base, p) for p in SECRET_PATTERNS)
        assert is_secret(name) is expected, name
    assert is_secret("conf/.Env") and not is_secret("a.pem\n") and not is_secret("envy")


def test_a_repository_without_commits_is_indexed_with_no_head(tmp_path: Path) -> None:
    git(tmp_path, "init", "-q")
    (tmp_path / "app.py").write_text("def main():\n    return 1\n")
    report = index(tmp_path)
    assert report.added == ["app.py"] and report.head is None
    assert GitRepo(tmp_path).head() is None
    commit_all(tmp_path, "first")
    assert GitRepo(tmp_path).head() == git(tmp_path, "rev-parse", "HEAD").strip()


def test_a_repository_for_the_pool_makes_the_same_store_with_its_settings_reset(
    tmp_path: Path,
) -> None:
    """From POOL_THRESHOLD files a pool parses them and each batch commits on its own: the rows of a pool of two and of this process alone
    are the same, and DuckDB's settings are back to their defaults after either."""
    from swe_agent.index.parse import POOL_THRESHOLD

    git(tmp_path, "init", "-q")
    for i in range(POOL_THRESHOLD + 5):
        (tmp_path / f"m{i:03d}.py").write_text(f"def f{i}(x):\n    return g{i % 7}(x)\n")
    commit_all(tmp_path, "many")
    found = []
    for workers in (2, 1):
        shutil.rmtree(tmp_path / ".swe_agent", ignore_errors=True)
        with open_store(tmp_path, create=True) as store:
            report = index_repository(GitRepo(tmp_path), store, workers=workers)
            assert len(report.added) == POOL_THRESHOLD + 5
            defaults = duckdb.connect().execute(SETTINGS).fetchall()
            assert store.query(SETTINGS) == defaults
        found.append(_rows(tmp_path))
    assert found[0] == found[1]


SETTINGS = "SELECT name, value FROM duckdb_settings() WHERE name IN ('threads', 'fsync_mode')"
