"""`tunesmith studio`: the local web app (compose, audition, keep, rate, export in the browser)."""

from __future__ import annotations

import argparse

HELP = "start the studio: a local web app to compose, regenerate bars, audition, keep, rate and export"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1",
                        help="address to listen on (default 127.0.0.1: this machine only)")  # fmt: skip
    parser.add_argument("--port", type=int, default=8765, help="port (default 8765; 0 takes a free one)")
    parser.add_argument("--token", default=None,
                        help="the access token (default: $TUNESMITH_STUDIO_TOKEN, else a new random one)")  # fmt: skip
    parser.add_argument("--allow-host", action="append", default=[], metavar="NAME",
                        help="also accept this Host header (127.0.0.1, localhost and ::1 always are); repeatable")  # fmt: skip
    parser.add_argument("--model", default="default", help="the model composing (default: the shipped one)")
    parser.add_argument("--open", action="store_true", help="open the address in a web browser")
    parser.add_argument("--log-level", default="warning", choices=["critical", "error", "warning", "info", "debug"])


def run(args: argparse.Namespace) -> int:
    try:
        import fastapi  # noqa: F401
        import python_multipart  # noqa: F401
        import uvicorn  # noqa: F401
    except ImportError as exc:
        raise ValueError(f"the studio needs fastapi, uvicorn and python-multipart ({exc}); pip install tunesmith again") from None
    if not 0 <= args.port <= 65535:
        raise ValueError(f"--port {args.port}: use 0..65535")
    if args.token is not None and len(args.token) < 16:
        raise ValueError("--token must be at least 16 characters")
    import contextlib

    from tunesmith.studio import serve

    with contextlib.suppress(KeyboardInterrupt):  # Ctrl+C: a normal stop; every take is already committed
        serve(host=args.host, port=args.port, token=args.token, model=args.model, allowed_hosts=args.allow_host,
              open_browser=args.open, log_level=args.log_level)  # fmt: skip
    return 0
