"""The points a custom function returns, converted by the trampoline in C
(an int or a Decimal of the exact types) or by the Python fallback (anything
else, and every refused value), against what exact_milli() gives for the same
value: the same thousandths, or the same exception type and message.

The custom leaf here has the largest max there is (9e12 points, the scale),
so the engine's clamp to [0, max] hides only negative points: every
non-negative accepted value is seen exactly.
"""

import os
import tempfile
from decimal import Decimal, localcontext
from fractions import Fraction

import pytest

from conftest import small_dataset

MILLI_MAX = 9_000_000_000_000_000  # _core.MILLI_MAX, checked below
WHAT = "custom function 'extra' (node 'C')"

BIG = """{
  "format": "justice-quarterly/criteria 1.0",
  "id": "big-custom",
  "period": "2014",
  "scale": 9000000000000,
  "units": {"levels": ["district"]},
  "criteria": [
    {"id": "C", "title": "Custom", "max": 9000000000000,
     "method": {"type": "custom", "function": "extra"}}
  ],
  "tiers": [{"id": "all", "name": "All", "min": 0}]
}"""


@pytest.fixture
def big(jq):
    assert jq._core.MILLI_MAX == MILLI_MAX
    return small_dataset(jq), jq.Criteria.loads(BIG, "big-custom.json")


def expected(value):
    """What scoring gives for a returned value, by exact_milli(): the clamped
    points, or the exception's type and message."""
    from justice_quarterly._convert import exact_milli
    try:
        milli = exact_milli(value, WHAT)
    except (TypeError, ValueError) as exc:
        return type(exc), str(exc)
    return Decimal(min(max(milli, 0), MILLI_MAX)).scaleb(-3)


def outcome(jq, ds, crit, value, context):
    """What scoring gives when the custom function returns value."""
    if context:
        crit.register("extra", lambda ds, u, p, n, ctx: value, context=True)
    else:
        crit.register("extra", lambda ds, u, p, n: value)
    try:
        r = jq.score(ds, crit)
    except jq.CallbackError as err:
        cause = err.__cause__
        return type(cause), str(cause)
    points = r["U1"].node("C").points
    assert r["U2"].node("C").points == points
    return points


class SubDecimal(Decimal):
    """A Decimal subclass: converted as exact_milli() converts it."""


class LyingDecimal(Decimal):
    """A Decimal subclass whose text is not its value: never read as text."""

    def __str__(self):
        return "2"

    __repr__ = __str__


class SubInt(int):
    """An int subclass."""


class OddInt(int):
    """An int subclass whose numerator is not itself (exact_milli reads it)."""

    @property
    def numerator(self):
        return 5


INT_MAX = MILLI_MAX // 1000

EDGES = [
    # ints: small, the range's ends, beyond, huge, subclasses, bool
    0, 1, -1, 4, 255, 256, 257, -5, 10**6, INT_MAX, -INT_MAX, INT_MAX + 1, -INT_MAX - 1,
    2**31, 2**53 + 1, 2**62, 2**63 - 1, 2**63, -2**63, 2**64, 10**30, -10**30, 10**400,
    SubInt(3), SubInt(INT_MAX + 1), OddInt(7), True, False,
    # Decimal: signs, zeros of any sign and exponent
    Decimal("1.5"), Decimal("-1.5"), Decimal("+2.25"), Decimal("0"), Decimal("-0"),
    Decimal("0.000"), Decimal("-0.000"), Decimal("0E+100"), Decimal("-0E+100"),
    Decimal("0E-30"), Decimal("0E-999999999"), Decimal("-0E-999999999"),
    Decimal("0E+999999999999999999"), Decimal("0E-999999999999999999"),
    # exponents, in and out of the plain notation
    Decimal("1E+3"), Decimal("1.23E+3"), Decimal("-4.5E+1"), Decimal("1E+12"),
    Decimal("9E+12"), Decimal("9.000000000000000E+12"), Decimal("9.000000000000001E+12"),
    Decimal("1E+13"), Decimal("1E+16"), Decimal("1E+999999999"),
    Decimal("1E+999999999999999999"), Decimal("1E-3"), Decimal("-1E-3"), Decimal("1E-4"),
    Decimal("5E-4"), Decimal("10E-4"), Decimal("100E-5"), Decimal("1E-7"), Decimal("12E-7"),
    Decimal("1000E-6"), Decimal("1E-999999999"), Decimal("-7E-999999999999999999"),
    Decimal("123456789E-3"), Decimal("123456789E-4"), Decimal("0.0005"), Decimal("0.001"),
    Decimal("0.005"), Decimal("0.0010"), Decimal("3.999"), Decimal("-2.001"),
    # trailing zeros, and 19 and more digits
    Decimal("1.5000000"), Decimal("1.5000000000000000000000000000000"),
    Decimal("1000E-3"), Decimal("10000000000000000000000E-22"),
    Decimal("1.0000000000000000000001"), Decimal("1.0001"), Decimal("100000000000.0000000"),
    Decimal("1234567890123.456"), Decimal("8999999999999.999"), Decimal("-8999999999999.999"),
    Decimal("9000000000000.000"), Decimal("9000000000000.001"), Decimal("-9000000000000.001"),
    Decimal("9000000000000.0000000000000000000"), Decimal("9000000000000.0000000000000000001"),
    Decimal("18446744073709551.616"), Decimal("18446744073709551616E-3"),
    Decimal("9223372036854775807E-3"), Decimal("9223372036854775808E-6"),
    Decimal("99999999999999999999999999999999999999"), Decimal("1" + "0" * 60 + "1"),
    Decimal("1" + "0" * 60 + "E-60"), Decimal("0." + "0" * 60 + "1"),
    # not finite
    Decimal("NaN"), Decimal("-NaN"), Decimal("NaN123"), Decimal("sNaN"), Decimal("-sNaN7"),
    Decimal("Infinity"), Decimal("-Infinity"),
    # subclasses
    SubDecimal("1.5"), SubDecimal("0.0001"), SubDecimal("NaN"), LyingDecimal("3.5"),
    LyingDecimal("0.0001"),
    # anything else
    Fraction(7, 4), Fraction(1, 3), Fraction(-1, 8), 2.0, 0.5, "1", None, b"1", [1], 1j,
]


