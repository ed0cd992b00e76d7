"""Every exception path of the binding: status codes → Python exceptions."""

import errno
import json
import os

import pytest

from conftest import CUSTOM_CRITERIA, TEST_DATA


def invalid_fixtures():
    return sorted((TEST_DATA / "invalid").glob("*.json"))


def test_exception_hierarchy(jq):
    assert issubclass(jq.ValidationError, jq.Error) and issubclass(jq.ValidationError, ValueError)
    assert issubclass(jq.NotFoundError, jq.Error) and issubclass(jq.NotFoundError, KeyError)
    assert issubclass(jq.LimitError, jq.ValidationError)
    assert issubclass(jq.AlreadyExistsError, jq.ValidationError)
    assert issubclass(jq.CallbackError, jq.Error)
    assert not issubclass(jq.CallbackError, ValueError)


@pytest.mark.parametrize("path", invalid_fixtures(), ids=lambda p: p.name)
def test_invalid_datasets_raise_validation_error_with_located_entries(jq, path):
    with pytest.raises(jq.ValidationError) as info:
        jq.Dataset.load(path)
    err = info.value
    assert err.status in (-3, -7)
    assert err.errors, "every problem is listed"
    for entry in err.errors:
        assert isinstance(entry, jq.Diagnostic)
        assert isinstance(entry.path, str) and isinstance(entry.message, str) and entry.message
        assert entry.line >= 0 and entry.column >= 0
        assert entry.severity in ("error", "warning")
        assert entry.source == str(path)
    assert any(e.severity == "error" for e in err.errors)
    # the same problems when loaded from memory, under another source name
    with pytest.raises(jq.ValidationError) as again:
        jq.Dataset.loads(path.read_bytes(), "mem.json")
    assert [(e.path, e.line, e.column, e.message) for e in again.value.errors] == \
        [(e.path, e.line, e.column, e.message) for e in err.errors]
    assert all(e.source == "mem.json" for e in again.value.errors)


def test_validation_error_entries_are_located(jq):
    text = ('{"format": "justice-quarterly/dataset 1.0",\n'
            ' "units": [{"id": "a", "name": "A", "level": "district", "parent": "zz"}]}\n')
    with pytest.raises(jq.ValidationError) as info:
        jq.Dataset.loads(text)
    err = info.value
    entry = next(e for e in err.errors if e.path == "/units/0/parent")
    assert entry.line == 2 and entry.column > 1 and "zz" in entry.message
    assert str(entry).startswith("<memory>:2:") or str(entry).startswith(":2:") or \
        "2:" in str(entry)
    assert "/units/0/parent" in str(err)


def test_multiple_errors_are_all_listed(jq):
    path = TEST_DATA / "invalid" / "multi.json"
    if not path.exists():
        pytest.skip("multi.json fixture absent")
    with pytest.raises(jq.ValidationError) as info:
        jq.Dataset.load(path)
    assert len([e for e in info.value.errors if e.severity == "error"]) >= 2


def test_missing_file_is_file_not_found_with_errno(jq, tmp_path):
    missing = tmp_path / "nope.json"
    with pytest.raises(FileNotFoundError) as info:
        jq.Dataset.load(missing)
    assert info.value.errno == errno.ENOENT
    assert info.value.filename == str(missing)
    assert info.value.status == -6
    with pytest.raises(FileNotFoundError):
        jq.Criteria.load(missing)


def test_directory_is_an_os_error(jq, tmp_path):
    with pytest.raises(OSError):
        jq.Dataset.load(tmp_path)


def test_unreadable_file_is_permission_error(jq, tmp_path):
    if os.geteuid() == 0:
        pytest.skip("root reads any file")
    p = tmp_path / "secret.json"
    p.write_text("{}")
    p.chmod(0)
    with pytest.raises(PermissionError):
        jq.Dataset.load(p)


def test_too_large_input_is_limit_error(jq, tmp_path):
    text = b'{"format": "justice-quarterly/dataset 1.0", "name": "' + b"x" * 4000 + b'"}'
    with pytest.raises(jq.LimitError) as info:
        jq.Dataset.loads(text, max_input_size=1000)
    assert info.value.status == -7
    assert isinstance(info.value, ValueError)
    assert "max-input-size" in str(info.value)
    p = tmp_path / "big.json"
    p.write_bytes(text)
    with pytest.raises(jq.LimitError):
        jq.Dataset.load(p, max_input_size=1000)
    # the same text loads under a raised limit, and by default
    assert jq.Dataset.loads(text, max_input_size=5000).name == "x" * 4000
    assert jq.Dataset.load(p).name == "x" * 4000
    with pytest.raises(ValueError, match="max_input_size"):
        jq.Dataset.loads(text, max_input_size=0)


def test_builder_errors(jq, small):
    with pytest.raises(jq.AlreadyExistsError) as info:
        small.add_unit("U1", "again", "district")
    assert info.value.status == -5 and "U1" in str(info.value)
    with pytest.raises(jq.NotFoundError) as nf:
        small.add_unit("U9", "x", "district", "no-such-parent")
    assert nf.value.status == -4
    assert str(nf.value) == nf.value.message  # no KeyError quoting
    with pytest.raises(jq.ValidationError):
        small.add_unit("", "empty id", "district")
    with pytest.raises(jq.ValidationError):
        small.set_unit("U1", parent="U1")  # a cycle
    with pytest.raises(jq.AlreadyExistsError):
        small.add_report("U1", "2014-Q1", "statistics", "2014-04-10")
    with pytest.raises(ValueError, match="status must be one of"):
        small.add_task("t", "t", "2014-01-01", ["U1"], status="finished")
    with pytest.raises(jq.ValidationError):
        small.add_task("t", "t", "2014-01-01", ["U1"], status="done")  # done needs a date
    with pytest.raises(ValueError, match="aggregation"):
        small.add_indicator("i", "i", aggregation="median")
    with pytest.raises(ValueError):
        small.add_unit("bad\x00id", "x", "district")  # embedded NUL


