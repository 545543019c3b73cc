"""``.dockerignore`` with Docker's semantics (not gitignore's). Pure: text in, values out.

What Docker (BuildKit, via moby/patternmatcher) does, and what this module mirrors:

* Reading: one pattern per line. A line whose *first character* is ``#`` is a
  comment (``  # x`` is the pattern ``# x``). Surrounding white space is trimmed;
  blank lines are skipped. A leading ``!`` makes an exception; white space after
  it is trimmed too. The pattern is cleaned like Go's ``filepath.Clean`` (``./``,
  ``..``, doubled and trailing slashes) and one leading ``/`` is dropped, so
  ``/foo/``, ``./foo`` and ``foo`` are the same pattern.
* Syntax: Go's ``filepath.Match``: ``*`` is any run of characters except ``/``,
  ``?`` one character except ``/``, ``[...]`` a class (``[^...]`` negates; ``!``
  is an ordinary character there; unlike ``*`` and ``?``, a class can match
  ``/``), ``\\`` escapes the next character, which is then literal. On top of
  that, ``**`` matches any number of directories, including none.
* Matching: a path is tested, and so is each of its parent directories, so a
  pattern naming a directory covers everything below it. The last pattern that
  matches decides: an ordinary pattern excludes, an exception re-includes.
  There is no gitignore rule against re-including below an excluded directory,
  and a trailing ``/`` does not restrict a pattern to directories.

Docker rejects the whole file when one pattern is malformed; here such a line
becomes a ``IgnoreProblem`` and simply never matches, so the rest stays useful.

Lines and columns are 0-based, columns in code points, like every position in
dockerls. Nothing here raises on any input.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# A name that no literal pattern will name: used to ask "is what's inside excluded?".
_PROBE = "\uffff"


@dataclass(frozen=True, slots=True)
class Pattern:
    """One effective line of a ``.dockerignore`` file."""

    line: int  # 0-based line in the file
    start: int  # column of the first character of ``text`` (the '!' for an exception)
    end: int  # column just past ``text``
    text: str  # the line as written, trimmed
    pattern: str  # the cleaned pattern Docker matches, without '!'
    negated: bool  # an exception ('!'): a match re-includes
    _regex: re.Pattern[str] = field(repr=False, compare=False)

    def matches(self, path: str) -> bool:
        """Whether this pattern matches ``path`` itself or one of its parent directories.

        ``path`` must already be normalised (see ``normalize_path``) and not empty.
        """
        if self._regex.fullmatch(path):
            return True
        index = path.find("/")
        while index != -1:
            if self._regex.fullmatch(path, 0, index):
                return True
            index = path.find("/", index + 1)
        return False


@dataclass(frozen=True, slots=True)
class IgnoreProblem:
    """A line Docker would refuse (the build fails); here it is skipped."""

    line: int
    start: int
    end: int
    text: str
    message: str


@dataclass(frozen=True, slots=True)
class DockerIgnore:
    patterns: tuple[Pattern, ...] = ()
    problems: tuple[IgnoreProblem, ...] = ()

    @staticmethod
    def parse(text: str) -> DockerIgnore:
        patterns: list[Pattern] = []
        problems: list[IgnoreProblem] = []
        for number, raw in enumerate(text.split("\n")):
            line = raw[:-1] if raw.endswith("\r") else raw
            offset = 1 if number == 0 and line.startswith("\ufeff") else 0
            if line.startswith("#", offset):
                continue
            start, end = _go_trim_bounds(line, offset)
            if start == end:
                continue
            stripped = line[start:end]
            cleaned, negated, error = _clean_line(stripped)
            regex = None if error else _compile(cleaned)
            if regex is None:
                message = error or f"invalid pattern {cleaned!r}"
                problems.append(IgnoreProblem(number, start, end, stripped, message))
                continue
            patterns.append(Pattern(number, start, end, stripped, cleaned, negated, regex))
        return DockerIgnore(tuple(patterns), tuple(problems))

    def matching_pattern(self, path: str) -> Pattern | None:
        """The pattern that decides ``path``: the last one matching it or a parent.

        ``None`` when no pattern matches (the path is sent). Otherwise the path is
        excluded exactly when the returned pattern is not ``negated``; an exception
        is returned when it is what re-included the path.
        """
        normalized = normalize_path(path)
        if normalized is None:
            return None
        for pattern in reversed(self.patterns):
            if pattern.matches(normalized):
                return pattern
        return None

    def is_excluded(self, path: str) -> bool:
        """Whether ``path`` (relative to the context root) is left out of the context.

        The context root itself and paths outside it are never excluded.
        """
        pattern = self.matching_pattern(path)
        return pattern is not None and not pattern.negated

    def excludes_contents_of(self, directory: str) -> bool:
        """Whether the directory, or at least an arbitrary entry inside it, is excluded.

        True for ``node_modules``, ``node_modules/``, ``**/node_modules``,
        ``node_modules/*`` and ``node_modules/**`` alike; patterns naming only some
        entries (``node_modules/*.js``) do not count.
        """
        if self.is_excluded(directory):
            return True
        normalized = normalize_path(directory)
        return normalized is not None and self.is_excluded(f"{normalized}/{_PROBE}")

    @property
    def has_exceptions(self) -> bool:
        return any(p.negated for p in self.patterns)


def normalize_path(path: str) -> str | None:
    """A context-relative path as Docker matches it, or None for the root or outside it."""
    cleaned = go_clean(path).lstrip("/")
    if cleaned in ("", ".", "..") or cleaned.startswith("../"):
        return None
    return cleaned


def go_clean(path: str) -> str:
    """Go's ``path.Clean``: the shortest equivalent slash path, ``.`` for empty."""
    if not path:
        return "."
    rooted = path.startswith("/")
    parts: list[str] = []
    for part in path.split("/"):
        if part in ("", "."):
            continue
        if part == "..":
            if parts and parts[-1] != "..":
                parts.pop()
            elif not rooted:
                parts.append("..")
            continue
        parts.append(part)
    joined = "/".join(parts)
    if rooted:
        return "/" + joined
    return joined or "."


_GO_NOT_SPACE = "\x1c\x1d\x1e\x1f"  # Python treats these as white space, Go does not


def _is_go_space(ch: str) -> bool:
    return ch.isspace() and ch not in _GO_NOT_SPACE


def _go_trim_bounds(text: str, start: int = 0) -> tuple[int, int]:
    """Go's ``strings.TrimSpace`` as the bounds of what remains of ``text[start:]``."""
    end = len(text)
    while start < end and _is_go_space(text[start]):
        start += 1
    while end > start and _is_go_space(text[end - 1]):
        end -= 1
    return start, end


def _go_trim(text: str) -> str:
    start, end = _go_trim_bounds(text)
    return text[start:end]


def _clean_line(stripped: str) -> tuple[str, bool, str | None]:
    """(cleaned pattern, negated, error) the way Docker's reader and matcher clean a line."""
    negated = stripped.startswith("!")
    pattern = _go_trim(stripped[1:]) if negated else stripped
    if pattern:
        pattern = go_clean(pattern)
        if len(pattern) > 1 and pattern.startswith("/"):
            pattern = pattern[1:]
    # The matcher cleans the whole line again, '!' included: "!/" collapses to "!".
    full = go_clean(("!" if negated else "") + pattern)
    if full.startswith("!"):
        if len(full) == 1:
            return "", True, "an exception ('!') needs a pattern"
        negated, full = True, full[1:]
    error = _syntax_error(full)
    return full, negated, error


def _syntax_error(pattern: str) -> str | None:
    """Go ``filepath.Match`` syntax check: None when the pattern is well formed."""
    i, n = 0, len(pattern)
    while i < n:
        ch = pattern[i]
        if ch == "\\":
            if i + 1 >= n:
                return "a trailing '\\' escapes nothing"
            i += 2
        elif ch == "[":
            _, _, after, error = _scan_class(pattern, i)
            if error:
                return error
            i = after
        else:
            i += 1
    return None


def _class_char(pattern: str, i: int) -> tuple[str | None, int, str | None]:
    """One character of a class range, honouring escapes (Go's ``getEsc``)."""
    n = len(pattern)
    if i >= n:
        return None, i, "unclosed character class '['"
    ch = pattern[i]
    if ch in "-]":
        return None, i, f"unexpected {ch!r} in character class"
    if ch == "\\":
        if i + 1 >= n:
            return None, i, "unclosed character class '['"
        return pattern[i + 1], i + 2, None
    return ch, i + 1, None


def _scan_class(pattern: str, i: int) -> tuple[bool, list[tuple[str, str]], int, str | None]:
    """Parse ``[...]`` starting at ``pattern[i] == '['``: (negated, ranges, index after, error)."""
    n = len(pattern)
    i += 1
    negated = i < n and pattern[i] == "^"
    if negated:
        i += 1
    ranges: list[tuple[str, str]] = []
    while True:
        if i < n and pattern[i] == "]" and ranges:
            return negated, ranges, i + 1, None
        lo, i, error = _class_char(pattern, i)
        if lo is None:
            return negated, ranges, i, error or "bad character class"
        hi = lo
        if i < n and pattern[i] == "-":
            hi_char, i, error = _class_char(pattern, i + 1)
            if hi_char is None:
                return negated, ranges, i, error or "bad character range"
            hi = hi_char
            if hi < lo:
                # Go's Match accepts it, but Docker's regex translation fails on it.
                return negated, ranges, i, f"reversed range {lo}-{hi} in character class"
        ranges.append((lo, hi))


def _class_regex(negated: bool, ranges: list[tuple[str, str]]) -> str:
    body = "".join(
        re.escape(lo) if lo == hi else f"{re.escape(lo)}-{re.escape(hi)}" for lo, hi in ranges
    )
    # As in Go's filepath.Match (and Docker's regex), a class may match '/':
    # only '*' and '?' stop at the separator.
    return f"[^{body}]" if negated else f"[{body}]"


_WILDCARDS = frozenset("*?[]\\")


def _compile(pattern: str) -> re.Pattern[str] | None:
    """Translate a well-formed cleaned pattern into an anchored regex (None if impossible)."""
    try:
        return re.compile(_translate(pattern), re.DOTALL)
    except (re.error, IndexError, RecursionError, OverflowError):
        return None


def _translate(pattern: str) -> str:
    # Docker's fast path: '**' followed by literal text is a plain suffix test,
    # so '**.md' matches 'docs/x.md' and '**/foo' matches 'foo' and 'a/b/foo'.
    if pattern.startswith("**"):
        suffix = pattern[2:]
        if not _WILDCARDS.intersection(suffix):
            alternatives = [f".*{re.escape(suffix)}"]
            if suffix.startswith("/"):
                alternatives.append(re.escape(suffix[1:]))
            return "(?:" + "|".join(alternatives) + ")"
    out: list[str] = []
    i, n = 0, len(pattern)
    while i < n:
        ch = pattern[i]
        if ch == "*":
            if i + 1 < n and pattern[i + 1] == "*":
                i += 2
                if i < n and pattern[i] == "/":
                    i += 1
                out.append(".*" if i >= n else "(?:.*/)?")
                continue
            out.append("[^/]*")
        elif ch == "?":
            out.append("[^/]")
        elif ch == "\\":
            out.append(re.escape(pattern[i + 1]))
            i += 1
        elif ch == "[":
            negated, ranges, after, _ = _scan_class(pattern, i)
            out.append(_class_regex(negated, ranges))
            i = after
            continue
        else:
            out.append(re.escape(ch))
        i += 1
    return "".join(out)
