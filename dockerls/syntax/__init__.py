"""The syntax layer: text in, a position-accurate model out. Never raises."""

from dockerls.syntax.model import (
    Comment,
    Directive,
    Dockerfile,
    ExecForm,
    Flag,
    Heredoc,
    ImageRef,
    Instruction,
    KeyValue,
    Position,
    Problem,
    Severity,
    Span,
    Stage,
    Token,
    VariableModifier,
    VariableRef,
)
from dockerls.syntax.parser import Reuse, parse

__all__ = [
    "Comment",
    "Directive",
    "Dockerfile",
    "ExecForm",
    "Flag",
    "Heredoc",
    "ImageRef",
    "Instruction",
    "KeyValue",
    "Position",
    "Problem",
    "Reuse",
    "Severity",
    "Span",
    "Stage",
    "Token",
    "VariableModifier",
    "VariableRef",
    "parse",
]
