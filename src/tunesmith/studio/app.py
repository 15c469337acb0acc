"""The studio's HTTP layer: a FastAPI app over `engine.Engine`, behind a guard that works as
Jupyter's does.

Every request must
- name an allowed host in its Host header (127.0.0.1, localhost, ::1 and `allowed_hosts`): a
  DNS-rebinding page never reaches the API (403);
- carry the server's token: `Authorization: token T` (or `Bearer T`), `X-Tunesmith-Token: T`, or
  `?token=T`; GET requests may use the cookie the page gets when opened with ?token= (401);
- come from an allowed Origin when it names one (403), and stay within the body limits: an upload
  at most `limits.MAX_COCREATE_FILE_BYTES` (4 MiB) and one file, any other body 256 KiB (413).
Errors are JSON: `{"error": "one line", "status": 4xx}`. The OpenAPI schema is at
/api/openapi.json; no page or asset comes from the internet.
"""

from __future__ import annotations

import hmac
import json
import math
import re
import secrets
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import parse_qs, urlsplit

from fastapi import Body, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field
from starlette.exceptions import HTTPException

from tunesmith.studio.engine import ALT_ID, EXPORTS, PIECE_ID, TAKE_ID, UPLOAD_SUFFIXES, Engine
from tunesmith.studio.store import Conflict, NotFound

STATIC = Path(__file__).resolve().parent / "static"
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")
MAX_JSON_BODY = 256 * 1024
MULTIPART_OVERHEAD = 64 * 1024
SAFE_METHODS = ("GET", "HEAD")


def mib(n: float) -> str:
    """A size in the binary units the limits are set in and the README says ("4 MiB", "256 KiB"): the
    upload limit of 4 MiB had been said as "4.2 MB" beside the README's "4 MB". Rounded up (to a tenth
    of a MiB, or a KiB below 1 MiB), so that a size over a limit is never said as the limit itself."""
    if n < 1024 * 1024:
        return f"{math.ceil(n / 1024):,} KiB"
    tenths = math.ceil(n * 10 / (1024 * 1024))
    return f"{tenths // 10:,} MiB" if tenths % 10 == 0 else f"{tenths / 10:,.1f} MiB"


def cookie_name(port: int | None) -> str:
    return f"tunesmith-studio-{port or 0}"


# ---------------------------------------------------------------------- the guard
class BodyTooLarge(HTTPException):
    pass


