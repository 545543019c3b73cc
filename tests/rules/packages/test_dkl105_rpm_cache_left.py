"""DKL105 rpm-cache-left: spans, traps and fixes."""

from __future__ import annotations

import pytest

from tests.rulecheck import check, clean
from tests.rules.packages.codes import RPM
from tests.rules.packages.roundtrip import fix_roundtrip


def test_rpm_flags_the_first_subcommand_per_cache() -> None:
    (f,) = check(
        RPM,
        "FROM rockylinux:9\nRUN dnf ⟨install⟩ -y python3 && dnf install -y git\n",
    )
    assert "dnf clean all" in f.message
    check(RPM, "FROM opensuse/leap:15.6\nRUN zypper --non-interactive ⟨install⟩ curl\n")


@pytest.mark.parametrize(
    "run",
    [
        "dnf install -y python3 && dnf clean all",
        "yum install -y python3 && yum clean all && rm -rf /var/cache/yum",
        "microdnf install -y python3 && microdnf clean all",
        "dnf install -y x && rm -rf /var/cache/dnf",
        "dnf5 install -y x && rm -rf /var/cache/libdnf5*",
        "--mount=type=cache,target=/var/cache/dnf dnf install -y x",
        "zypper -n install curl && zypper clean -a",
        "zypper -n in curl && zypper cc",
        "dnf remove -y x",
        "dnf clean all",
    ],
)
def test_rpm_clean(run: str) -> None:
    clean(RPM, f"FROM fedora:40\nRUN {run}\n")


def test_rpm_fixes() -> None:
    fix_roundtrip(
        RPM,
        "FROM registry.access.redhat.com/ubi9/ubi-minimal\n"
        "RUN microdnf install -y shadow-utils && \\\n    microdnf update -y\n",
        "FROM registry.access.redhat.com/ubi9/ubi-minimal\n"
        "RUN microdnf install -y shadow-utils && \\\n    microdnf update -y && \\\n"
        "    microdnf clean all\n",
    )
    fix_roundtrip(
        RPM,
        "FROM opensuse/leap\nRUN zypper -n install curl\n",
        "FROM opensuse/leap\nRUN zypper -n install curl && zypper clean --all\n",
    )
