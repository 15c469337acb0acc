"""tunesmith: learns music from libraries of scores and composes with musicians."""

from tunesmith.score import ChordSymbol, KeySignature, Note, Piece, Tempo, TimeSignature, Track

__version__ = "0.1.0"

# The public API, imported on first use so `import tunesmith` stays light: {name: module}.
_API = {
    **dict.fromkeys(("Model", "Take", "compose", "continue_", "harmonize", "inpaint", "load_model", "provenance", "read",
                     "write_takes"), "tunesmith.api"),
    "check": "tunesmith.rights.check",  # the copy check: verdict, nearest works, usage
    # whose signed records of the musician's notes `check` believes: this installation's, and
    # the collaborators' it was handed (`tunesmith identity`)
    **dict.fromkeys(("export_identity", "trust_signer", "untrust_signer", "trusted_signers"), "tunesmith.rights.signers"),
    "rate": "tunesmith.ratings",  # stars and preferences into the ratings store
    "prefer": "tunesmith.ratings",
    "tune": "tunesmith.solvers.policy_gradient",  # fine-tune by reward (`tunesmith tune`)
}  # fmt: skip
__all__ = ["ChordSymbol", "KeySignature", "Note", "Piece", "Tempo", "TimeSignature", "Track", "__version__", *_API]


def __getattr__(name: str):
    if name in _API:
        import importlib

        return getattr(importlib.import_module(_API[name]), name)
    raise AttributeError(f"module 'tunesmith' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_API))
