"""`tunesmith studio`: a local web app where a musician composes, uploads, selects bars and voices,
regenerates only them into alternatives to audition and keep, continues, harmonizes, rates and
exports, with every take kept in a history (undo, redo, fork) that survives restarts.

    from tunesmith.studio import Engine, create_app, serve
    serve(port=8765)                        # prints http://127.0.0.1:8765/?token=...

State: SQLite at `$TUNESMITH_HOME/studio/studio.db` (store.py); take files under
`$TUNESMITH_HOME/studio/takes/`; ratings go to `$TUNESMITH_HOME/ratings.db` (tunesmith.ratings).
The HTTP API (app.py) is documented by the OpenAPI schema at /api/openapi.json.
Needs fastapi, uvicorn and python-multipart (in tunesmith's dependencies).
"""

from __future__ import annotations

import os
import secrets
import socket
import sys
from pathlib import Path

from tunesmith.studio.engine import Engine

__all__ = ["DEFAULT_PORT", "Engine", "create_app", "make_socket", "serve"]

DEFAULT_PORT = 8765


def create_app(home: str | os.PathLike | Engine | None = None, *, token: str | None = None,
               allowed_hosts: list[str] | tuple[str, ...] = (), model: str = "default"):  # fmt: skip
    """The studio's ASGI app over the state in `home` (default `$TUNESMITH_HOME`)."""
    from tunesmith.studio.app import create_app as _create

    if isinstance(home, Engine):
        engine = home
    else:
        from tunesmith.paths import home as default_home

        engine = Engine(Path(home) if home is not None else default_home(), model=model)
    return _create(engine, token=token, allowed_hosts=allowed_hosts)


def make_socket(host: str, port: int) -> socket.socket:
    """A listening socket on (host, port); port 0 takes a free one. Refuses a port in use."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # restart on the same port at once (as uvicorn)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise ValueError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


def url_of(host: str, port: int, token: str) -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/?token={token}"


def serve(*, host: str = "127.0.0.1", port: int = DEFAULT_PORT, token: str | None = None,
          home: str | os.PathLike | None = None, model: str = "default", allowed_hosts: list[str] | tuple[str, ...] = (),
          open_browser: bool = False, log_level: str = "warning") -> None:  # fmt: skip
    """Run the studio until interrupted; prints its address (with the token) first."""
    import uvicorn

    token = token or os.environ.get("TUNESMITH_STUDIO_TOKEN") or secrets.token_urlsafe(32)
    hosts = list(allowed_hosts)
    if host not in ("127.0.0.1", "localhost", "::1", "0.0.0.0", "::"):
        hosts.append(host)
    app = create_app(home, token=token, allowed_hosts=hosts, model=model)
    engine = app.state.engine
    engine.model  # load it before the first request  # noqa: B018
    sock = make_socket(host, port)
    actual = sock.getsockname()[1]
    url = url_of("127.0.0.1" if host in ("0.0.0.0", "::") else host, actual, token)
    print(f"tunesmith studio: {url}", flush=True)
    print(f"  state: {engine.root}  (Ctrl+C stops the server; everything is kept)", flush=True)
    if host not in ("127.0.0.1", "localhost", "::1"):
        print(f"  warning: listening on {host}, not only this machine; the token is the only key", file=sys.stderr, flush=True)
    if open_browser:
        import threading
        import webbrowser

        threading.Timer(0.5, webbrowser.open, args=(url,)).start()
    config = uvicorn.Config(app, log_level=log_level, access_log=False, lifespan="off", proxy_headers=False,
                            server_header=False, timeout_graceful_shutdown=5)  # fmt: skip
    server = uvicorn.Server(config)
    try:
        server.run(sockets=[sock])
    finally:
        sock.close()
        engine.close()
