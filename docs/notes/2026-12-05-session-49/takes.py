"""The session's takes for its measurements: `n` composed in one style, keys in turn (C, F, B-flat,
E-flat, G, D), seed = take number, the copy guard off (it would draw some again)."""

from __future__ import annotations

KEYS = ("C", "F", "Bb", "Eb", "G", "D")


def compose_takes(style: str, n: int, bars: int | None = None, model: str = "default") -> list:
    """The pieces of `n` takes of `style` (`bars` None: the style's default length)."""
    import tunesmith

    loaded = tunesmith.load_model(model)
    length = {} if bars is None else {"bars": bars}
    return [tunesmith.compose(style=style, key=KEYS[s % len(KEYS)], seed=s, model=loaded, check=False, **length).piece
            for s in range(n)]  # fmt: skip
