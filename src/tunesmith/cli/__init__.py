"""`tunesmith <verb>`: one CLI over the Python API. Each verb lives in its own module.

The registry is explicit (no registration by import side effect): a verb module defines
`HELP`, `add_arguments(parser)` and `run(args) -> int`, and is listed in `VERBS`.
Verb modules keep heavy imports (torch, music21) inside `run`, so `tunesmith --help` stays fast.
"""

from __future__ import annotations

import argparse
import importlib
import signal
import sys
import threading
from pathlib import Path

VERBS: dict[str, str] = {
    "corpus": "tunesmith.cli.corpus",
    "train": "tunesmith.cli.train",
    "compose": "tunesmith.cli.compose",
    "continue": "tunesmith.cli.continue_",
    "harmonize": "tunesmith.cli.harmonize",
    "inpaint": "tunesmith.cli.inpaint",
    "evaluate": "tunesmith.cli.evaluate",
    "check": "tunesmith.cli.check",
    "provenance": "tunesmith.cli.provenance",
    "identity": "tunesmith.cli.identity",
    "analyze": "tunesmith.cli.analyze",
    "bench": "tunesmith.cli.bench",
    "demo": "tunesmith.cli.demo",
    "tune": "tunesmith.cli.tune",
    "adversarial": "tunesmith.cli.adversarial",
    "rate": "tunesmith.cli.rate",
    "prefer": "tunesmith.cli.prefer",
    "preferences": "tunesmith.cli.preferences",
    "studio": "tunesmith.cli.studio",
}


class CliError(Exception):
    """A user error: printed as one line, exit status 2."""


# Exit statuses (README, "Exit codes"): 0 done; 1 a measured target failed (bench); 2 a refused
# request (bad argument, unreadable file, existing output without --force); 130 interrupted;
# 141 the reader of the output went away (`| head`).
EXIT_USAGE, EXIT_INTERRUPTED, EXIT_BROKEN_PIPE = 2, 130, 141


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line on stderr (naming --help), or one JSON object on
    stdout when --json was asked for."""

    json_errors = False

    def add_argument(self, *args, **kwargs):  # type: ignore[override]
        # choices of lower-case words take any case (--chord-rhythm Bar, --chords-from Table), as
        # --style and --cadence always did; the verb name (a positional) is left alone
        choices = kwargs.get("choices")
        if (choices and "type" not in kwargs and args and str(args[0]).startswith("-")
                and all(isinstance(c, str) and c == c.lower() for c in choices)):  # fmt: skip
            kwargs["type"] = str.lower
        return super().add_argument(*args, **kwargs)

    def error(self, message: str):  # type: ignore[override]
        if _Parser.json_errors:
            _print_json_error(self.prog, message)
            raise SystemExit(EXIT_USAGE)
        # one line, as every other bad input gets (argparse printed its whole usage block first)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {one_line(message)} (see {self.prog} --help)\n")


def one_line(text: object) -> str:
    """`text` as one printable line: control characters (a newline, a terminal's escape codes, held
    in a file's name) shown as escapes, so that an error cannot forge lines or colour a terminal."""
    import re

    return re.sub("[\x00-\x1f\x7f-\x9f]", lambda m: f"\\x{ord(m.group()):02x}", str(text))


def _print_json_error(where: str, message: str, status: int = EXIT_USAGE) -> None:
    import json

    print(json.dumps({"error": str(message), "where": where, "exit_status": status}))


def _version() -> str:
    from tunesmith import __version__

    return f"tunesmith {__version__}"


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="tunesmith", description="Learn music from scores; compose with musicians.")
    parser.add_argument("--version", action="version", version=_version())
    sub = parser.add_subparsers(dest="verb", metavar="VERB")
    sub.required = True
    for verb, module_name in VERBS.items():
        module = importlib.import_module(module_name)
        verb_parser = sub.add_parser(verb, help=module.HELP, description=module.HELP)
        module.add_arguments(verb_parser)
        verb_parser.set_defaults(_run=module.run)
    parser.verb_parsers = sub.choices  # type: ignore[attr-defined]  # a stray argument is the verb's to name
    return parser


def _terminated(signum, frame) -> None:
    raise KeyboardInterrupt  # SIGTERM (kill, `timeout`) stops as Ctrl-C does: no staging folder left, kept takes named


def main(argv: list[str] | None = None) -> int:
    if threading.current_thread() is not threading.main_thread():
        return _main(argv)
    before = signal.signal(signal.SIGTERM, _terminated)
    try:
        return _main(argv)
    finally:
        signal.signal(signal.SIGTERM, before)


def _main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    _Parser.json_errors = "--json" in argv
    try:
        parser = build_parser()
        args, extra = parser.parse_known_args(argv)
        late = getattr(args, "_late_positional", None)
        if extra and late and len(extra) == 1 and not extra[0].startswith("-") and getattr(args, late) is None:
            # an optional positional given after a flag (`preferences export --stars out.csv`): argparse
            # had matched it as absent with the action before it, and refused the file name
            setattr(args, late, extra[0])
        elif extra:  # "tunesmith compose: error: ... (see tunesmith compose --help)", not the bare program's
            parser.verb_parsers.get(args.verb, parser).error(f"unrecognized arguments: {' '.join(extra)}")
        wants_json = bool(getattr(args, "json", False))
        try:
            status = int(args._run(args) or 0)
            sys.stdout.flush()  # a closed pipe shows here, not as a traceback at exit
            return status
        except (CliError, ValueError, FileNotFoundError, FileExistsError, IsADirectoryError, NotADirectoryError,
                PermissionError) as exc:  # (an --out that cannot be written: said before the work, in one line)
            if wants_json:
                _print_json_error(f"tunesmith {args.verb}", str(exc))
            else:
                print(f"tunesmith {args.verb}: error: {one_line(exc)}", file=sys.stderr)
            return EXIT_USAGE
        except KeyboardInterrupt as exc:
            kept = [files.get("json") for files in getattr(exc, "kept_takes", None) or []]
            said = f"; {len(kept)} whole take(s) written before it are kept: " + ", ".join(
                one_line(str(Path(p).with_suffix(".*"))) for p in kept if p) if kept else ""  # fmt: skip
            print(f"tunesmith {args.verb}: interrupted{said}", file=sys.stderr)
            return EXIT_INTERRUPTED
        except BrokenPipeError:
            raise  # handled below: quiet
        except Exception as exc:  # noqa: BLE001 - MemoryError, RecursionError, a library's error: one line
            detail = str(exc).splitlines()[0] if str(exc) else ""
            message = f"{type(exc).__name__}{': ' + detail[:300] if detail else ''}"
            if wants_json:
                _print_json_error(f"tunesmith {args.verb}", message)
            else:
                print(f"tunesmith {args.verb}: error: {one_line(message)}", file=sys.stderr)
            return EXIT_USAGE
    except BrokenPipeError:
        # `tunesmith corpus list --json | head`: the reader left; say nothing more
        import os

        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_BROKEN_PIPE
    finally:
        _Parser.json_errors = False


if __name__ == "__main__":
    sys.exit(main())
