"""The bundled example data from Python: the bundled sheet scores with no
registration; the custom-function example sheet fails with its own message
until the function is registered, then agrees with the built-in leaf."""

import pytest

from conftest import LONG_AN
from test_score import mediation_success_rate


def test_bundled_sheet_scores_without_registration(jq):
    ds = jq.Dataset.load(LONG_AN / "dataset.json")
    crit = jq.Criteria.load(LONG_AN / "criteria-2014.json")
    results = jq.score(ds, crit)
    assert len(results) == 15


def test_unregistered_custom_function_has_its_own_message(jq):
    ds = jq.Dataset.load(LONG_AN / "dataset.json")
    crit = jq.Criteria.load(LONG_AN / "criteria-2014-custom.json")
    with pytest.raises(jq.ValidationError) as err:
        jq.score(ds, crit)
    text = str(err.value)
    assert ('custom function "mediation_success_rate" (criterion mediation-success) '
            'is not registered') in text
    assert "do not fit" not in text


def test_custom_sheet_matches_the_builtin_leaf(jq):
    ds = jq.Dataset.load(LONG_AN / "dataset.json")
    builtin = jq.score(ds, jq.Criteria.load(LONG_AN / "criteria-2014.json"))
    crit = jq.Criteria.load(LONG_AN / "criteria-2014-custom.json")
    crit.register("mediation_success_rate", mediation_success_rate, context=True)
    custom = jq.score(ds, crit)
    got = {u.id: u.node("mediation-success").points for u in custom}
    want = {u.id: u.node("mediation-success").points for u in builtin}
    assert got == want
    assert len(set(got.values())) > 1  # the leaf spreads the units: a real comparison


@pytest.mark.parametrize("rel", ["long-an-2014/dataset.json", "tay-ninh-2026/dataset.json"])
def test_bundled_datasets_round_trip(jq, rel):
    """Labels, documents and cut-offs load and save in canonical form: the
    bundled files are canonical, so saving reproduces them byte for byte."""
    path = LONG_AN.parent / rel
    text = path.read_text(encoding="utf-8")
    assert '"labels"' in text and '"documents"' in text
    assert jq.Dataset.load(path).to_json() == text


def test_two_tier_example_scores_without_registration(jq):
    base = LONG_AN.parent / "tay-ninh-2026"
    results = jq.score(jq.Dataset.load(base / "dataset.json"),
                       jq.Criteria.load(base / "criteria-2026.json"))
    assert len(results) == 12
    assert results["xa-d"].tier == "not-completed"  # the disciplinary veto
