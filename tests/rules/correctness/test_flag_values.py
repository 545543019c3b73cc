"""Flag values: Go durations and the fields of --mount (flag_values)."""

from __future__ import annotations

import pytest

from dockerls.rules.correctness.flag_values import duration_problem


@pytest.mark.parametrize("value", ["0", "30s", "1m30s", "1.5h", ".5s", "10ms", "2µs1ms", ""])
def test_valid_durations(value: str) -> None:
    if value:
        assert duration_problem(value) is None


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("30", "no unit"),
        ("5x", "unknown unit"),
        ("500us", "minimum"),
        ("-1s", "minimum"),
        ("s", "not a"),
    ],
)
def test_invalid_durations(value: str, fragment: str) -> None:
    problem = duration_problem(value)
    assert problem is not None and fragment in problem


@pytest.mark.parametrize(
    ("value", "fields"),
    [
        ("type=cache,target=/x", ["type=cache", "target=/x"]),
        ('type=bind,"source=a,b",ro', ["type=bind", "source=a,b", "ro"]),
        ('"a""b"', ['a"b']),
        ('type=cache,target="x', None),
        ('"open', None),
        ('"a"b', None),
    ],
)
def test_mount_fields_read_like_go_csv(value: str, fields: list[str] | None) -> None:
    from dockerls.rules.correctness.flag_values import mount_fields

    assert mount_fields(value) == fields
