"""Whole-column checks give exactly what the cell converters give, or leave it to them."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from catalog.models import DataItem
from datasets.validation import BadValue, column_converter, converter_for

from ..sampling import examples
from .conftest import citizen_id

# Cells near each type's canonical form, with the variants a converter rewrites or refuses.
CELLS = {
    "I": st.one_of(
        st.integers(-(10**9), 10**9).map(str),
        st.sampled_from(["", "007", "-0", "+5", " 12", "1.0", "١٢", "12345678901", "x"]),
    ),
    "Y": st.one_of(
        st.decimals(-(10**6), 10**6, places=2, allow_nan=False).map(str),
        st.sampled_from(["", "1", "1.5", "-0.00", "01.00", "1.234", "1e3", "123456789012.34"]),
    ),
    "D": st.one_of(
        st.dates().map(lambda d: d.isoformat()),
        st.sampled_from(["", "2026-02-30", "20260105", "2026-1-5", "0000-01-01", " 2026-01-05"]),
    ),
    "L": st.sampled_from(["", "true", "false", "是", "否", "1", "0", "TRUE", "maybe"]),
}


def _item(data_type: str, length: int, kind: str = "none") -> DataItem:
    return DataItem(name="项", data_type=data_type, length=length, kind=kind, level=1)


def _cells(convert, column):
    try:
        return [convert(value) for value in column]
    except BadValue:
        return BadValue


def _column(convert_column, column):
    try:
        return convert_column(column)
    except BadValue:
        return BadValue


@pytest.mark.parametrize(("data_type", "length"), [("I", 8), ("Y", 12), ("D", 8), ("L", 1)])
@settings(max_examples=examples(150), deadline=None)
@given(data=st.data())
def test_column_check_agrees_with_the_cells(data_type, length, data):
    column = data.draw(st.lists(CELLS[data_type], min_size=1, max_size=30))
    item = _item(data_type, length)
    assert _column(column_converter(item), column) == _cells(converter_for(item), column)


@pytest.mark.parametrize("kind", ["id_number", "uscc"])
@settings(max_examples=examples(100), deadline=None)
@given(data=st.data())
def test_checked_column_agrees_with_the_cells(kind, data):
    from accounts.identifiers import government_uscc

    good = st.integers(0, 10**5).map(
        (lambda n: citizen_id(n, "340102"))
        if kind == "id_number"
        else (lambda n: government_uscc("340100", n))
    )
    bad = st.sampled_from(["", "123", "11010519491231002x", "91110000600037341l", "A" * 18])
    column = data.draw(st.lists(st.one_of(good, bad), min_size=1, max_size=20))
    item = _item("C", 18, kind)
    assert _column(column_converter(item), column) == _cells(converter_for(item), column)


def test_a_cell_holding_the_separator_is_not_split():
    item = _item("I", 8)
    # Joined naively, "1\x002" would read as two good integers; the converter refuses it.
    with pytest.raises(BadValue):
        column_converter(item)(["1\x002", "3"])


def test_non_text_cells_go_to_the_converter():
    item = _item("I", 8)
    assert column_converter(item)([5.0, "6", None]) == ["5", "6", None]