@pytest.mark.parametrize("context", [False, True])
@pytest.mark.parametrize("value", EDGES, ids=repr)
def test_returned_points_as_exact_milli_gives_them(jq, big, value, context):
    ds, crit = big
    assert outcome(jq, ds, crit, value, context) == expected(value)


@pytest.mark.parametrize("value", [Decimal("1E+3"), Decimal("1.5E+2"), Decimal("1E-3"),
                                   Decimal("-0E-7"), Decimal("5E-4"), Decimal("1.5000")])
def test_the_decimal_context_of_the_scoring_thread_changes_nothing(jq, big, value):
    """str() of a Decimal writes 'e' with capitals=0; precision, rounding and
    traps play no part in the conversion."""
    ds, crit = big
    with localcontext() as ctx:
        ctx.capitals = 0
        ctx.prec = 1
        ctx.traps = {signal: True for signal in ctx.traps}
        assert "e" in str(Decimal("1E+3"))
        got = outcome(jq, ds, crit, value, False)
    assert got == expected(value)


def test_one_scoring_converts_each_call_of_its_own(jq):
    """Each unit's call converts its own return (the 46 calls of the
    custom-ratio set: ints, Decimals and Fractions interleaved)."""
    from conftest import TEST_DATA
    ds = jq.Dataset.load(TEST_DATA / "custom-ratio" / "dataset.json")
    crit = jq.Criteria.load(TEST_DATA / "custom-ratio" / "criteria.json")
    units = list(ds.units)
    kinds = [int, Decimal, Fraction, lambda v: Decimal(v).scaleb(-3), SubInt,
             lambda v: Fraction(v, 8)]

    def value(unit):
        i = units.index(unit)
        return kinds[i % len(kinds)](i % 7)

    crit.register("ratio", lambda ds, unit, period, node: value(unit))
    r = jq.score(ds, crit)
    for unit in units:
        want = Fraction(value(unit))
        assert Fraction(r[unit].node("C").points) == want
        assert Fraction(r[unit].node("E").points) == min(want, 1)


def test_functions_and_clone_give_the_users_functions(jq, big):
    ds, crit = big

    def plain(ds, u, p, n):
        return 1

    def with_context(ds, u, p, n, ctx):
        return 2

    crit.register("extra", plain)
    assert crit.functions == {"extra": plain}
    assert crit.clone().functions == {"extra": plain}
    crit.register("extra", with_context, context=True)
    assert crit.functions["extra"] is with_context
    copy = crit.clone()
    assert copy.functions["extra"] is with_context
    assert jq.score(ds, copy)["U1"].node("C").points == Decimal("2.000")


def test_register_takes_only_a_custom_function(jq, big):
    _, crit = big
    with pytest.raises(TypeError):
        crit._register("extra", lambda *a: 1000)
    with pytest.raises(TypeError):
        jq._core.CustomFunction(1, "what", lambda *a: 0)


# ---- property test (Debian's python3-hypothesis) ---------------------------

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

os.environ.setdefault("HYPOTHESIS_STORAGE_DIRECTORY",
                      os.path.join(tempfile.gettempdir(), "jql-hypothesis"))
EXAMPLES = int(os.environ.get("JQL_HYPOTHESIS_EXAMPLES", "150"))
SETTINGS = settings(max_examples=EXAMPLES * 2, derandomize=True, database=None, deadline=None,
                    suppress_health_check=list(HealthCheck))

# Decimals from their parts: up to 40 digits (leading and trailing zeros
# common), exponents mostly near the point, sometimes anywhere.
digits = st.lists(st.one_of(st.integers(0, 9), st.just(0)), min_size=1, max_size=40)
exponents = st.one_of(st.integers(-25, 20), st.integers(-999999999999999900, 999999999999999900))
decimals = st.one_of(
    st.builds(lambda sign, d, e: Decimal((sign, tuple(d), e)), st.integers(0, 1), digits,
              exponents),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.decimals(min_value=-10**13, max_value=10**13, places=3),
)
ints = st.one_of(st.integers(-10**4, 10**4), st.integers(-2 * INT_MAX, 2 * INT_MAX),
                 st.integers(-2**70, 2**70))


