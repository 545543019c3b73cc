"""Typed settings, shared by the server and the CLI.

Settings arrive as loosely typed data (initializationOptions, workspace
configuration, a TOML table, CLI flags). ``Settings.from_mapping`` turns them into
one typed value; every key that is missing keeps its default, and every key that
is invalid keeps its default *and* is reported back to the caller as a message,
so the edge can tell the user without failing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from dockerls.syntax.model import Severity

SEVERITY_NAMES: dict[str, Severity | None] = {
    "error": Severity.ERROR,
    "warning": Severity.WARNING,
    "info": Severity.INFORMATION,
    "information": Severity.INFORMATION,
    "hint": Severity.HINT,
    "off": None,
    "ignore": None,
}


@dataclass(frozen=True, slots=True)
class Settings:
    select: tuple[str, ...] = ()  # codes or names; empty means the default set
    ignore: tuple[str, ...] = ()  # codes or names
    severity: Mapping[str, Severity | None] = field(default_factory=dict)  # None switches off
    target: str | None = None  # the build target stage; None means the last stage

    @staticmethod
    def from_mapping(data: object, base: Settings | None = None) -> tuple[Settings, list[str]]:
        """Read settings leniently: returns the settings and a list of complaints.

        Keys that are absent or invalid keep their value from ``base`` (the
        defaults when there is none), so a client that sends only some keys
        never switches the others off.
        """
        complaints: list[str] = []
        result = base or Settings()
        if data is None:
            return result, complaints
        if not isinstance(data, Mapping):
            complaints.append(f"dockerls settings must be an object, got {type(data).__name__}")
            return result, complaints
        for key in ("select", "ignore"):
            if key not in data or data[key] is None:
                continue
            codes = _codes(data[key])
            if codes is None:
                complaints.append(f"dockerls setting '{key}' must be a list of rule codes or names")
            elif key == "select":
                result = replace(result, select=codes)
            else:
                result = replace(result, ignore=codes)
        raw_sev = data.get("severity")
        if raw_sev is not None:
            if isinstance(raw_sev, Mapping):
                sev: dict[str, Severity | None] = {}
                for code, name in raw_sev.items():
                    if isinstance(name, str) and name.lower() in SEVERITY_NAMES:
                        sev[str(code)] = SEVERITY_NAMES[name.lower()]
                    else:
                        complaints.append(
                            f"dockerls setting 'severity.{code}' must be one of "
                            "error, warning, info, hint, off"
                        )
                result = replace(result, severity={**result.severity, **sev})
            else:
                complaints.append("dockerls setting 'severity' must map rule codes to severities")
        target = data.get("target")
        if target is not None:
            if isinstance(target, str) and target.strip():
                result = replace(result, target=target.strip())
            else:
                complaints.append("dockerls setting 'target' must be a stage name")
        return result, complaints


def _codes(value: object) -> tuple[str, ...] | None:
    """A list of codes from a string (comma-separated) or a list of strings."""
    if isinstance(value, str):
        value = value.split(",")
    if isinstance(value, list | tuple) and all(isinstance(v, str) for v in value):
        return tuple(v.strip() for v in value if v.strip())
    return None
