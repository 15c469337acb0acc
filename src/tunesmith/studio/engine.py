"""The studio's music work over the public API (`tunesmith.api`): compose, read an upload,
inpaint / continue / harmonize a take into alternatives, render score and audio, export with
provenance, rate into the ratings store, ask the copy guard. The HTTP layer (`app.py`) only
validates and routes; everything here is usable from Python too.

Files: a take's renderings live in `$TUNESMITH_HOME/studio/takes/<take id>/take.{mid,musicxml,json,
svg,wav}`, made on first use and never changed afterwards (a take never changes). Take ids are
made here (`t-` + 16 hex digits); no name a client sent is ever part of a path.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import threading
from pathlib import Path
from typing import Any

from tunesmith.outputs.bundle import take_number
from tunesmith.remarks import take_remarks
from tunesmith.score import Piece
from tunesmith.studio.store import Conflict, NotFound, Store, new_id

TAKE_ID = re.compile(r"^t-[0-9a-f]{16}$")
PIECE_ID = re.compile(r"^p-[0-9a-f]{16}$")
ALT_ID = re.compile(r"^a-[0-9a-f]{16}$")
# a title compose gave (`sampling.decode.take_title`, or the former "tunesmith folk take 1"), not the musician's
AUTO_TAKE_TITLE = re.compile(r"^(tunesmith \w+ take \d+|.+ \(tunesmith, seed -?\d+(, take \d+)?\))$")
UPLOAD_SUFFIXES = {".mid": ".mid", ".midi": ".mid", ".musicxml": ".musicxml", ".xml": ".musicxml", ".mxl": ".mxl",
                   ".abc": ".abc", ".krn": ".krn"}  # fmt: skip
EXPORTS = {"mid": "audio/midi", "musicxml": "application/vnd.recordare.musicxml+xml", "wav": "audio/wav",
           "json": "application/json", "svg": "image/svg+xml"}  # fmt: skip
MAX_ALTERNATIVES = 8  # per request: each one is a full generation
# where the judgements also go, as the rate / prefer verbs name it (not the machine path of TUNESMITH_HOME)
RATINGS_STORE_NAME = "TUNESMITH_HOME/ratings.db"

# The sliders the page shows, each mapped to a real control of the composer (value passed as is).
SLIDERS = [
    {"control": "temperature", "label": "conventional \u2194 surprising", "min": 0.5, "max": 1.5, "step": 0.05,
     "default": None, "fallback": 1.0, "applies_to": ["compose", "inpaint", "continue", "harmonize"],
     "help": "sampling temperature: lower keeps to the model's most likely notes, higher takes rarer ones"},
    {"control": "top_p", "label": "focused \u2194 adventurous", "min": 0.7, "max": 1.0, "step": 0.01,
     "default": None, "fallback": 0.95, "applies_to": ["compose", "inpaint", "continue", "harmonize"],
     "help": "nucleus sampling: the share of probability mass the next token is drawn from"},
    {"control": "rest_penalty", "label": "sparse \u2194 busy", "min": 0.0, "max": 4.0, "step": 0.25,
     "default": 2.0, "fallback": 2.0, "applies_to": ["compose"],
     "help": "penalty on ending a bar early with a rest: 0 lets the model leave rests, higher fills bars"},
]  # fmt: skip


class Engine:
    def __init__(self, home: str | os.PathLike, model: str = "default"):
        self.home = Path(home)
        self.root = self.home / "studio"
        self.files = self.root / "takes"
        self.incoming = self.root / "incoming"
        self.store = Store(self.root / "studio.db")
        self.incoming.mkdir(parents=True, exist_ok=True)
        for stale in self.incoming.iterdir():  # uploads a killed server was reading
            stale.unlink(missing_ok=True)
        self.model_name = model
        self._model = None
        self._render_locks: dict[str, threading.Lock] = {}
        self._render_guard = threading.Lock()
        self._ratings = threading.Lock()
        self._index = None
        self._index_error: str | None = None

    def close(self) -> None:
        self.store.close()

    # ------------------------------------------------------------------ model
    @property
    def model(self):
        if self._model is None:
            from tunesmith.api import load_model

            self._model = load_model(self.model_name)
        return self._model

    def info(self) -> dict:
        from tunesmith import __version__, limits
        from tunesmith.api import STYLE_DEFAULTS
        from tunesmith.score import MODES, STYLES
        from tunesmith.tokenizer import METERS

        decoding = getattr(self.model.model, "decoding", None) or {}
        return {
            "tunesmith": __version__,
            "model": self.model.record(),
            "styles": list(STYLES),
            "style_defaults": STYLE_DEFAULTS,
            "decoding_defaults": decoding,
            "meters": list(METERS),
            "modes": list(MODES),
            "sliders": SLIDERS,
            "keepable": ["melody", "chords", "soprano", "alto", "tenor", "bass"],
            "limits": {"upload_bytes": int(limits.limit("MAX_COCREATE_FILE_BYTES")), "upload_files_per_request": 1,
                       "alternatives": MAX_ALTERNATIVES, "upload_suffixes": sorted(UPLOAD_SUFFIXES)},  # fmt: skip
            "copy_guard": self.guard_available(),
            "ratings_store": _ratings_available(),
            "exports": list(EXPORTS),
        }

    # ------------------------------------------------------------------ reading the store
    def piece_of(self, tid: str) -> Piece:
        return Piece.from_dict(json.loads(self.store.take_row(tid)["music"]))

    def take_json(self, tid: str, *, notes: bool = True) -> dict:
        row = self.store.take_row(tid)
        piece = Piece.from_dict(json.loads(row["music"]))
        prov = json.loads(row["provenance"] or "null") or {}
        out = {
            "id": tid,
            "piece": row["piece"],
            "parent": row["parent"],
            "action": row["action"],
            "alternatives": row["alternatives"],
            "seed": row["seed"],
            # which of the takes drawn together from that seed (the CLI's --seed S --n N makes it again)
            "take_number": take_number(prov),
            "created": row["created"],
            "request": json.loads(row["request"] or "null"),
            "model": prov.get("model"),
            # what the CLI would say about it: chords against the key, chords replaced, a reprise
            "remarks": take_remarks(prov),
            "summary": summary(piece),
            "bars": timeline(piece),
            "loop": bool(piece.meta.get("loop")),  # composed to be played round and round: the player loops it
            "judgements": self.store.judgements_of(tid),
            "copy_guard": self.store.guard_of(tid),
            "links": {"score": f"/api/takes/{tid}/score.svg", "audio": f"/api/takes/{tid}/audio.wav",
                      **{f"export_{k}": f"/api/takes/{tid}/export/{k}" for k in EXPORTS}},  # fmt: skip
        }
        if notes:
            out["tracks"] = [{"name": t.name, "role": t.role,
                              "notes": [[n.pitch, round(n.onset, 6), round(n.duration, 6)] for n in t.notes]}
                             for t in piece.tracks]  # fmt: skip
            out["chords"] = [[round(c.onset, 6), c.figure] for c in piece.chords]
        return out

    def piece_json(self, pid: str) -> dict:
        row = self.store.piece_row(pid)
        hist = self.store.history(pid)
        current = hist[row["cursor"]]["take"]
        alts = []
        for a in self.store.alternatives_of(pid, "open"):
            alts.append(self.alternatives_json(a["id"]))
        return {
            "id": pid,
            "title": row["title"],
            "created": row["created"],
            "forked_from": row["forked_from"],
            "cursor": row["cursor"],
            "current": self.take_json(current),
            "history": [{"seq": h["seq"], "take": h["take"], "action": h["action"], "created": h["created"],
                         "current": h["seq"] == row["cursor"]} for h in hist],  # fmt: skip
            "can_undo": row["cursor"] > 0,
            "can_redo": row["cursor"] < len(hist) - 1,
            "open_alternatives": alts,
            # a fork's history holds takes of the piece it came from: they count as this piece's too
            "takes": len({r["id"] for r in self.store.takes_of(pid)} | {h["take"] for h in hist}),
        }

    def pieces_json(self) -> list[dict]:
        out = []
        for r in self.store.pieces():
            hist = self.store.history(r["id"])
            out.append({"id": r["id"], "title": r["title"], "created": r["created"], "forked_from": r["forked_from"],
                        "cursor": r["cursor"], "history": len(hist), "current": hist[r["cursor"]]["take"]})  # fmt: skip
        return out

    def alternatives_json(self, aid: str) -> dict:
        a = self.store.alternatives_row(aid)
        return {"id": aid, "piece": a["piece"], "base": a["base"], "action": a["action"], "status": a["status"],
                "kept": a["kept"], "created": a["created"], "request": json.loads(a["request"] or "null"),
                "takes": [self.take_json(t) for t in self.store.alternative_takes(aid)]}  # fmt: skip

    # ------------------------------------------------------------------ making music
    def _record(self, take, action: str, parent: str | None) -> dict:
        prov = dict(take.provenance)
        prov["studio"] = {"action": action, "parent": parent}
        return {"action": action, "parent": parent, "request": prov.get("request"), "provenance": prov,
                "music": take.piece.to_dict(), "seed": take.seed}  # fmt: skip

    def compose(self, controls: dict, title: str | None = None) -> str:
        """A new piece from the compose controls; returns its id."""
        from tunesmith.api import compose

        take = compose(**controls, n=1, model=self.model)  # the API generates one take at a time per model
        title = title or named_for(take.piece, controls.get("style") or "folk")
        return self.store.create_piece(title, self._record(take, "compose", None), "compose")

    def upload(self, data: bytes, suffix: str, name: str, style: str | None = None, title: str | None = None) -> str:
        """A new piece from an uploaded file (MIDI, MusicXML, ABC, kern), read through tunesmith's
        readers and limits. The bytes go to a file named by the studio, never by `name`."""
        from tunesmith.api import Take, read, style_of

        ext = UPLOAD_SUFFIXES.get(suffix.lower())
        if ext is None:
            raise ValueError(f"{name}: not a file tunesmith reads; upload one of {', '.join(sorted(UPLOAD_SUFFIXES))}")
        style = style_of(style) if style else None
        tmp = self.incoming / f"{new_id('u')}{ext}"
        try:
            tmp.write_bytes(data)
            try:
                piece = read(tmp)
            except (ValueError, OSError) as exc:
                raise ValueError(str(exc).replace(str(tmp), name)) from None
        finally:
            tmp.unlink(missing_ok=True)
        if not piece.tracks or not any(t.notes for t in piece.tracks):
            raise ValueError(f"{name}: no notes in the file")
        if piece.title == tmp.stem:  # a reader's fallback title is the file's name: the musician's, not ours
            piece.title = Path(name).stem
        piece.path = f"upload:{name}"
        if style:
            piece.style = style
        sha = hashlib.sha256(data).hexdigest()
        record = {"name": name, "sha256": sha, "size": len(data), "format": ext.lstrip(".")}
        take = Take(piece, None, {"request": {"command": "upload", **record}, "model": None, "seed": None,
                                  "input_file": record, "training_data": None})  # fmt: skip
        from tunesmith.input_notes import note_repeats_written_out

        note_repeats_written_out([take], piece)  # said at the upload, not only on its first edit
        uid = self.store.add_upload(sha, ext, name, data)
        take.provenance["request"]["upload"] = uid
        return self.store.create_piece(title or piece.title or Path(name).stem or "upload",
                                       self._record(take, "upload", None), "upload")  # fmt: skip

    def alternatives(self, pid: str, action: str, params: dict, *, base: str | None = None) -> dict:
        """N takes for one edit of the piece's current take (or `base`), offered side by side until
        one is kept: action "inpaint" (params: bars, keep, ...), "continue" (bars), "harmonize",
        "compose" (a fresh piece from controls, in this piece's history)."""
        self.store.piece_row(pid)
        base = base or self.store.current_take(pid)
        if self.store.take_row(base)["piece"] != pid and base not in [h["take"] for h in self.store.history(pid)]:
            raise NotFound(f"take {base} is not part of piece {pid}")
        n = int(params.pop("n", 1))
        if not 1 <= n <= MAX_ALTERNATIVES:
            raise ValueError(f"n must be 1..{MAX_ALTERNATIVES} alternatives, got {n}")
        params = {k: v for k, v in params.items() if v is not None}  # None: the API's own default
        piece = self._take_obj(base)  # with its provenance: a take tunesmith made is not the musician's input
        try:
            return self._alternatives(pid, base, piece, action, params, n)
        except ValueError as exc:  # the studio's own names for the piece ("take-3-0: ...") mean nothing to a musician
            message = str(exc)
            for name in (piece.piece.path, piece.piece.piece_id):
                if name and message.startswith(f"{name}: "):
                    message = message[len(name) + 2 :]
            raise ValueError(message) from None

    def _alternatives(self, pid: str, base: str, piece: Any, action: str, params: dict, n: int) -> dict:
        """`piece`: the base take (`tunesmith.api.Take`: its notes and its provenance)."""
        from tunesmith import api

        # the API generates one take at a time per model (its decoder cache): no lock of our own
        if action == "inpaint":
            takes = api.inpaint(piece, n=n, model=self.model, **params)
        elif action == "continue":
            takes = api.continue_(piece, n=n, model=self.model, **params)
        elif action == "harmonize":
            takes = api.harmonize(piece, n=n, model=self.model, **params)
        elif action == "compose":
            takes = api.compose(n=n, model=self.model, **params)
        else:
            raise ValueError(f"unknown action {action!r}")
        takes = takes if isinstance(takes, list) else [takes]
        request = {"action": action, "n": n, **params}
        label = _label(action, params)
        aid, _ = self.store.add_alternatives(pid, base, label, request, [self._record(t, label, base) for t in takes])
        return self.alternatives_json(aid)

    def keep(self, aid: str, tid: str) -> dict:
        a = self.store.alternatives_row(aid)
        ids = self.store.alternative_takes(aid)
        label = a["action"] + (f" (alternative {ids.index(tid) + 1} of {len(ids)})" if tid in ids and len(ids) > 1 else "")
        before = self.store.current_take(a["piece"])
        self.store.keep_alternative(aid, tid, label)
        self._title_follows(a["piece"], before)
        return self.piece_json(a["piece"])

    def move(self, pid: str, step: int) -> dict:
        """Undo (step -1) or redo (+1); the piece's JSON after it."""
        before = self.store.current_take(pid)
        self.store.move(pid, step)
        self._title_follows(pid, before)
        return self.piece_json(pid)

    def _title_follows(self, pid: str, before: str) -> None:
        """A title the studio gave ("folk in D major") follows the current take's style and key: a
        folk tune harmonized as a chorale became "chorale in D major", and undoing it names it
        "folk in D major" again. A title the musician gave, or a file's, is left alone."""
        old = named_for(self.piece_of(before))
        if self.store.piece_row(pid)["title"] == old:
            new = named_for(self.piece_of(self.store.current_take(pid)))
            if new != old:
                self.store.rename_piece(pid, new)

    # ------------------------------------------------------------------ files
    def _take_dir(self, tid: str) -> Path:
        if not TAKE_ID.match(tid):
            raise NotFound(f"no take {tid}")
        return self.files / tid

    def _lock_for(self, tid: str, kind: str) -> threading.Lock:
        with self._render_guard:
            return self._render_locks.setdefault(f"{tid}.{kind}", threading.Lock())

    def _take_obj(self, tid: str):
        from tunesmith.api import Take

        row = self.store.take_row(tid)
        prov = json.loads(row["provenance"] or "null") or {}
        return Take(Piece.from_dict(json.loads(row["music"])), row["seed"], prov)

    def base_files(self, tid: str) -> dict[str, Path]:
        """take.mid, take.musicxml and take.json (provenance embedded), written once."""
        d = self._take_dir(tid)
        paths = {k: d / f"take.{k}" for k in ("mid", "musicxml", "json")}
        if all(p.is_file() for p in paths.values()):
            return paths
        with self._lock_for(tid, "base"):
            if not all(p.is_file() for p in paths.values()):
                from tunesmith.outputs.bundle import write_take

                take = self._take_obj(tid)
                prov = dict(take.provenance)
                prov["studio_take"] = tid
                if AUTO_TAKE_TITLE.match(take.piece.title or ""):
                    # the score is titled as the studio shows its piece ("chorale in D major"), not
                    # "tunesmith folk take 1" after the folk tune was harmonized as a chorale
                    take.piece.title = self.store.piece_row(self.store.take_row(tid)["piece"])["title"]
                write_take(take.piece, d / "take", provenance=prov, render_audio=False, render_svg=False,
                           repeat_signs=False)
        return paths

    def render(self, tid: str, kind: str) -> Path:
        """The take's file of `kind` (mid, musicxml, json, svg, wav), rendered on first use."""
        if kind not in EXPORTS:
            raise NotFound(f"no export {kind!r}; one of {', '.join(EXPORTS)}")
        self.store.take_row(tid)  # 404 before any file work
        base = self.base_files(tid)
        if kind in base:
            return base[kind]
        path = self._take_dir(tid) / f"take.{kind}"
        if path.is_file():
            return path
        with self._lock_for(tid, kind):
            if not path.is_file():
                from tunesmith.paths import atomic_write_bytes

                if kind == "svg":
                    from tunesmith.outputs.svg import write_svg

                    write_svg(base["musicxml"], path)
                else:
                    from tunesmith.outputs.bundle import performance_wav
                    from tunesmith.rights.provenance import wav_with_provenance

                    record = json.loads(base["json"].read_text(encoding="utf-8"))
                    wav = performance_wav(self.piece_of(tid))
                    wav = wav_with_provenance(wav, record, comment=f"studio take {tid}", software="tunesmith studio")
                    atomic_write_bytes(path, wav)
        return path

    def export_name(self, tid: str, kind: str) -> str:
        row = self.store.take_row(tid)
        title = self.store.piece_row(row["piece"])["title"]
        stem = re.sub(r"[^A-Za-z0-9]+", "-", title).strip("-")[:48] or "take"
        return f"{stem}-{tid[2:10]}.{kind}"

    # ------------------------------------------------------------------ judgements
    def rate(self, tid: str, stars: int, rater: str) -> dict:
        self.store.take_row(tid)
        out = {"take": tid, "stars": stars, "rater": rater, "ratings_store": None}
        if _ratings_available():
            from tunesmith.ratings import RatingsStore

            files = self.base_files(tid)
            with self._ratings, RatingsStore(self.home / "ratings.db") as rs:
                out["ratings_take_id"], out["replaced_stars"] = rs.rate_replacing(files["json"], stars, rater=rater)
            out["ratings_store"] = RATINGS_STORE_NAME
        self.store.add_judgement("stars", rater, tid, stars=stars)
        return out

    def prefer(self, preferred: str, other: str, rater: str) -> dict:
        if preferred == other:
            raise ValueError("a preference needs two different takes")
        self.store.take_row(preferred)
        self.store.take_row(other)
        out = {"preferred": preferred, "other": other, "rater": rater, "ratings_store": None}
        if _ratings_available():
            from tunesmith.ratings import RatingsStore

            a, b = self.base_files(preferred), self.base_files(other)
            with self._ratings, RatingsStore(self.home / "ratings.db") as rs:
                out["ratings_take_ids"] = list(rs.prefer(a["json"], b["json"], rater=rater))
            out["ratings_store"] = RATINGS_STORE_NAME
        self.store.add_judgement("prefer", rater, preferred, other=other)
        return out

    # ------------------------------------------------------------------ copy guard
    def guard_available(self) -> dict:
        try:
            import tunesmith.rights  # noqa: F401
        except ImportError as exc:
            return {"available": False, "reason": f"the copy guard is not installed ({exc})"}
        if self._index_error:
            return {"available": False, "reason": self._index_error}
        return {"available": True}

    def guard(self, tid: str) -> dict:
        cached = self.store.guard_of(tid)
        if cached is not None:
            return cached
        row = self.store.take_row(tid)
        status = self.guard_available()
        if not status["available"]:
            return status
        from tunesmith.rights import check_piece, resolve_index
        from tunesmith.rights.features import given_notes

        if self._index is None:
            try:
                self._index = resolve_index("model")
            except (FileNotFoundError, ValueError) as exc:
                self._index_error = f"no similarity index: {exc}"
                return {"available": False, "reason": self._index_error}
        given: set = set()
        cur: str | None = tid
        while cur:  # the musician's own notes (an uploaded piece up the lineage) never count
            r = self.store.take_row(cur)
            if r["action"] == "upload":
                given = given_notes(Piece.from_dict(json.loads(r["music"])))
                break
            cur = r["parent"]
        piece = Piece.from_dict(json.loads(row["music"]))
        result = check_piece(piece, self._index, given=given or None).to_dict()
        result["available"] = True
        # say how much was the musician's: "clear" of their own upload only means it was not checked
        notes = given_notes(piece)
        result["musicians_notes"] = len(notes & given)
        result["generated_notes"] = len(notes - given)
        self.store.set_guard(tid, result)
        return result


# ---------------------------------------------------------------------- helpers
def _ratings_available() -> bool:
    try:
        import tunesmith.ratings  # noqa: F401
    except ImportError:
        return False
    return True


def _label(action: str, params: dict) -> str:
    if action == "inpaint":
        keep = params.get("keep")
        return f"regenerate bars {params.get('bars')}" + (f" keeping {', '.join(keep)}" if keep else "")
    if action == "continue":
        return f"continue {params.get('bars')} bars"
    if action == "harmonize":
        return f"harmonize ({params.get('style') or 'its style'})"
    return f"compose {params.get('style', '')}".strip()


def named_for(piece: Piece, style: str = "") -> str:
    """The title the studio gives a piece it composed: its style and key ("folk in D major")."""
    style = piece.style or style or "piece"
    key = piece.key
    return f"{style} in {key.tonic} {key.mode}" if key else style


def summary(piece: Piece) -> dict:
    key = piece.key
    return {"title": piece.title, "style": piece.style, "key": f"{key.tonic} {key.mode}" if key else None,
            "meter": str(piece.time_signature), "tempo_qpm": round(piece.tempo, 3), "n_bars": piece.n_bars,
            "pickup_beats": round(piece.pickup_beats(), 6),  # n_bars counts a pickup as bar 0
            "n_notes": piece.n_notes, "n_chords": len(piece.chords),
            "tracks": [{"name": t.name, "role": t.role, "n_notes": len(t.notes)} for t in piece.tracks]}  # fmt: skip


def seconds_of(piece: Piece):
    """beats -> seconds along the piece's tempo map."""
    tempos = sorted(piece.tempos, key=lambda t: t.onset)
    points = [(0.0, tempos[0].qpm if tempos else 120.0)] + [(t.onset, t.qpm) for t in tempos[1:]]

    def f(beat: float) -> float:
        sec, (at, qpm) = 0.0, points[0]
        for onset, q in points[1:]:
            if onset >= beat:
                break
            sec += (onset - at) * 60.0 / qpm
            at, qpm = onset, q
        return sec + (beat - at) * 60.0 / qpm

    return f


def timeline(piece: Piece) -> list[dict]:
    """The bars as the musician numbers them (1-based; a pickup is bar 0), in beats and seconds of
    the take's audio: what the page highlights while it plays and what `bars` refers to."""
    starts = list(piece.bars())
    if starts and starts[0] > 1e-6:
        starts = [0.0, *starts]
    bar_len = piece.time_signature.bar_length
    pickup = len(starts) >= 2 and 1e-6 < starts[1] - starts[0] < bar_len - 1e-6
    end = piece.duration() if piece.duration() > starts[-1] + 1e-6 else starts[-1] + bar_len
    sec = seconds_of(piece)
    out = []
    for i, s in enumerate(starts):
        e = starts[i + 1] if i + 1 < len(starts) else max(end, s + 1e-6)
        out.append({"number": i if pickup else i + 1, "start_beat": round(s, 6), "end_beat": round(e, 6),
                    "start_s": round(sec(s), 4), "end_s": round(sec(e), 4)})  # fmt: skip
    return out


def notes_outside(piece: Piece, first: float, last: float) -> list[tuple]:
    """(track, pitch, onset, duration) of the notes outside beats [first, last): for checking that an
    inpaint kept everything outside the selection."""
    return sorted((t.role, n.pitch, round(n.onset, 6), round(n.duration, 6)) for t in piece.tracks for n in t.notes
                  if not first - 1e-6 <= n.onset < last - 1e-6)  # fmt: skip


__all__ = ["Conflict", "Engine", "NotFound", "notes_outside", "summary", "timeline"]
