"""DKL537 expose-host-mapping: flagged, clean and fix cases."""

from __future__ import annotations

from tests.rulecheck import clean
from tests.rules.roundtrip import roundtrip


def test_expose_host_mapping() -> None:
    roundtrip(
        "DKL537",
        "FROM a\nEXPOSE ⟨8080:80⟩ ⟨127.0.0.1:5353:53/udp⟩\n",
        "FROM a\nEXPOSE 80 53/udp\n",
    )
    clean("DKL537", "FROM a\nEXPOSE 80 443/tcp abc:80\n")  # abc:80 is DKL508's
