"""What the builder rejects in a flag's value: durations, --retries, --chmod, --checksum,
--network, --security, --platform and the fields of --mount.

Used by DKL505 and DKL515 (ONBUILD triggers); ``mount_fields`` also by the stage
references.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from dockerls.rules.correctness.image_references import digest_problem
from dockerls.rules.correctness.spans import piece
from dockerls.rules.correctness.spelling import did_you_mean, suggest
from dockerls.rules.engine import Hit
from dockerls.syntax import Flag, Instruction, Token


def mount_fields(value: str) -> list[str] | None:
    """The comma-separated fields of a ``--mount`` value, read like Go's encoding/csv.

    A field may be double-quoted (``""`` is a quote inside it); a quote anywhere else,
    or an unclosed one, is an error (None).
    """
    fields: list[str] = []
    i, n = 0, len(value)
    while True:
        if value.startswith('"', i):
            out: list[str] = []
            i += 1
            while True:
                close = value.find('"', i)
                if close < 0:
                    return None
                out.append(value[i:close])
                i = close + 1
                if value.startswith('"', i):
                    out.append('"')
                    i += 1
                    continue
                break
            if i < n and value[i] != ",":
                return None
            fields.append("".join(out))
        else:
            comma = value.find(",", i)
            end = n if comma < 0 else comma
            if '"' in value[i:end]:
                return None
            fields.append(value[i:end])
            i = end
        if i >= n:
            return fields
        i += 1  # the comma


_DURATION_UNITS = ("ns", "us", "µs", "μs", "ms", "s", "m", "h")
_DURATION_PART = re.compile(r"(\d*)(\.\d*)?([^\d.]*)")
_NANOS = {
    "ns": 1,
    "us": 1_000,
    "µs": 1_000,
    "μs": 1_000,
    "ms": 1_000_000,
    "s": 10**9,
    "m": 60 * 10**9,
    "h": 3600 * 10**9,
}


def duration_problem(text: str) -> str | None:
    """Why Go's ``time.ParseDuration`` (and BuildKit's 1 ms minimum) rejects ``text``."""
    body = text.lstrip("+-")
    negative = text.startswith("-")
    if body == "0":
        return None
    if not body:
        return f"'{text}' is not a duration (use e.g. 30s, 1m30s)"
    total = 0.0
    i = 0
    while i < len(body):
        match = _DURATION_PART.match(body, i)
        if match is None or match.end() == i:
            return f"'{text}' is not a duration (use e.g. 30s, 1m30s)"
        whole, frac, unit = match.groups()
        if not whole and (not frac or frac == "."):
            return f"'{text}' is not a duration (use e.g. 30s, 1m30s)"
        if not unit:
            return f"'{text}' has no unit (ns, us, ms, s, m or h)"
        if unit not in _DURATION_UNITS:
            return f"'{text}' has the unknown unit '{unit}' (use ns, us, ms, s, m or h)"
        total += float((whole or "0") + (frac if frac and frac != "." else "")) * _NANOS[unit]
        i = match.end()
    if total != 0 and (negative or total < 1_000_000):
        return f"'{text}' is less than the minimum of 1ms"
    return None


_OCTAL = re.compile(r"[0-7]+")
_SYMBOLIC = re.compile(
    r"(?:[ugoa]*(?:[-+=](?:[rwxXst]*|[ugo]))+)(?:,[ugoa]*(?:[-+=](?:[rwxXst]*|[ugo]))+)*"
)
_PLATFORM_PART = re.compile(r"[A-Za-z0-9_.()-]+")
_NETWORKS = ("default", "none", "host")
_SECURITY = ("sandbox", "insecure")
_MOUNT_TYPES = ("bind", "cache", "tmpfs", "secret", "ssh")
_SHARING = ("shared", "private", "locked")
_MOUNT_KEYS = frozenset(
    {
        "type", "from", "source", "src", "target", "dst", "destination", "readonly", "ro",
        "readwrite", "rw", "required", "size", "id", "sharing", "mode", "uid", "gid", "env",
    }
)  # fmt: skip
_BARE_MOUNT_KEYS = frozenset({"readonly", "ro", "readwrite", "rw", "required"})
_GO_BOOLS = frozenset(
    {"1", "t", "T", "TRUE", "true", "True", "0", "f", "F", "FALSE", "false", "False"}
)
_SIZE = re.compile(r"\d+(?:\.\d+)* ?[kKmMgGtTpP]?[iI]?[bB]?")


def _value_hit(value: Token, message: str, start: int = 0, end: int | None = None) -> Hit:
    return Hit(piece(None, value, start, len(value.text) if end is None else end), message)


def _mount_problems(flag: Flag) -> Iterator[Hit]:
    value = flag.value
    if value is None or not value.text:
        return
    fields = mount_fields(value.text)
    if fields is None:
        yield _value_hit(value, "--mount is not valid comma-separated text (check the quotes).")
        return
    options: dict[str, tuple[str, int, int]] = {}
    cursor = 0
    for field in fields:
        at = value.text.find(field, cursor)
        start = at if at >= 0 else 0
        cursor = start + len(field)
        key, eq, val = field.partition("=")
        options[key.strip().lower()] = (val if eq else "\0", start, start + len(field))
    kind = options.get("type", ("bind", 0, 0))[0].lower()
    for key, (val, start, end) in options.items():
        if "$" in val and key != "from":
            continue  # expanded at build time
        problem = _mount_field_problem(key, val, kind)
        if problem is not None:
            yield _value_hit(value, problem, start, end)
    names = ("source", "src", "target", "dst", "destination", "id", "env")
    if kind == "secret" and not any(k in options for k in names):
        yield _value_hit(value, "A secret mount needs an id (or a source, target or env).")


def _mount_field_problem(key: str, value: str, kind: str) -> str | None:
    bare = value == "\0"
    if key not in _MOUNT_KEYS:
        return f"Unknown --mount option '{key}'{did_you_mean(suggest(key, tuple(_MOUNT_KEYS)))}."
    if bare:
        if key not in _BARE_MOUNT_KEYS:
            return f"The --mount option '{key}' needs a value ({key}=…)."
        value = "true"
    if key == "type" and value.lower() not in _MOUNT_TYPES:
        hint = did_you_mean(suggest(value, _MOUNT_TYPES))
        return f"Unknown mount type '{value}'{hint}: use bind, cache, tmpfs, secret or ssh."
    if key == "from" and "$" in value:
        return (
            "The mount option from= does not expand variables: define a stage "
            "(FROM $IMAGE AS name) and use its name."
        )
    if key in ("readonly", "ro", "readwrite", "rw", "required") and value not in _GO_BOOLS:
        return f"The --mount option '{key}' expects true or false, not '{value}'."
    restricted = {
        "required": ("secret", "ssh"),
        "size": ("tmpfs",),
        "sharing": ("cache",),
        "mode": ("secret", "ssh", "cache"),
        "uid": ("secret", "ssh", "cache"),
        "gid": ("secret", "ssh", "cache"),
    }.get(key)
    if restricted is not None and kind in _MOUNT_TYPES and kind not in restricted:
        allowed = ", ".join(restricted)
        return f"The --mount option '{key}' is only for {allowed} mounts, not type={kind}."
    if kind == "secret" and key in ("from", "sharing"):
        return f"A secret mount can not have '{key}'."
    checks: dict[str, tuple[Callable[[str], bool], str]] = {
        "sharing": (lambda v: v.lower() in _SHARING, "use shared, private or locked"),
        "mode": (lambda v: bool(_OCTAL.fullmatch(v)), "use an octal mode such as 0644"),
        "uid": (str.isdigit, "use a number"),
        "gid": (str.isdigit, "use a number"),
        "size": (lambda v: bool(_SIZE.fullmatch(v)), "use a size such as 64m"),
    }
    check = checks.get(key)
    if check is not None and not check[0](value):
        return f"Invalid value '{value}' for --mount {key}: {check[1]}."
    return None


def _checksum_problem(value: str) -> str | None:
    if ":" not in value:
        if re.fullmatch(r"[0-9a-f]{7,64}", value):
            return None  # a commit for a Git source
        return f"--checksum '{value}' is not a digest (sha256:<64 hex digits>)"
    return digest_problem(value)


def _platform_problem(value: str) -> str | None:
    parts = value.split("/")
    if len(parts) > 3 or not all(_PLATFORM_PART.fullmatch(p) for p in parts):
        return f"'{value}' is not a platform (os[/arch[/variant]], e.g. linux/amd64)"
    return None


def flag_value_problems(ins: Instruction) -> Iterator[Hit]:
    for flag in ins.flags:
        name = flag.name.text
        if name == "mount" and ins.name == "RUN":
            yield from _mount_problems(flag)
            continue
        value = flag.value
        # HEALTHCHECK's flags are read as written: BuildKit expands no variable there.
        if value is None or not value.text or ("$" in value.text and ins.name != "HEALTHCHECK"):
            continue
        text = value.text
        problem: str | None = None
        if ins.name == "HEALTHCHECK" and name in (
            "interval",
            "timeout",
            "start-period",
            "start-interval",
        ):
            problem = duration_problem(text)
            if problem is not None:
                problem = f"--{name}: {problem}."
        elif ins.name == "HEALTHCHECK" and name == "retries":
            if not re.fullmatch(r"[+-]?\d+", text):
                problem = f"--retries must be a whole number, not '{text}'."
            elif int(text) < 0:
                problem = f"--retries can not be negative ({text})."
            elif int(text) >= 2**31:
                problem = f"--retries {text} is out of range."
        elif ins.name in ("COPY", "ADD") and name == "chmod":
            if not _OCTAL.fullmatch(text) and not _SYMBOLIC.fullmatch(text):
                problem = (
                    f"--chmod '{text}' is neither an octal mode (0755) nor a symbolic one (u+x)."
                )
            elif _OCTAL.fullmatch(text) and int(text, 8) >= 2**32:
                problem = f"--chmod '{text}' is out of range."
        elif ins.name == "ADD" and name == "checksum":
            problem = _checksum_problem(text)
            if problem is not None:
                problem += "."
        elif ins.name == "RUN" and name == "network" and text not in _NETWORKS:
            hint = did_you_mean(suggest(text, _NETWORKS))
            problem = f"Unknown network mode '{text}'{hint}: use default, none or host."
        elif ins.name == "RUN" and name == "security" and text not in _SECURITY:
            hint = did_you_mean(suggest(text, _SECURITY))
            problem = f"Unknown security mode '{text}'{hint}: use sandbox or insecure."
        elif ins.name == "FROM" and name == "platform":
            problem = _platform_problem(text)
            if problem is not None:
                problem += "."
        if problem is not None:
            yield Hit(value.span, problem)