@SETTINGS
@given(st.one_of(decimals, ints), st.booleans())
def test_property_returned_points_as_exact_milli_gives_them(jq, value, context):
    ds, crit = small_dataset(jq), jq.Criteria.loads(BIG, "big-custom.json")
    assert outcome(jq, ds, crit, value, context) == expected(value)


@pytest.mark.parametrize("value,in_c", [
    (0, True), (-3, True), (INT_MAX, True), (INT_MAX + 1, False), (SubInt(1), False),
    (True, False), (Decimal("1.5"), True), (Decimal("-0E-999999999"), True),
    (Decimal("1.5000000000000000000000"), True), (Decimal("1E+3"), True),
    (Decimal("0.0001"), False), (Decimal("NaN"), False), (SubDecimal("1"), False),
    (Fraction(1, 2), False), (2.0, False),
])
def test_ints_and_decimals_in_range_skip_the_python_fallback(jq, big, value, in_c):
    """White box (_core.CustomFunction): the trampoline converts an int or a
    Decimal of the exact types in range itself and calls the fallback for
    anything else, once."""
    from justice_quarterly.criteria import _points
    ds, crit = big
    fallback = []

    def points(value, what, node):
        fallback.append(node)
        return _points(value, what, node)

    crit._register("extra", jq._core.CustomFunction(lambda *a: value, WHAT, points))
    for capitals in (1, 0):  # "1E+3" and "1e+3"
        fallback.clear()
        with localcontext() as ctx:
            ctx.capitals = capitals
            try:
                jq.score(ds, crit)
            except jq.CallbackError:
                pass
        assert fallback == ([] if in_c else ["C"] if isinstance(expected(value), tuple)
                            else ["C", "C"])


def test_the_context_made_in_c_is_a_custom_context_of_its_call(jq, big):
    """The trampoline makes the CustomContext as tuple.__new__ would: its
    fields, repr, equality and pickling-free tuple behaviour are the named
    tuple's; a kept one keeps its fields but refuses points_from_ratio()."""
    ds, crit = big
    kept = []

    @crit.register("extra", context=True)
    def extra(dataset, unit, period, node, ctx):
        kept.append(ctx)
        assert ctx.points_from_ratio(1, 3) == Decimal("3000000000000.000")
        return ctx.max / 2

    r = jq.score(ds, crit)
    assert r["U1"].node("C").points == Decimal("4500000000000.000")
    units = list(ds.units)
    assert sorted(c.unit_id for c in kept) == ["U1", "U2"]
    for ctx in kept:
        assert isinstance(ctx, jq.CustomContext) and isinstance(ctx, tuple)
        assert tuple(ctx) == ("C", 0, Decimal("9000000000000.000"), ctx.unit_id,
                              units.index(ctx.unit_id), "2014")
        assert str(ctx.max) == "9000000000000.000"
        assert repr(ctx) == repr(jq.CustomContext(*ctx))
        assert ctx == jq.CustomContext(*ctx) and hash(ctx) == hash(tuple(ctx))
        with pytest.raises(RuntimeError, match="valid only during the call"):
            ctx.points_from_ratio(1, 2)
    assert kept[0].max is kept[1].max  # one Decimal per leaf and scoring


@pytest.mark.parametrize("context", [1, (tuple,), (int, str), (tuple, str, str),
                                     (tuple, 5), (tuple, str)])
def test_custom_function_context_is_checked(jq, context):
    with pytest.raises(TypeError, match="context must be"):
        jq._core.CustomFunction(len, "what", len, context)


@pytest.mark.parametrize("context", [False, True])
def test_threads_scoring_at_once_convert_their_own_points(jq, context):
    """Four threads scoring with one CustomFunction at once (ints, Decimals in
    C, Fractions through the fallback) get what one thread alone gets."""
    import threading

    from conftest import TEST_DATA
    ds = jq.Dataset.load(TEST_DATA / "custom-ratio" / "dataset.json")
    crit = jq.Criteria.load(TEST_DATA / "custom-ratio" / "criteria.json")
    units = list(ds.units)

    def value(unit):
        i = units.index(unit)
        return (i, Decimal(i).scaleb(-2), Fraction(i, 8))[i % 3]

    if context:
        crit.register("ratio", lambda d, unit, p, n, ctx: value(ctx.unit_id), context=True)
    else:
        crit.register("ratio", lambda d, unit, p, n: value(unit))

    def table(r):
        return [(u, r[u].node("C").points, r[u].node("E").points) for u in units]

    alone = table(jq.score(ds, crit))
    assert len({p for _, p, _ in alone}) == len(units)
    got, errors = [], []

    def work():
        try:
            for _ in range(15):
                got.append(table(jq.score(ds, crit)))
        except BaseException as exc:  # reported below, in the test's thread
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and len(got) == 60 and all(t == alone for t in got)
