"""EXPOSE words split and checked the way BuildKit does: [ip:][host:]container[/proto].

Used by DKL508 and buildkit_checks.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from dockerls.rules.correctness.variable_scopes import scopes
from dockerls.rules.correctness.word_processing import process_word
from dockerls.rules.engine import RuleContext
from dockerls.syntax import Instruction, Token


@dataclass(frozen=True, slots=True)
class PortSpec:
    """One EXPOSE word split like BuildKit does: [ip:][host:]container[/proto]."""

    ip: str
    host: str
    container: str
    container_start: int
    proto: str | None
    proto_start: int


def split_port(text: str) -> PortSpec:
    parts = text.split(":")
    if len(parts) == 1:
        ip, host = "", ""
    elif len(parts) == 2:
        ip, host = "", parts[0]
    else:
        ip, host = ":".join(parts[:-2]), parts[-2]
    last = parts[-1]
    start = len(text) - len(last)
    container, slash, proto = last.partition("/")
    return PortSpec(
        ip, host, container, start, proto if slash else None, start + len(container) + 1
    )


def _port_range_problem(text: str) -> str | None:
    if not text:
        return "no port is given"
    start, dash, end = text.partition("-")
    for part in (start, end) if dash and start != end else (start,):
        if not re.fullmatch(r"[+-]?\d+", part):
            return f"'{part}' is not a port number"
        if not 0 <= int(part) <= 65535:
            return f"port {part} is out of range (0-65535)"
    if dash and start != end and int(end) < int(start):
        return f"the range {text} ends before it starts"
    return None


def _ip_problem(ip: str) -> str | None:
    import ipaddress

    raw = ip[1:-1] if ip.startswith("[") and ip.endswith("]") else ip
    try:
        ipaddress.ip_address(raw)
    except ValueError:
        return f"'{ip}' is not an IP address"
    return None


def expose_problem(text: str) -> tuple[int, int, str] | None:
    """Why BuildKit rejects an EXPOSE word, by offsets into it, or None."""
    spec = split_port(text)
    if spec.proto is not None and spec.proto.lower() not in ("tcp", "udp", "sctp"):
        return (
            spec.proto_start,
            len(text),
            f"unknown protocol '{spec.proto}' (use tcp, udp or sctp)",
        )
    problem = _port_range_problem(spec.container)
    if problem is not None:
        return spec.container_start, spec.container_start + len(spec.container), problem
    if spec.ip:
        problem = _ip_problem(spec.ip)
        if problem is not None:
            return 0, len(spec.ip), problem
    if spec.host:
        host_start = len(spec.ip) + 1 if spec.ip else 0
        problem = _port_range_problem(spec.host)
        if problem is not None:
            return host_start, host_start + len(spec.host), f"host part: {problem}"
    return None


def expose_words(ctx: RuleContext) -> Iterator[tuple[Instruction, Token, str]]:
    """Each EXPOSE word with its value after substitution (words with unknown values skipped)."""
    escape = ctx.document.escape
    for stage in ctx.stages:
        for ins, env in scopes(ctx, stage):
            if ins.name != "EXPOSE":
                continue
            for token in ins.args:
                processed = process_word(token.text, env, escape, unset_unknown=True)
                if processed.value is not None and processed.error is None:
                    for word in processed.value.split():
                        yield ins, token, word
