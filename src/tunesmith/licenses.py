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
        # licenses people publish music data under (SPDX ids, with versions)
        License("CC-BY-3.0", "Creative Commons Attribution 3.0", True, "attribution kept in the model card"),
        License("CC-BY-2.0", "Creative Commons Attribution 2.0", True, "attribution kept in the model card"),
        License(
            "CC-BY-SA-4.0",
            "Creative Commons Attribution-ShareAlike 4.0",
            True,
            "share-alike: one-way compatible with GPL-3.0, the license the shipped weights carry",
        ),
        License(
            "CC-BY-SA-3.0", "Creative Commons Attribution-ShareAlike 3.0", False, "share-alike, not GPL-compatible"
        ),
        License("CC-BY-NC-4.0", "Creative Commons Attribution-NonCommercial 4.0", False, "non-commercial"),
        License("CC-BY-NC-3.0", "Creative Commons Attribution-NonCommercial 3.0", False, "non-commercial"),
        License(
            "CC-BY-NC-SA-4.0", "Creative Commons Attribution-NonCommercial-ShareAlike 4.0", False, "non-commercial"
        ),
        License(
            "CC-BY-NC-SA-3.0", "Creative Commons Attribution-NonCommercial-ShareAlike 3.0", False, "non-commercial"
        ),
        License(
            "CC-BY-NC-ND-4.0", "Creative Commons Attribution-NonCommercial-NoDerivatives 4.0", False, "no derivatives"
        ),
        License("CC-BY-ND-4.0", "Creative Commons Attribution-NoDerivatives 4.0", False, "no derivatives"),
        License(
            "ODbL-1.0",
            "Open Database License 1.0",
            False,
            "a database license: the contents' own rights are not stated by it; share-alike on derived databases",
        ),
        License("PDDL-1.0", "Open Data Commons Public Domain Dedication and License", True),
        License("ODC-By-1.0", "Open Data Commons Attribution License", True, "attribution kept in the model card"),
        License("Apache-2.0", "Apache License 2.0", True),
        License("BSD-3-Clause", "BSD 3-Clause License", True),
        License("GPL-2.0-or-later", "GNU General Public License v2 or later", True, "used as GPL-3.0"),
        License("GPL-2.0-only", "GNU General Public License v2 only", False, "not compatible with GPL-3.0 weights"),
        License("unknown", "Unknown", False, "no license stated: treated as research-only"),
    )
}


def _canonical(license_id: str) -> str:
    """'CC BY-SA 4.0', 'cc_by_sa_4.0', 'CC-BY-SA 4.0 International' -> 'cc-by-sa-4.0'."""
    text = str(license_id).strip().lower().replace("_", "-").replace(" ", "-")
    for suffix in ("-international", "-license", "-licence"):
        text = text.removesuffix(suffix)
    while "--" in text:
        text = text.replace("--", "-")
    return text


def get_license(license_id: str) -> License:
    """The registered license for `license_id` (case-insensitive, spaces or underscores for
    hyphens: "CC BY-SA 4.0"); ValueError if unknown."""
    wanted = _canonical(license_id)
    for key, lic in LICENSES.items():
        if _canonical(key) == wanted:
            return lic
    raise ValueError(f"unknown license {license_id!r}; known: {', '.join(LICENSES)}")


def may_ship(license_id: str) -> bool:
    try:
        return get_license(license_id).may_ship
    except ValueError:
        return False
