"""Image size estimates before building (pure core): see ``estimate.py`` and docs/size.md."""

from dockerls.size.estimate import (
    Amount,
    Assumptions,
    Part,
    StageEstimate,
    StepEstimate,
    before_after,
    estimate,
    megabytes_of,
)
from dockerls.size.inputs import ContextFiles, LockedPackage

__all__ = [
    "Amount",
    "Assumptions",
    "ContextFiles",
    "LockedPackage",
    "Part",
    "StageEstimate",
    "StepEstimate",
    "before_after",
    "estimate",
    "megabytes_of",
]
