"""EXPOSE words checked the way BuildKit does (expose_ports)."""

from __future__ import annotations

from dockerls.rules.correctness.expose_ports import expose_problem


def test_expose_problem_points_at_the_bad_part() -> None:
    assert expose_problem("80/xyz") == (3, 6, "unknown protocol 'xyz' (use tcp, udp or sctp)")
    assert expose_problem("1.2.3:80:80") is not None
    assert expose_problem("[::1]:80:80") is None
