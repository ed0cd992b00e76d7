"""Labels and documents (jql_label_*, jql_document_*) and the criteria input
limit from Python, on the bundled sheets: what the dataset file declares,
edits that reach the canonical JSON, refusals with the library's errors."""

import json

import pytest

from conftest import LONG_AN, TAY_NINH


@pytest.mark.parametrize("base", [LONG_AN, TAY_NINH], ids=["long-an", "tay-ninh"])
def test_labels_and_documents_are_the_files(jq, base):
    path = base / "dataset.json"
    if not path.exists():
        pytest.skip("bundled data absent")
    doc = json.loads(path.read_text(encoding="utf-8"))
    ds = jq.Dataset.load(path)
    assert [(l.kind, l.id, l.names) for l in ds.labels] == \
        [(l["kind"], l["id"], l["names"]) for l in doc.get("labels", [])]
    for l in doc.get("labels", []):
        for lang, name in l["names"].items():
            assert ds.label(l["kind"], l["id"], lang) == name
    assert ds.documents == {d["period"]: d["fields"] for d in doc.get("documents", [])}
    for d in doc.get("documents", []):
        assert ds.document(d["period"]) == d["fields"]
    assert isinstance(ds.labels[0], jq.Label)


def test_label_edits(jq, small):
    assert small.labels == [] and small.label("cluster", "c1") is None
    small.set_label("cluster", "c1", "vi", "Cụm 1")
    small.set_label("cluster", "c1", "en", "Cluster 1")
    assert small.label("cluster", "c1") == "Cụm 1"  # "vi" by default
    assert small.label("cluster", "c1", "en") == "Cluster 1"
    assert small.labels == [jq.Label("cluster", "c1", {"en": "Cluster 1", "vi": "Cụm 1"})]
    again = jq.Dataset.loads(small.to_json())
    assert again.labels == small.labels
    small.set_label("cluster", "c1", "en", None)
    assert small.label("cluster", "c1", "en") is None
    with pytest.raises(jq.ValidationError):
        small.set_label("", "c1", "vi", "x")


def test_document_edits(jq, small):
    assert small.document("2014-Q1") == {}
    small.set_document_field("2014-Q1", "number", "Số: 1/BC")
    small.set_document_field("2014-Q1", "issuer", "SỞ TƯ PHÁP")
    assert small.document("2014-Q1") == {"number": "Số: 1/BC", "issuer": "SỞ TƯ PHÁP"}
    assert jq.Dataset.loads(small.to_json()).documents == small.documents
    small.set_document_field("2014-Q1", "number", None)
    assert small.document("2014-Q1") == {"issuer": "SỞ TƯ PHÁP"}
    with pytest.raises(jq.NotFoundError):
        small.set_document_field("2099-Q9", "number", "x")


def test_criteria_max_input_size(jq):
    path = LONG_AN / "criteria-2014.json"
    if not path.exists():
        pytest.skip("bundled data absent")
    size = path.stat().st_size
    with pytest.raises(jq.LimitError, match="limit"):
        jq.Criteria.load(path, max_input_size=size - 1)
    with open(path, "rb") as f, pytest.raises(jq.LimitError):
        jq.Criteria.load(f, max_input_size=size - 1)
    with pytest.raises(jq.LimitError):
        jq.Criteria.loads(path.read_bytes(), max_input_size=16)
    assert jq.Criteria.load(path, max_input_size=size).id == jq.Criteria.load(path).id
    assert jq.Criteria.loads(path.read_text(encoding="utf-8"), max_input_size=size).id
    for bad in (0, -1, 1.5, True, "10"):
        with pytest.raises(ValueError, match="max_input_size"):
            jq.Criteria.load(path, max_input_size=bad)
