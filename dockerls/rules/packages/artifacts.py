"""Bulky files an instruction brings into the image, and the archives commands extract.

Directories, archives, package files and downloads brought in by COPY, ADD, ``curl`` or
``wget``; the archives ``tar -x``, ``unzip`` or ``gunzip`` read. Used by DKL109 and DKL114.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass

from dockerls.rules.build_state import Step
from dockerls.rules.instruction_parts import ADD_EXTRACTS, operands
from dockerls.rules.packages.paths import absolute_path
from dockerls.rules.packages.run_view import Run
from dockerls.rules.text_layout import line_no
from dockerls.shell import Word
from dockerls.syntax import Span

_ARCHIVE = re.compile(
    r"\.(?:tar(?:\.(?:gz|bz2|xz|zst|lz4?|lzma|Z))?|tgz|tbz2?|txz|tzst|zip|gz|bz2|xz|zst|7z)$",
    re.IGNORECASE,
)
_PACKAGE_FILE = re.compile(
    r"\.(?:deb|rpm|apk|whl|gem|jar|war|ear|run|bin|appimage|msi|exe|iso)$", re.IGNORECASE
)
_URL = re.compile(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Artifact:
    """A bulky file or directory an instruction brought into the image."""

    path: str  # absolute
    origin: Span  # the word or token that brought it in
    how: str  # "copied by COPY on line 3"
    archive: bool  # a compressed archive meant to be extracted
    directory: bool = False  # a tree of files (removing its contents counts)
    onbuild: bool = False  # brought in by an ONBUILD trigger


def _url_name(text: str) -> str:
    """The file name at the end of a URL or path (query and fragment dropped)."""
    if _URL.match(text):
        text = re.split(r"[?#]", text, maxsplit=1)[0]
    return posixpath.basename(text.rstrip("/"))


def copied(at: Step) -> list[Artifact]:
    """What a COPY or ADD brings in that is bulky: directories, archives, packages, URLs."""
    ins = at.ins
    tokens = [(t.text, t.span) for t in operands(ins) if not t.text.startswith("<<")]
    if len(tokens) < 2:
        return []
    *sources, (dest_text, _) = tokens
    dest = absolute_path(dest_text, at.cwd, at.env)
    if dest is None:
        return []
    into = dest_text.endswith("/") or len(sources) > 1 or dest_text in (".", "./")
    how = f"{'copied' if ins.name == 'COPY' else 'added'} by {ins.name} on line {line_no(ins.span)}"
    found: list[Artifact] = []
    for text, span in sources:
        remote = _URL.match(text) is not None
        name = _url_name(text)
        directory = not remote and (text in (".", "./") or text.endswith("/"))
        extracted = ins.name == "ADD" and not remote and ins.flag("from") is None
        archive = bool(_ARCHIVE.search(name)) and not (extracted and ADD_EXTRACTS.search(name))
        unpacked = extracted and ADD_EXTRACTS.search(name) is not None
        if not (directory or unpacked or archive or remote or _PACKAGE_FILE.search(name)):
            continue
        if directory or unpacked or not name:
            found.append(Artifact(dest, span, how, False, True, at.onbuild))
            continue
        # Without a trailing slash the destination is the file, unless it is a directory.
        for path in (posixpath.join(dest, name),) if into else (dest, posixpath.join(dest, name)):
            found.append(Artifact(path, span, how, archive, False, at.onbuild))
    return found


def downloaded(run: Run, index: int) -> list[Artifact]:
    """The files ``curl -o/-O`` or ``wget`` write."""
    prog, view = run.programs[index]
    cwd = run.cwds[index]
    if prog not in ("curl", "wget") or cwd is None:
        return []
    env = run.envs[index]
    named: list[str] = []
    directory = cwd
    remote_name = prog == "wget"
    for opt in view.options():
        value = opt.value.text if opt.value is not None else None
        if opt.name in ("-o", "--output", "-O", "--output-document") and value is not None:
            if (prog == "curl") == (opt.name in ("-o", "--output")) and value != "-":
                named.append(value)
            remote_name = False
        elif opt.name in ("-O", "--remote-name", "--remote-name-all") and prog == "curl":
            remote_name = True
        elif opt.name in ("--output-dir", "-P", "--directory-prefix") and value is not None:
            directory = absolute_path(value, cwd, env) or directory
    if remote_name:
        named.extend(_url_name(w.text) for w in view.positionals() if _URL.match(w.text))
    word = run.commands[index].argv[0]
    how = f"downloaded by {word.text} on line {line_no(word.span)}"
    found: list[Artifact] = []
    for name in named:
        path = absolute_path(name, directory, env)
        if path is not None and name:
            archive = bool(_ARCHIVE.search(name))
            found.append(Artifact(path, word.span, how, archive, False, run.at.onbuild))
    return found


def extracted_archives(run: Run, index: int) -> list[str]:
    """The archives a ``tar -x``, ``unzip`` or ``gunzip`` command reads."""
    prog, view = run.programs[index]
    cwd = run.cwds[index]
    if cwd is None:
        return []
    files: list[Word] = []
    if prog == "tar":
        positionals = view.positionals()
        old = positionals[0].text if positionals and not view.args[0].text.startswith("-") else ""
        if old.isalpha() and "x" in old:
            files = list(positionals[1:2]) if "f" in old else []
        elif view.has_option("-x", "--extract", "--get"):
            value = view.option_value("-f", "--file")
            files = [value] if value is not None else []
    elif prog == "unzip":
        files = list(view.positionals(("-d", "-x"))[:1])
    elif prog in ("gunzip", "bunzip2", "unxz", "unzstd"):
        files = list(view.positionals())
    paths = [absolute_path(w.text, cwd, run.envs[index]) for w in files if w.text != "-"]
    return [p for p in paths if p is not None]