class Guard:
    """ASGI middleware: Host allowlist, token, Origin, body size; security headers on every answer."""

    def __init__(self, app, *, token: str, allowed_hosts: set[str], max_upload: int):
        self.app = app
        self.token = token.encode()
        self.hosts = {h.lower() for h in allowed_hosts}
        self.max_upload = max_upload

    @staticmethod
    def _host_name(value: str) -> str:
        value = value.strip().lower()
        if value.startswith("["):  # [::1]:8888
            return value[1 : value.find("]")] if "]" in value else value
        return value.rsplit(":", 1)[0] if value.count(":") == 1 else value

    def _token_of(self, scope, headers: dict[str, str]) -> tuple[str | None, str]:
        auth = headers.get("authorization", "")
        m = re.match(r"^\s*(token|bearer)\s+(\S+)\s*$", auth, re.I)
        if m:
            return m.group(2), "header"
        if headers.get("x-tunesmith-token"):
            return headers["x-tunesmith-token"].strip(), "header"
        query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        if query.get("token"):
            return query["token"][0], "query"
        if scope["method"] in SAFE_METHODS and "cookie" in headers:
            jar = SimpleCookie()
            try:
                jar.load(headers["cookie"])
            except Exception:  # noqa: BLE001 - a malformed cookie header is no token
                return None, "none"
            morsel = jar.get(cookie_name((scope.get("server") or (None, None))[1]))
            if morsel is not None:
                return morsel.value, "cookie"
        return None, "none"

    async def __call__(self, scope, receive, send):
        if scope["type"] == "lifespan":
            return await self.app(scope, receive, send)
        if scope["type"] != "http":  # no websockets here
            if scope["type"] == "websocket":
                await send({"type": "websocket.close", "code": 1008})
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        host = headers.get("host", "")
        if self._host_name(host) not in self.hosts:
            return await _send_json(send, 403, f"Host {host!r} is not allowed (DNS-rebinding guard); "
                                               f"open the studio at 127.0.0.1 or localhost")  # fmt: skip
        origin = headers.get("origin")
        if origin and origin != "null" and self._host_name(urlsplit(origin).netloc) not in self.hosts:
            return await _send_json(send, 403, f"Origin {origin!r} is not allowed")
        if origin == "null" and scope["method"] not in SAFE_METHODS:
            return await _send_json(send, 403, "Origin 'null' is not allowed")
        token, _ = self._token_of(scope, headers)
        if token is None:
            return await _send_json(send, 401, "no token: open the address `tunesmith studio` printed (it ends in "
                                               "?token=...), or send 'Authorization: token ...'")  # fmt: skip
        if not hmac.compare_digest(token.encode("utf-8", "replace"), self.token):
            return await _send_json(send, 401, "wrong token")
        path = scope.get("path", "")
        upload = path.endswith("/upload")
        cap = self.max_upload + MULTIPART_OVERHEAD if upload else MAX_JSON_BODY
        # an upload's limit as the musician knows it: the file's, not the request's with its multipart overhead
        over = (f"over the limit of {mib(self.max_upload)} a file" if upload
                else f"over the limit of {mib(cap)}")  # fmt: skip
        length = headers.get("content-length")
        if length is not None:
            try:
                declared = int(length)
            except ValueError:
                return await _send_json(send, 400, "bad Content-Length")
            if declared > cap:
                what = "the upload" if upload else "the request"
                return await _send_json(send, 413, f"{what} ({mib(declared)}) is {over}")
        seen = 0

        async def counted_receive():
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > cap:
                    raise BodyTooLarge(413, f"the {'upload' if upload else 'request'} is {over}")
            return message

        html = path in ("/", "/index.html")

        async def secured_send(message):
            if message["type"] == "http.response.start":
                extra = [(b"x-content-type-options", b"nosniff"), (b"x-frame-options", b"DENY"),
                         (b"referrer-policy", b"no-referrer"), (b"cross-origin-resource-policy", b"same-origin")]  # fmt: skip
                if html:
                    extra.append((b"content-security-policy", CSP.encode()))
                if path.startswith("/api/"):
                    extra.append((b"cache-control", b"no-store"))
                message = {**message, "headers": list(message.get("headers", [])) + extra}
            await send(message)

        await self.app(scope, counted_receive, secured_send)


CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
       "media-src 'self' blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
       "form-action 'self'")  # fmt: skip


async def _send_json(send, status: int, message: str) -> None:
    body = json.dumps({"error": message, "status": status}).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                            (b"x-content-type-options", b"nosniff"), (b"cache-control", b"no-store")]})  # fmt: skip
    await send({"type": "http.response.body", "body": body})


# ---------------------------------------------------------------------- request bodies
def _any_case(value: Any) -> Any:
    """A word of a fixed set, read in any case, as the CLI reads it (`--style Folk`, `--cadence Home`):
    {"style": "Folk"} had been refused with 422."""
    return value.strip().lower() if isinstance(value, str) else value


