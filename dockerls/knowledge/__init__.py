"""Base-image knowledge as data: families, variants, sizes and build-package names.

Importing this package is cheap; ``images.json`` is read on the first query.
"""

from dockerls.knowledge.images import (
    Alternative,
    FamilyNotes,
    ImageInfo,
    PackageKind,
    Reference,
    Size,
    alternatives,
    classify,
    families,
    family_notes,
    is_build_package,
    package_kind,
    parse_reference,
)

__all__ = [
    "Alternative",
    "FamilyNotes",
    "ImageInfo",
    "PackageKind",
    "Reference",
    "Size",
    "alternatives",
    "classify",
    "families",
    "family_notes",
    "is_build_package",
    "package_kind",
    "parse_reference",
]
