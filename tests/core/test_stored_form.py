"""The quick test of a value's stored form agrees with `normalise` for every field of every kind: what it
lets through is exactly what normalise would store unchanged (hypothesis draws values of every shape)."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from companion.model.errors import ValidationError
from companion.model.kinds import KINDS
from companion.model.values import normalise, quick_checks, stored_form

FIELDS = [(kind, f) for kind in KINDS for f in kind.fields]

texts = st.text(alphabet=st.characters(codec="utf-8") | st.sampled_from(" \t\n\r\x00\x7f\ud800"), max_size=40)
values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False),
    texts,
    st.sampled_from(
        [
            "2026-02-30",
            "2026-12-10",
            "2026-12-10T09:00:00+00:00",
            "2026-12-10T25:00:00+00:00",
            "0193a3c2-0000-7000-8000-00000000c11e",
            "0193A3C2-0000-7000-8000-00000000C11E",
            "active",
            "must",
            "team",
            "  spaced  ",
            "a@b.example",
            "+47 51 84 20 00",
        ]
    ),
    st.lists(texts | st.sampled_from(["0193a3c2-0000-7000-8000-00000000c11e"]), max_size=3),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)


def _normalised(kind, f, value):
    try:
        return ("ok", normalise(kind, f, value))
    except ValidationError:
        return ("refused", None)


@settings(max_examples=3000, deadline=None)
@given(st.sampled_from(FIELDS), values)
def test_the_quick_test_never_lets_through_what_normalise_would_change_or_refuse(pair, value):
    kind, f = pair
    if value is not None and quick_checks(kind)[f.name][1](value):
        assert _normalised(kind, f, value) == ("ok", value), (kind.name, f.name, value)
    try:
        stored = ("ok", stored_form(kind, f, value))
    except ValidationError:
        stored = ("refused", None)
    assert stored == _normalised(kind, f, value)


def test_stored_values_pass_quickly():
    """The values laptops write (normalise's own output) take the quick path for the common types."""
    samples = {
        "text": "Halvorsen Offshore", "longtext": "Line one\\nLine two", "enum": None, "ref": "0193a3c2-0000-7000-8000-00000000c11e",
        "bool": True, "int": 3, "number": 12.5, "date": dt.date(2026, 12, 10).isoformat(), "datetime": "2026-12-10T09:00:00+00:00",
        "refs": ["0193a3c2-0000-7000-8000-00000000c11e"],
    }  # fmt: skip
    for kind, f in FIELDS:
        value = f.choices[0] if f.type == "enum" else samples.get(f.type)
        if f.item_format == "currency":
            value = "EUR"
        if f.type == "int" and f.min is not None and f.min > value:
            value = f.min  # a cadence of at least 7 days
        if value is None or (f.type == "int" and f.max is not None and f.max < value):
            continue
        assert normalise(kind, f, value) == value
        assert quick_checks(kind)[f.name][1](value), (kind.name, f.name)
