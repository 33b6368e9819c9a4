from swe_agent.watch.events import Change, Debouncer, classify


def test_noise_is_filtered_and_ref_moves_are_recognised() -> None:
    assert classify("minihttp/sessions.py") == Change("minihttp/sessions.py")
    assert classify(".git/refs/heads/main") == Change("refs/heads/main", ref=True)
    assert classify(".git/HEAD") == Change("HEAD", ref=True)
    for noise in (
        ".git/objects/ab/cdef",
        ".git/index.lock",
        ".git/refs/heads/main.lock",
        ".swe_agent/index.duckdb",
        "a/.b.py.swp",
        "x/__pycache__/m.pyc",
        "notes.txt~",
    ):
        assert classify(noise) is None, noise


def test_flush_after_a_quiet_window_or_at_the_maximum_delay() -> None:
    now = [0.0]
    debouncer = Debouncer(quiet=0.3, max_delay=2.0, clock=lambda: now[0])
    assert not debouncer.due()
    for step in range(30):  # a storm: an event every 0.1 s never leaves a quiet window
        now[0] = step * 0.1
        debouncer.add(Change(f"f{step % 7}.py"))
        if now[0] < 2.0:
            assert not debouncer.due()
    assert debouncer.due()  # the maximum delay passed
    files, refs = debouncer.take()
    assert files == {f"f{i}.py" for i in range(7)}
    assert refs == set()
    debouncer.add(Change("HEAD", ref=True))
    now[0] += 0.31
    assert debouncer.due()
    assert debouncer.take()[1] == {"HEAD"}