StyleName = Literal["folk", "chorale", "pop", "jazz"]
Style = Annotated[StyleName, BeforeValidator(_any_case)]
Part = Annotated[Literal["melody", "chords", "soprano", "alto", "tenor", "bass"], BeforeValidator(_any_case)]
Cadence = Annotated[Literal["tonic", "home", "free"], BeforeValidator(_any_case)]
# compose may also write a loop (a half close that leads back to bar 1); co-create may not
ComposeCadence = Annotated[Literal["tonic", "home", "free", "loop"], BeforeValidator(_any_case)]
Dance = Annotated[Literal["reel", "jig", "hornpipe", "slip-jig", "waltz", "polka"], BeforeValidator(_any_case)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Sampling(_Strict):
    temperature: float | None = Field(None, ge=0.05, le=3.0, description="'conventional <-> surprising' (None: the model's default)")
    top_p: float | None = Field(None, gt=0.0, le=1.0, description="'focused <-> adventurous' (None: the model's default)")
    seed: int | None = Field(None, ge=0, le=2**32 - 1, description="the same seed and request give the same music")
    pitch_range: str | None = Field(None, max_length=16, description="lowest:highest, e.g. C4:G5")
    in_scale: bool = Field(False, description="only notes of the key's scale")


Texture = Annotated[Literal["chorale", "hymn"], BeforeValidator(_any_case)]
TEXTURE_HELP = ("a chorale's: 'chorale' (Bach's: the lower voices pass between the soprano's notes), 'hymn' (note "
                "against note: they strike only on beats, with the soprano); None: Bach's")
VOICE_RANGES_HELP = ("a chorale's voices' own ranges, for a choir's singers: 'T=C3:E4,B=F2:C4' (S, A, T, B; harmonize "
                     "keeps the soprano as given); None: the textbook ranges")
VoiceRanges = Annotated[str, Field(max_length=80, pattern=r"^[\w\s,=:#+-]*$")]


class ComposeControls(Sampling):
    style: Style = "folk"
    key: str | None = Field(None, max_length=16, description="'D', 'Bb', 'g minor' (default: from chords, else the style's)")
    mode: str | None = Field(None, max_length=12)
    meter: str | None = Field(None, max_length=8, description="'6/8'")
    bars: int | None = Field(None, ge=1, le=64, description="None: the style's length (16 bars; folk and a dance 32: "
                             "two 8-bar strains, each played twice; over chords, the chart once through)")
    tempo: float | None = Field(None, gt=0, le=400, description="beats of the meter per minute")
    chords: str | None = Field(None, max_length=2000, description="one chord symbol per bar, cycling: 'Dm7 G7 Cmaj7'; "
                                  "a bar of two between bar lines: 'Dm7 G7 | Cmaj7'")
    form: str | None = Field(None, max_length=32, description="'AABB', 'AABA', '' (through-composed); None: the style's")
    cadence: ComposeCadence | None = None
    dance: Dance | None = Field(
        None, description="a folk dance: its meter and its tunes' note lengths (folk only; None: none)")
    pickup: float | None = Field(None, ge=0.0, lt=16.0, description="quarter-note beats before the first bar line "
                                 "(0: none; None: drawn as the style's tunes start)")  # fmt: skip
    rest_penalty: float = Field(2.0, ge=0.0, le=8.0, description="'sparse <-> busy'")
    chords_optional: bool = False
    chord_rhythm: Annotated[Literal["bar"], BeforeValidator(_any_case)] | None = Field(
        None, description="'bar': one chord symbol a bar, the harmonizer's (None: as it hears the melody)")
    shortest: Annotated[Literal["eighth", "sixteenth"], BeforeValidator(_any_case)] | None = Field(
        None, description="the shortest note or rest, no triplets (None: any the style writes)")
    texture: Texture | None = Field(None, description=TEXTURE_HELP)
    voice_ranges: VoiceRanges | None = Field(None, description=VOICE_RANGES_HELP)

    def api_kwargs(self) -> dict[str, Any]:
        return self.model_dump()


class NewPiece(ComposeControls):
    title: str | None = Field(None, max_length=120)


class Recompose(ComposeControls):
    n: int = Field(3, ge=1, le=8, description="alternatives to audition")


class Inpaint(Sampling):
    style: Style | None = Field(None, description="the style the bars are written in (None: the piece's own, else folk)")
    bars: str = Field(..., max_length=16, pattern=r"^\s*\d{1,4}\s*(-\s*\d{1,4}\s*)?$", description="'5-8' (1-based; a pickup is bar 0)")
    keep: list[Part] = Field(default_factory=list, description="parts locked inside the bars (voices the musician keeps)")
    n: int = Field(3, ge=1, le=8, description="alternatives to audition")
    take: str | None = Field(None, description="the take to edit (default: the piece's current take)")


class Continue(Sampling):
    style: Style | None = Field(None, description="the style the new bars are written in (None: the piece's own, else folk)")
    bars: int = Field(4, ge=1, le=64)
    n: int = Field(3, ge=1, le=8)
    take: str | None = None
    cadence: Cadence | None = Field(None, description="end as the style's pieces end, mostly on the tonic (tonic), always on the tonic (home) or anywhere (free); None: the style's default")
    reprise: int | None = Field(None, ge=0, le=63, description="begin by restating the piece's first N full bars (A A'; None: the style's default)")
    form: str | None = Field(None, max_length=16, pattern=r"^[A-Za-z ]+$",
                             description="the whole tune's sections, the piece its first A (AABA: A B A follow, each A "
                             "restating it but for its last bar); `bars` then follows from it")  # fmt: skip
    chords: str | None = Field(None, max_length=2000, description="the new bars' chord symbols, one per bar, cycling "
                               "('Dm7 G7 | C': a bar of two between bar lines), "
                               "or 'again' (the piece's own chords once more); None: the model's")


class Harmonize(Sampling):
    style: Style | None = None
    texture: Texture | None = Field(None, description=TEXTURE_HELP)
    voice_ranges: VoiceRanges | None = Field(None, description=VOICE_RANGES_HELP)
    n: int = Field(3, ge=1, le=8)
    take: str | None = None


class Keep(_Strict):
    take: str = Field(..., description="the alternative to keep")


class Rating(_Strict):
    stars: int = Field(..., ge=1, le=5)
    rater: str = Field("studio", min_length=1, max_length=64, pattern=r"^[\w .@+-]+$")


class Preference(_Strict):
    preferred: str
    other: str
    rater: str = Field("studio", min_length=1, max_length=64, pattern=r"^[\w .@+-]+$")


class Fork(_Strict):
    take: str | None = Field(None, description="fork at this take of the history (default: the current one)")
    title: str | None = Field(None, max_length=120)


class Rename(_Strict):
    title: str = Field(..., min_length=1, max_length=120)


# ---------------------------------------------------------------------- the app
def _check(pattern: re.Pattern, value: str, what: str) -> str:
    if not isinstance(value, str) or not pattern.match(value):
        raise NotFound(f"no {what} {value!r}")
    return value


def _clean_title(text: str | None) -> str | None:
    if text is None:
        return None
    text = "".join(ch for ch in text if ch.isprintable()).strip()
    return text[:120] or None


# the CLI's flags in the composer's messages ("--dance jig is a folk dance; compose it with --style
# folk"), named as the page names those controls
CONTROL_WORDS = {"in-scale": "'only notes of the scale'", "pitch-range": "range", "chord-rhythm": "'one chord a bar'"}


def controls_named(message: str) -> str:
    return re.sub(r"(?<![\w-])--([a-z][a-z-]*)", lambda m: CONTROL_WORDS.get(m.group(1), m.group(1)), message)


def upload_name(raw: str | None) -> tuple[str, str]:
    """(display name, suffix) of an upload's file name; ValueError for a name that is a path."""
    if not raw or not raw.strip():
        raise ValueError("the upload has no file name; name it like tune.mid, tune.musicxml or tune.abc")
    name = raw.strip()
    if ("/" in name or "\\" in name or name.startswith(".") or ".." in name or "\x00" in name or ":" in name
            or len(name) > 255 or not name.isprintable()):  # fmt: skip
        raise ValueError(f"file name {name[:80]!r} is a path or hidden file; send a plain name like tune.mid")
    suffix = Path(name).suffix.lower()
    if suffix not in UPLOAD_SUFFIXES:
        raise ValueError(f"{name}: not a file tunesmith reads; upload one of {', '.join(sorted(UPLOAD_SUFFIXES))}")
    return name, suffix


def create_app(engine: Engine, *, token: str | None = None, allowed_hosts: list[str] | tuple[str, ...] = ()):
    """The studio app (an ASGI app: the guard around FastAPI). `app.state.token` holds the token."""
    from tunesmith import __version__, limits

    token = token or secrets.token_urlsafe(32)
    max_upload = int(limits.limit("MAX_COCREATE_FILE_BYTES"))
    api = FastAPI(
        title="tunesmith studio",
        version=__version__,
        description=(
            "The HTTP API of `tunesmith studio`: pieces with a history of takes (undo, redo, fork), compose, "
            "upload, inpaint / continue / harmonize into alternatives to audition and keep, stars and A-vs-B "
            "preferences into the ratings store, the copy guard's verdict, and exports with provenance.\n\n"
            "Every request needs the server's token (`Authorization: token T`, `X-Tunesmith-Token: T` or `?token=T`) "
            "and a local Host header. Errors are JSON: `{\"error\": \"...\", \"status\": 4xx}`."
        ),
        openapi_url="/api/openapi.json",
        docs_url=None,  # Swagger UI and ReDoc load from a CDN; the page works offline
        redoc_url=None,
    )
    api.state.engine = engine
    api.state.token = token

    # ---- errors as JSON
    def err(status: int, message: str, **extra) -> JSONResponse:
        return JSONResponse({"error": message, "status": status, **extra}, status_code=status)

    @api.exception_handler(HTTPException)
    async def _http(request: Request, exc: HTTPException):
        return err(exc.status_code, str(exc.detail))

    @api.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError):
        errors = exc.errors()
        if any(e.get("type") == "json_invalid" for e in errors):
            e = next(e for e in errors if e.get("type") == "json_invalid")
            return err(400, f"malformed JSON: {e.get('ctx', {}).get('error', e.get('msg'))}")
        fields = [{"where": ".".join(str(x) for x in e.get("loc", ()) if x != "body"), "problem": e.get("msg")}
                  for e in errors]  # fmt: skip
        text = "; ".join(f"{f['where'] or 'body'}: {f['problem']}" for f in fields[:5])
        return err(422, text or "invalid request", fields=fields)

    @api.exception_handler(NotFound)
    async def _nf(request: Request, exc: NotFound):
        return err(404, str(exc))  # (stripping quotes had cut the closing one off "no take 't-x'")

    @api.exception_handler(Conflict)
    async def _conflict(request: Request, exc: Conflict):
        return err(409, str(exc))

    @api.exception_handler(ValueError)
    async def _value(request: Request, exc: ValueError):
        return err(400, controls_named(str(exc).splitlines()[0]) if str(exc) else type(exc).__name__)

    @api.exception_handler(FileNotFoundError)
    async def _fnf(request: Request, exc: FileNotFoundError):
        return err(400, str(exc).splitlines()[0] if str(exc) else type(exc).__name__)

    @api.exception_handler(Exception)
    async def _any(request: Request, exc: Exception):
        detail = str(exc).splitlines()[0][:300] if str(exc) else ""
        return err(500, f"internal error: {type(exc).__name__}{': ' + detail if detail else ''}")

    # ---- the page
    @api.get("/", include_in_schema=False)
    def index(request: Request):
        html = (STATIC / "index.html").read_text(encoding="utf-8").replace("{{TOKEN}}", token)
        response = HTMLResponse(html)
        port = (request.scope.get("server") or (None, None))[1]
        response.set_cookie(cookie_name(port), token, httponly=True, samesite="strict", path="/")
        return response

    api.mount("/static", StaticFiles(directory=STATIC), name="static")

    # ---- info
    @api.get("/api/info", tags=["studio"], summary="Version, model, controls, sliders and limits")
    def info() -> dict:
        return engine.info()

    # ---- pieces
    @api.get("/api/pieces", tags=["pieces"], summary="Every piece, newest first")
    def list_pieces() -> list[dict]:
        return engine.pieces_json()

    @api.post("/api/pieces", tags=["pieces"], status_code=201, summary="Compose a new piece from the controls")
    def new_piece(body: NewPiece) -> dict:
        kw = body.model_dump()
        title = _clean_title(kw.pop("title"))
        return engine.piece_json(engine.compose(kw, title))

    @api.post(
        "/api/pieces/upload", tags=["pieces"], status_code=201,
        summary="Start a piece from a MIDI, MusicXML, ABC or kern file (multipart field `file`; optional `style`, `title`)",
        openapi_extra={"requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
            "type": "object", "required": ["file"], "properties": {
                "file": {"type": "string", "format": "binary"}, "style": {"type": "string", "enum": list(StyleName.__args__)},
                "title": {"type": "string", "maxLength": 120}}}}}}},
    )  # fmt: skip
    async def upload(request: Request) -> dict:
        from starlette.concurrency import run_in_threadpool

        ctype = request.headers.get("content-type", "")
        if not ctype.startswith("multipart/form-data"):
            raise ValueError("send the file as multipart/form-data, field 'file'")
        try:
            form = await request.form(max_files=1, max_fields=4, max_part_size=max_upload + 1)
        except HTTPException:
            raise
        except Exception as exc:  # noqa: BLE001 - the multipart parser's own errors: a bad request
            message = str(getattr(exc, "detail", exc)) or type(exc).__name__
            if "files" in message.lower() or "fields" in message.lower():
                raise ValueError(f"one file per upload ({message})") from None
            raise ValueError(f"unreadable upload: {message}") from None
        try:
            files = [v for k, v in form.multi_items() if not isinstance(v, str)]
            if len(files) != 1 or form.get("file") is None or isinstance(form.get("file"), str):
                raise ValueError("send exactly one file, in the multipart field 'file'")
            f = form["file"]
            name, suffix = upload_name(f.filename)
            data = await f.read(max_upload + 1)
            if len(data) > max_upload:
                raise BodyTooLarge(413, f"{name}: {len(data):,}+ bytes is over the upload limit of {mib(max_upload)}")
            if not data:
                raise ValueError(f"{name}: the file is empty")
            style = form.get("style") or None
            if style is not None and _any_case(style) not in StyleName.__args__:
                raise ValueError(f"unknown style {style!r}; one of {', '.join(StyleName.__args__)}")
            style = _any_case(style)
            title = _clean_title(form.get("title"))
        finally:
            await form.close()
        pid = await run_in_threadpool(engine.upload, data, suffix, name, style, title)
        return engine.piece_json(pid)

    @api.get("/api/pieces/{piece_id}", tags=["pieces"], summary="A piece: current take, history, open alternatives")
    def get_piece(piece_id: str) -> dict:
        return engine.piece_json(_check(PIECE_ID, piece_id, "piece"))

    @api.patch("/api/pieces/{piece_id}", tags=["pieces"], summary="Rename a piece")
    def rename(piece_id: str, body: Rename) -> dict:
        engine.store.rename_piece(_check(PIECE_ID, piece_id, "piece"), _clean_title(body.title) or "untitled")
        return engine.piece_json(piece_id)

    @api.get("/api/pieces/{piece_id}/takes", tags=["pieces"], summary="Every take ever made for a piece (kept or not)")
    def piece_takes(piece_id: str) -> list[dict]:
        _check(PIECE_ID, piece_id, "piece")
        engine.store.piece_row(piece_id)
        return [dict(r) for r in engine.store.takes_of(piece_id)]

    @api.post("/api/pieces/{piece_id}/undo", tags=["history"], summary="Step back in the history (409: nothing to undo)")
    def undo(piece_id: str) -> dict:
        return engine.move(_check(PIECE_ID, piece_id, "piece"), -1)

    @api.post("/api/pieces/{piece_id}/redo", tags=["history"], summary="Step forward again (409: nothing to redo)")
    def redo(piece_id: str) -> dict:
        return engine.move(_check(PIECE_ID, piece_id, "piece"), +1)

    @api.post("/api/pieces/{piece_id}/fork", tags=["history"], status_code=201,
              summary="A new piece with this one's history up to the current take (or `take`)")  # fmt: skip
    def fork(piece_id: str, body: Annotated[Fork | None, Body()] = None) -> dict:
        body = body or Fork()
        row = engine.store.piece_row(_check(PIECE_ID, piece_id, "piece"))
        title = _clean_title(body.title) or f"{row['title']} (fork)"
        return engine.piece_json(engine.store.fork_piece(piece_id, title, body.take))

    # ---- alternatives
    def _alts(piece_id: str, action: str, params: dict) -> dict:
        _check(PIECE_ID, piece_id, "piece")
        base = params.pop("take", None)
        if base is not None:
            _check(TAKE_ID, base, "take")
        return engine.alternatives(piece_id, action, params, base=base)

    @api.post("/api/pieces/{piece_id}/inpaint", tags=["alternatives"], status_code=201,
              summary="Regenerate only the selected bars (and unlocked voices): N alternatives; all else kept note for note")  # fmt: skip
    def inpaint(piece_id: str, body: Inpaint) -> dict:
        params = body.model_dump()
        params["bars"] = params["bars"].replace(" ", "")
        params["keep"] = params["keep"] or None
        return _alts(piece_id, "inpaint", params)

    @api.post("/api/pieces/{piece_id}/continue", tags=["alternatives"], status_code=201,
              summary="N alternatives that continue the current take by `bars` bars")  # fmt: skip
    def continue_(piece_id: str, body: Continue) -> dict:
        params = body.model_dump()
        if params.get("form"):  # the form decides the new bars (`bars` is the field's default 4 or the musician's)
            params["bars"] = None if "bars" not in body.model_fields_set else params["bars"]
        return _alts(piece_id, "continue", params)

    @api.post("/api/pieces/{piece_id}/harmonize", tags=["alternatives"], status_code=201,
              summary="N harmonizations of the current take's melody (chords, or SATB for chorale)")  # fmt: skip
    def harmonize(piece_id: str, body: Harmonize) -> dict:
        return _alts(piece_id, "harmonize", body.model_dump())

    @api.post("/api/pieces/{piece_id}/compose", tags=["alternatives"], status_code=201,
              summary="N freshly composed alternatives from the controls, to replace the piece's current take")  # fmt: skip
    def recompose(piece_id: str, body: Recompose) -> dict:
        params = body.model_dump()
        return _alts(piece_id, "compose", params)

    @api.get("/api/alternatives/{alt_id}", tags=["alternatives"], summary="An alternatives set and its takes")
    def get_alternatives(alt_id: str) -> dict:
        return engine.alternatives_json(_check(ALT_ID, alt_id, "alternatives"))

    @api.post("/api/alternatives/{alt_id}/keep", tags=["alternatives"],
              summary="Keep one alternative: it becomes the piece's current take (undo brings the old one back)")  # fmt: skip
    def keep(alt_id: str, body: Keep) -> dict:
        return engine.keep(_check(ALT_ID, alt_id, "alternatives"), _check(TAKE_ID, body.take, "take"))

    @api.post("/api/alternatives/{alt_id}/discard", tags=["alternatives"], summary="Close the set without keeping any")
    def discard(alt_id: str) -> dict:
        engine.store.discard_alternatives(_check(ALT_ID, alt_id, "alternatives"))
        return engine.alternatives_json(alt_id)

    # ---- takes
    @api.get("/api/takes/{take_id}", tags=["takes"], summary="A take: notes, chords, bars (beats and seconds), provenance")
    def get_take(take_id: str) -> dict:
        return engine.take_json(_check(TAKE_ID, take_id, "take"))

    @api.get("/api/takes/{take_id}/score.svg", tags=["takes"], summary="The engraved score (verovio SVG)",
             response_class=Response, responses={200: {"content": {"image/svg+xml": {}}}})  # fmt: skip
    def score(take_id: str):
        path = engine.render(_check(TAKE_ID, take_id, "take"), "svg")
        return FileResponse(path, media_type="image/svg+xml")

    @api.get("/api/takes/{take_id}/audio.wav", tags=["takes"], summary="The take as the listener hears it (WAV)",
             response_class=Response, responses={200: {"content": {"audio/wav": {}}}})  # fmt: skip
    def audio(take_id: str):
        path = engine.render(_check(TAKE_ID, take_id, "take"), "wav")
        return FileResponse(path, media_type="audio/wav")

    @api.get("/api/takes/{take_id}/export/{kind}", tags=["takes"],
             summary="Download the take (mid, musicxml, wav, json, svg) with its provenance embedded",
             response_class=Response)  # fmt: skip
    def export(take_id: str, kind: str):
        _check(TAKE_ID, take_id, "take")
        if kind not in EXPORTS:
            raise NotFound(f"no export {kind!r}; one of {', '.join(EXPORTS)}")
        path = engine.render(take_id, kind)
        return FileResponse(path, media_type=EXPORTS[kind], filename=engine.export_name(take_id, kind))

    @api.post("/api/takes/{take_id}/rating", tags=["judgements"], status_code=201,
              summary="Stars (1-5) for a take, into the ratings store the reward model trains from")  # fmt: skip
    def rate(take_id: str, body: Rating) -> dict:
        return engine.rate(_check(TAKE_ID, take_id, "take"), body.stars, body.rater)

    @api.post("/api/preferences", tags=["judgements"], status_code=201,
              summary="A vs B: `preferred` is better than `other` (into the ratings store)")  # fmt: skip
    def prefer(body: Preference) -> dict:
        return engine.prefer(_check(TAKE_ID, body.preferred, "take"), _check(TAKE_ID, body.other, "take"), body.rater)

    @api.get("/api/takes/{take_id}/copy-guard", tags=["takes"],
             summary="The copy guard's verdict (clear / close / copy) and nearest sources, when the guard is installed")  # fmt: skip
    def copy_guard(take_id: str) -> dict:
        return engine.guard(_check(TAKE_ID, take_id, "take"))

    hosts = set(LOCAL_HOSTS) | {h.strip().lower() for h in allowed_hosts if h.strip()}
    app = Guard(api, token=token, allowed_hosts=hosts, max_upload=max_upload)
    app.state = api.state  # type: ignore[attr-defined]
    app.fastapi = api  # type: ignore[attr-defined]
    return app
