"""Licenses of training data, and whether a model trained on them may ship in the package.

Every piece carries a license id from this registry (or "unknown"). `may_ship` decides what
goes into the default model inside the package: only data whose license allows
redistribution of derived models. Research-only and non-commercial data never does.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class License:
    id: str
    name: str
    may_ship: bool  # may a model trained on it ship inside the (MIT-licensed) package?
    note: str = ""


LICENSES: dict[str, License] = {
    lic.id: lic
    for lic in (
        License("public-domain", "Public domain", True, "e.g. J.S. Bach's chorales"),
        License("CC0-1.0", "Creative Commons Zero", True),
        License("Unlicense", "The Unlicense", True),
        License("CC-BY-4.0", "Creative Commons Attribution 4.0", True, "attribution kept in the model card"),
        License("MIT", "MIT License", True),
        License(
            "GPL-3.0",
            "GNU General Public License v3",
            True,
            "weights trained on GPL data: we ship them with the GPL notice in the model card",
        ),
        License(
            "non-commercial",
            "Non-commercial use only",
            False,
            "music21 corpus encodings (permission for non-commercial use)",
        ),
        License("research-only", "Research use only", False, "copyrighted songs: never in a shipped model"),
        License("unknown", "Unknown", False, "no license stated: treated as research-only"),
    )
}


def get_license(license_id: str) -> License:
    """The registered license for `license_id` (case-insensitive); ValueError if unknown."""
    for key, lic in LICENSES.items():
        if key.lower() == license_id.lower():
            return lic
    raise ValueError(f"unknown license {license_id!r}; known: {', '.join(LICENSES)}")


def may_ship(license_id: str) -> bool:
    try:
        return get_license(license_id).may_ship
    except ValueError:
        return False
