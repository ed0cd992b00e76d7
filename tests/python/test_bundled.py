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
    crit.register("mediation_success_rate", mediation_success_rate(crit))
    custom = jq.score(ds, crit)
    got = {u.id: u.node("mediation-success").points for u in custom}
    want = {u.id: u.node("mediation-success").points for u in builtin}
    assert got == want
    assert len(set(got.values())) > 1  # the leaf spreads the units: a real comparison
