"""DKL536 expose-protocol-not-lowercase: flagged, clean and fix cases."""

from __future__ import annotations

from tests.rulecheck import clean
from tests.rules.roundtrip import roundtrip


def test_expose_protocol_casing() -> None:
    roundtrip("DKL536", "FROM a\nEXPOSE 80/⟨TCP⟩ 53/⟨Udp⟩\n", "FROM a\nEXPOSE 80/tcp 53/udp\n")
    clean("DKL536", "FROM a\nEXPOSE 80/tcp 53 80/XYZ\n")  # 80/XYZ is DKL508's
