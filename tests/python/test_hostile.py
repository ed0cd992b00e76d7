"""Hostile use of the binding: buffers changed by another thread during loads(),
and requests to stop (KeyboardInterrupt, SystemExit) raised by custom functions.

The buffer tests are meant for the ASan build (tests/run.sh runs this suite
there): before loads() copied mutable buffers, the tree builder read past the
end of a bytearray whose last closing quote another thread was toggling.
"""

import sys
import threading

import pytest

from conftest import CUSTOM_CRITERIA, LONG_AN, small_dataset

PAD = 1 << 20  # whitespace that makes each load long enough to race with


def padded(path):
    text = path.read_bytes()
    brace = text.index(b"{")
    return text[:brace + 1] + b" " * PAD + text[brace + 1:]


def hammer(load, buf, arg=None, rounds=40):
    """Toggle the bytearray's last '"' while `load(arg or buf)` runs again and again.

    Every load must end in a result or a library error: a changed byte may make
    the text invalid but must never make the loader read outside the buffer.
    """
    import justice_quarterly as jq
    last = bytes(buf).rindex(b'"')
    stop = threading.Event()

    def toggle():
        while not stop.is_set():
            buf[last] = 0x78  # 'x': the last string no longer ends
            buf[last] = 0x22

    t = threading.Thread(target=toggle)
    old = sys.getswitchinterval()
    sys.setswitchinterval(1e-5)
    t.start()
    outcomes = set()
    try:
        for _ in range(rounds):
            try:
                load(buf if arg is None else arg)
                outcomes.add("ok")
            except jq.Error:
                outcomes.add("error")
    finally:
        stop.set()
        t.join()
        sys.setswitchinterval(old)
    return outcomes


@pytest.mark.parametrize("kind", ["bytearray", "memoryview", "readonly-view"])
def test_dataset_loads_survives_buffer_changed_by_another_thread(jq, kind):
    buf = bytearray(padded(LONG_AN / "dataset.json"))
    arg = {"bytearray": buf, "memoryview": memoryview(buf),
           "readonly-view": memoryview(buf).toreadonly()}[kind]
    outcomes = hammer(jq.Dataset.loads, buf, arg)
    assert outcomes <= {"ok", "error"}
    # The toggler stopped on '"': the padded text is valid again and loads.
    assert len(jq.Dataset.loads(bytes(buf)).units) > 0


def test_criteria_loads_survives_buffer_changed_by_another_thread(jq):
    buf = bytearray(padded(LONG_AN / "criteria-2014.json"))
    outcomes = hammer(jq.Criteria.loads, buf)
    assert outcomes <= {"ok", "error"}


def test_loads_copies_mutable_buffer_before_parsing(jq):
    """A bytearray changed after loads() returned does not affect the dataset,
    and one changed during the load gives the old or the new text, never a mix
    read past its end: the load of a snapshot equals the load of bytes."""
    data = (LONG_AN / "dataset.json").read_bytes()
    buf = bytearray(data)
    ds = jq.Dataset.loads(buf)
    buf[:] = b"{}"
    assert ds.to_json() == jq.Dataset.loads(data).to_json()


def test_loads_refuses_non_buffers(jq):
    with pytest.raises(TypeError):
        jq.Dataset._load_buffer("text", None)
    with pytest.raises(TypeError):
        jq.Criteria._load_buffer(12, None)


# ---- requests to stop raised inside custom functions -------------------------

@pytest.mark.parametrize("exc", [KeyboardInterrupt, SystemExit, GeneratorExit])
def test_base_exceptions_from_custom_functions_propagate_unchanged(jq, exc):
    ds = small_dataset(jq)
    crit = jq.Criteria.loads(CUSTOM_CRITERIA)
    raised = exc("stop")

    def fn(*args):
        raise raised

    crit.register("extra", fn)
    with pytest.raises(exc) as info:
        try:
            jq.score(ds, crit, "2014")
        except jq.Error:  # what application code catching library errors writes
            pytest.fail("a request to stop was turned into a library error")
    assert info.value is raised


def test_ordinary_exceptions_still_become_callback_error(jq):
    ds = small_dataset(jq)
    crit = jq.Criteria.loads(CUSTOM_CRITERIA)

    def fn(*args):
        raise ZeroDivisionError("boom")

    crit.register("extra", fn)
    with pytest.raises(jq.CallbackError) as info:
        jq.score(ds, crit, "2014")
    assert isinstance(info.value.__cause__, ZeroDivisionError)


def test_scoring_works_after_an_interrupt(jq):
    ds = small_dataset(jq)
    crit = jq.Criteria.loads(CUSTOM_CRITERIA)
    state = {"stop": True}

    def fn(*args):
        if state["stop"]:
            raise KeyboardInterrupt
        return 1

    crit.register("extra", fn)
    with pytest.raises(KeyboardInterrupt):
        jq.score(ds, crit, "2014")
    state["stop"] = False
    assert jq.score(ds, crit, "2014") is not None


# ---- save(): what is at the path decides -------------------------------------

def test_save_honours_umask_and_follows_symlinks(jq, tmp_path):
    import os
    ds = small_dataset(jq)
    old = os.umask(0o077)
    try:
        ds.save(tmp_path / "new.json")
    finally:
        os.umask(old)
    assert (tmp_path / "new.json").stat().st_mode & 0o777 == 0o600
    target = tmp_path / "target.json"
    target.write_text("old")
    target.chmod(0o640)
    (tmp_path / "link.json").symlink_to("target.json")
    ds.save(tmp_path / "link.json")
    assert (tmp_path / "link.json").is_symlink()
    assert target.stat().st_mode & 0o777 == 0o640
    assert jq.Dataset.load(target).to_json() == ds.to_json()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.json", "new.json", "target.json"]


def test_save_refuses_directories_and_fifos(jq, tmp_path):
    import os
    ds = small_dataset(jq)
    os.mkfifo(tmp_path / "fifo")
    for name in ("", "fifo"):
        with pytest.raises(OSError):
            ds.save(tmp_path / name if name else tmp_path)
    assert (tmp_path / "fifo").exists() and not (tmp_path / "fifo").is_file()


# ---- refused builder calls change nothing ----------------------------------------

@pytest.mark.parametrize("call", [
    lambda ds: ds.add_task("t", "title", "2014-04-01", owners=["U1", "nope"]),
    lambda ds: ds.add_shortcoming("s", "2014-Q1", "text", units=["nope"]),
    lambda ds: ds.add_directive("d", "2014-01-01", "P", "text", units=["nope"]),
    lambda ds: ds.add_indicator("i", "name", field="\ud800"),
    lambda ds: ds.add_event("U1", "2014-01-01", "kind", evidence="\ud800"),
    lambda ds: ds.add_unit("X", "X", "district", "P", attributes={"": "v"}),
    lambda ds: ds.add_unit("X", "X", "district", "P", cluster="\ud800"),
    lambda ds: ds.set_unit("U1", name="new", parent="U1"),
])
def test_refused_builder_calls_leave_the_dataset_unchanged(jq, call):
    ds = small_dataset(jq)
    before = ds.to_json()
    with pytest.raises((jq.Error, ValueError, TypeError)):
        call(ds)
    assert ds.to_json() == before