def test_lookup_errors_are_not_found_and_key_errors(jq, small):
    with pytest.raises(jq.NotFoundError):
        small.units["nope"]
    with pytest.raises(KeyError):
        small.tasks["nope"]
    with pytest.raises(KeyError):
        small.set_unit("nope", name="x")
    with pytest.raises(jq.NotFoundError):
        small.set_report_submitted("U1", "2014-Q2", "statistics", None, False)
    with pytest.raises(jq.NotFoundError):
        small.set_assessment_scores("U1", "2014", "x", 1, 1)
    assert small.units.get("nope") is None


def test_query_argument_errors(jq, small):
    # an id that names nothing is JQL_ENOTFOUND in every query
    with pytest.raises(jq.NotFoundError, match="unknown unit"):
        small.reports_in_period("nope", "2014")
    with pytest.raises(jq.NotFoundError, match="unknown period"):
        small.tasks_due("not-a-period")
    small.add_indicator("n", "n")
    with pytest.raises(jq.NotFoundError, match="unknown indicator"):
        small.value("U1", "zz", "2014")
    with pytest.raises(jq.NotFoundError, match="unknown unit"):
        small.value("zz", "n", "2014")
    # known ids without data: None (JQL_ENODATA), not an exception
    assert small.value("U1", "n", "2014") is None


def test_no_data_status(jq):
    core = jq._core
    assert core.JQL_ENODATA == jq.NoDataError.status
    assert core.JQL_ENODATA not in (core.JQL_ENOTFOUND, core.JQL_EINVALID, core.JQL_ERROR)
    assert core.strerror(core.JQL_ENODATA) == "no data"
    assert issubclass(jq.NoDataError, jq.Error) and issubclass(jq.NoDataError, LookupError)
    assert not issubclass(jq.NoDataError, jq.NotFoundError)
    with pytest.raises(jq.NoDataError) as info:
        core._raise_status(core.JQL_ENODATA, "nothing")
    assert info.value.status == core.JQL_ENODATA and str(info.value) == "nothing"


def test_dataset_check_reports_dangling_answers(jq, small):
    small.add_directive("d", "2014-01-01", "P", "x", units=["U1"], answers=["no-such"])
    with pytest.raises(jq.ValidationError) as info:
        small.check()
    assert info.value.errors and all(e.line == 0 for e in info.value.errors)


def test_status_mapping_of_every_code(jq):
    core = jq._core
    cases = [(-1, jq.Error), (-3, jq.ValidationError), (-4, jq.NotFoundError),
             (-5, jq.AlreadyExistsError), (-7, jq.LimitError), (-8, jq.CallbackError),
             (-9, jq.NoDataError), (-10, jq.Error)]
    for status, cls in cases:
        with pytest.raises(cls) as info:
            core._raise_status(status, "boom")
        assert type(info.value) is cls
        assert info.value.status == status and str(info.value) == "boom"
    with pytest.raises(MemoryError, match="out of memory"):
        core._raise_status(-2, "out of memory")
    with pytest.raises(FileNotFoundError) as info:
        core._raise_status(-6, "cannot open x.json: " + os.strerror(errno.ENOENT),
                           errno.ENOENT, "x.json")
    assert info.value.errno == errno.ENOENT and info.value.filename == "x.json"
    # errno is trusted only when the message names it
    with pytest.raises(OSError) as info:
        core._raise_status(-6, "cannot write", errno.ENOENT)
    assert type(info.value) is OSError and info.value.errno is None
    with pytest.raises(ValueError):
        core._raise_status(0, "not a failure")
    assert core.strerror(-2)
    assert core.strerror(12345)


def test_criteria_errors(jq, tmp_path):
    with pytest.raises(jq.ValidationError) as info:
        jq.Criteria.loads('{"format": "justice-quarterly/criteria 1.0"}')
    assert info.value.errors
    with pytest.raises(TypeError):
        jq.Criteria()
    invalid = sorted((TEST_DATA / "criteria" / "invalid").glob("*.json"))
    for path in invalid:
        with pytest.raises(jq.ValidationError) as info:
            jq.Criteria.load(path)
        assert info.value.errors or info.value.message, path.name
    crit = jq.Criteria.loads(CUSTOM_CRITERIA)
    with pytest.raises(TypeError, match="callable"):
        crit.register("extra", 42)


def test_score_errors(jq, small, custom_criteria):
    # unregistered custom function: the criteria do not fit
    with pytest.raises(jq.Error):
        jq.score(small, custom_criteria)
    custom_criteria.register("extra", lambda *a: 1)
    with pytest.raises(jq.NotFoundError):
        jq.score(small, custom_criteria, "not-a-period")
    with pytest.raises(TypeError):
        jq.score(custom_criteria, small)
    with pytest.raises(TypeError):
        jq.score(small, "criteria")
    # indicator measure naming an unknown indicator: ValidationError from the check
    doc = json.loads(CUSTOM_CRITERIA)
    doc["criteria"][0] = {"id": "A", "title": "x", "max": 6,
                          "measure": {"kind": "indicator_value", "indicator": "missing"},
                          "method": {"type": "linear", "target": 10}}
    crit = jq.Criteria.loads(json.dumps(doc))
    crit.register("extra", lambda *a: 1)
    with pytest.raises(jq.ValidationError) as info:
        crit.check(small)
    assert info.value.errors
    with pytest.raises(jq.ValidationError):
        jq.score(small, crit)
