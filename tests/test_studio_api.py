"""`tunesmith studio`'s HTTP API: the flows a musician's page drives (compose, upload, inpaint into
alternatives, keep, undo/redo/fork, continue, harmonize, rate, prefer, export, copy guard), the
security refusals (each with its status and no trace in the store), restart persistence, and a
bounded load test against a live server on 127.0.0.1 that is then killed and restarted."""

from __future__ import annotations

import concurrent.futures as cf
import io
import json
import random
import sqlite3
import statistics
import time
import wave
from pathlib import Path

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("python_multipart")

from fastapi.testclient import TestClient  # noqa: E402

from tunesmith.studio import create_app  # noqa: E402
from tunesmith.studio.engine import notes_outside  # noqa: E402

TOKEN = "test-token-0123456789abcdef"
AUTH = {"Authorization": f"token {TOKEN}"}
ABC = "X:1\nT:Studio test tune\nM:4/4\nL:1/8\nK:G\nGABc d2B2|c2A2 B2G2|GABc d2B2|A2F2 G4|]\n"


def client_for(home) -> TestClient:
    app = create_app(home, token=TOKEN)
    c = TestClient(app, base_url="http://127.0.0.1:8765", raise_server_exceptions=False)
    c.engine = app.state.engine
    return c


@pytest.fixture()
def studio(tmp_path, monkeypatch):
    monkeypatch.setenv("TUNESMITH_HOME", str(tmp_path))
    c = client_for(tmp_path)
    yield c
    c.engine.close()


def ok(r, status=200):
    assert r.status_code == status, r.text
    return r.json()


def compose(c, **kw):
    body = {"style": "folk", "bars": 8, "seed": 3, "pickup": 0} | kw  # whole bars from the downbeat (the flows count bars)
    return ok(c.post("/api/pieces", json=body, headers=AUTH), 201)


def beats_of(take, first, last):
    bars = {b["number"]: b for b in take["bars"]}
    return bars[first]["start_beat"], bars[last]["end_beat"]


def outside(take, first_beat, last_beat):
    from tunesmith.score import Note, Piece, Track

    piece = Piece("x", "x", tracks=[Track(t["name"], t["role"], notes=[Note(p, o, d) for p, o, d in t["notes"]])
                                    for t in take["tracks"]])  # fmt: skip
    return notes_outside(piece, first_beat, last_beat)


def store_counts(c) -> dict:
    store = c.engine.store
    return {t: store.count(t) for t in ("pieces", "takes", "history", "alternatives", "uploads", "judgements", "events")}


# ---------------------------------------------------------------------- flows
def test_compose_inpaint_keep_undo_redo_fork(studio):
    c = studio
    piece = compose(c)
    pid, original = piece["id"], piece["current"]
    assert piece["history"][0]["action"] == "compose" and original["summary"]["n_bars"] == 8
    assert [b["number"] for b in original["bars"]] == list(range(1, 9))
    assert original["bars"][1]["start_s"] > 0

    alts = ok(c.post(f"/api/pieces/{pid}/inpaint", json={"bars": "5-8", "n": 3, "seed": 11}, headers=AUTH), 201)
    assert alts["status"] == "open" and len(alts["takes"]) == 3
    assert [t["take_number"] for t in alts["takes"]] == [1, 2, 3] and len({t["seed"] for t in alts["takes"]}) == 1
    lo, hi = beats_of(original, 5, 8)
    kept_outside = outside(original, lo, hi)
    for t in alts["takes"]:  # the rest untouched, note for note
        assert outside(t, lo, hi) == kept_outside
        assert t["parent"] == original["id"] and t["alternatives"] == alts["id"]
    assert ok(c.get(f"/api/pieces/{pid}", headers=AUTH))["open_alternatives"][0]["id"] == alts["id"]

    chosen = alts["takes"][1]["id"]
    after = ok(c.post(f"/api/alternatives/{alts['id']}/keep", json={"take": chosen}, headers=AUTH))
    assert after["current"]["id"] == chosen and after["cursor"] == 1 and after["open_alternatives"] == []
    assert "alternative 2 of 3" in after["history"][1]["action"]
    r = c.post(f"/api/alternatives/{alts['id']}/keep", json={"take": alts["takes"][0]["id"]}, headers=AUTH)
    assert r.status_code == 409  # a set is kept once

    undone = ok(c.post(f"/api/pieces/{pid}/undo", headers=AUTH))
    assert undone["current"]["id"] == original["id"] and undone["can_redo"]
    assert c.post(f"/api/pieces/{pid}/undo", headers=AUTH).status_code == 409
    assert ok(c.post(f"/api/pieces/{pid}/redo", headers=AUTH))["current"]["id"] == chosen
    assert c.post(f"/api/pieces/{pid}/redo", headers=AUTH).status_code == 409

    fork = ok(c.post(f"/api/pieces/{pid}/fork", json={"take": original["id"]}, headers=AUTH), 201)
    assert fork["id"] != pid and fork["forked_from"] == pid and fork["current"]["id"] == original["id"]
    assert [h["take"] for h in fork["history"]] == [original["id"]]
    assert fork["takes"] == 1  # its history's take, stored under the piece it came from

    # a new edit after an undo drops the redo entry from the stack, never the take itself
    ok(c.post(f"/api/pieces/{pid}/undo", headers=AUTH))
    alts2 = ok(c.post(f"/api/pieces/{pid}/inpaint", json={"bars": "1-2", "n": 1, "seed": 5, "keep": ["chords"]},
                      headers=AUTH), 201)  # fmt: skip
    after2 = ok(c.post(f"/api/alternatives/{alts2['id']}/keep", json={"take": alts2["takes"][0]["id"]}, headers=AUTH))
    assert [h["take"] for h in after2["history"]] == [original["id"], alts2["takes"][0]["id"]]
    every = {t["id"] for t in ok(c.get(f"/api/pieces/{pid}/takes", headers=AUTH))}
    assert chosen in every and len(every) == 5
    assert ok(c.get(f"/api/takes/{chosen}", headers=AUTH))["id"] == chosen
    assert {p["id"] for p in ok(c.get("/api/pieces", headers=AUTH))} == {pid, fork["id"]}


def test_upload_continue_harmonize(studio):
    c = studio
    up = ok(c.post("/api/pieces/upload", files={"file": ("my tune.abc", ABC.encode(), "text/plain")},
                   data={"style": "folk"}, headers=AUTH), 201)  # fmt: skip
    assert up["title"] == "Studio test tune" and up["current"]["action"] == "upload"
    assert up["current"]["summary"]["n_bars"] == 4
    pid = up["id"]
    given = up["current"]["tracks"][0]["notes"]

    cont = ok(c.post(f"/api/pieces/{pid}/continue", json={"bars": 2, "n": 2, "seed": 1}, headers=AUTH), 201)
    for t in cont["takes"]:
        assert t["summary"]["n_bars"] == 6
        assert t["tracks"][0]["notes"][: len(given)] == given  # the musician's notes never change
    # a reprise brings the opening bar back first; more bars than the piece has is one clear line
    again = ok(c.post(f"/api/pieces/{pid}/continue", json={"bars": 2, "n": 1, "seed": 1, "reprise": 1,
                                                           "cadence": "free"}, headers=AUTH), 201)  # fmt: skip
    assert again["takes"][0]["summary"]["n_bars"] == 6
    bad = c.post(f"/api/pieces/{pid}/continue", json={"bars": 2, "reprise": 2}, headers=AUTH)
    assert bad.status_code in (400, 422) and "reprise" in bad.text
    # a form: the piece is its first A (4 bars), and A B A follow (12 new bars); a form that cannot be is one line
    aaba = ok(c.post(f"/api/pieces/{pid}/continue", json={"form": "AABA", "n": 1, "seed": 1}, headers=AUTH), 201)
    assert aaba["takes"][0]["summary"]["n_bars"] == 16
    bad = c.post(f"/api/pieces/{pid}/continue", json={"form": "ABB", "n": 1}, headers=AUTH)
    assert bad.status_code in (400, 422) and "only the given music's A can come back" in bad.text
    bad = c.post(f"/api/pieces/{pid}/continue", json={"form": "AABA", "bars": 2, "n": 1}, headers=AUTH)
    assert bad.status_code in (400, 422) and "its new sections take 12 bars, not 2" in bad.text
    harm = ok(c.post(f"/api/pieces/{pid}/harmonize", json={"n": 1, "seed": 2}, headers=AUTH), 201)
    assert harm["takes"][0]["summary"]["n_chords"] > 0
    kept = ok(c.post(f"/api/alternatives/{cont['id']}/keep", json={"take": cont["takes"][0]["id"]}, headers=AUTH))
    assert kept["current"]["summary"]["n_bars"] == 6
    # the harmonize set is still open beside it; discard it
    assert ok(c.post(f"/api/alternatives/{harm['id']}/discard", headers=AUTH))["status"] == "discarded"
    guard = ok(c.get(f"/api/takes/{up['current']['id']}/copy-guard", headers=AUTH))
    assert guard["available"] is False or guard["verdict"] == "clear"  # the musician's own notes never count

    # a MIDI file made by the studio comes back in through the readers
    mid = c.get(f"/api/takes/{kept['current']['id']}/export/mid", headers=AUTH)
    assert mid.status_code == 200 and mid.content[:4] == b"MThd"
    again = ok(c.post("/api/pieces/upload", files={"file": ("again.mid", mid.content, "audio/midi")}, headers=AUTH), 201)
    assert again["current"]["summary"]["n_notes"] == kept["current"]["summary"]["n_notes"]
    import mido

    plain_midi = mido.MidiFile()  # no track name: the piece is named after the musician's file
    plain_midi.tracks.append(mido.MidiTrack([mido.Message("note_on", note=60, velocity=80, time=0),
                                             mido.Message("note_off", note=60, velocity=0, time=480)]))  # fmt: skip
    buf = io.BytesIO()
    plain_midi.save(file=buf)
    named = ok(c.post("/api/pieces/upload", files={"file": ("my song.mid", buf.getvalue(), "audio/midi")}, headers=AUTH), 201)
    assert named["title"] == "my song"
    # a file with no style of its own: continue and inpaint are written in the style the musician
    # chooses (else folk), as harmonize is
    plain = ok(c.post("/api/pieces/upload", files={"file": ("plain.abc", ABC.encode(), "text/plain")}, headers=AUTH), 201)
    assert not plain["current"]["summary"]["style"]
    as_pop = ok(c.post(f"/api/pieces/{plain['id']}/continue", json={"bars": 1, "n": 1, "seed": 1, "style": "pop"},
                       headers=AUTH), 201)  # fmt: skip
    assert as_pop["takes"][0]["summary"]["style"] == "pop"
    as_jazz = ok(c.post(f"/api/pieces/{plain['id']}/inpaint", json={"bars": "2", "n": 1, "seed": 1, "style": "jazz"},
                        headers=AUTH), 201)  # fmt: skip
    assert as_jazz["takes"][0]["summary"]["style"] == "jazz"
    over = ok(c.post(f"/api/pieces/{plain['id']}/continue", json={"bars": 2, "n": 1, "seed": 1, "chords": "G C",
                                                                 "reprise": 0, "cadence": "free"}, headers=AUTH), 201)  # fmt: skip
    assert [figure for _, figure in over["takes"][0]["chords"]][-2:] == ["G", "C"]
    as_default = ok(c.post(f"/api/pieces/{plain['id']}/continue", json={"bars": 1, "n": 1, "seed": 1}, headers=AUTH), 201)
    assert as_default["takes"][0]["summary"]["style"] == "folk"
    bad = c.post(f"/api/pieces/{plain['id']}/continue", json={"bars": 1, "style": "polka"}, headers=AUTH)
    assert bad.status_code == 422


def test_an_upload_exports_as_the_musicians_own_and_a_continuation_as_co_created(studio, tmp_path):
    """The musician's upload, exported unchanged, is not called AI-generated in any file; a
    continuation of it is AI-generated in part (IPTC compositeWithTrainedAlgorithmicMedia) and
    says which bars are the musician's."""
    from tunesmith.rights.provenance import read_provenance

    c = studio
    up = ok(c.post("/api/pieces/upload", files={"file": ("mine.abc", ABC.encode(), "text/plain")},
                   data={"style": "folk"}, headers=AUTH), 201)  # fmt: skip
    cont = ok(c.post(f"/api/pieces/{up['id']}/continue", json={"bars": 2, "n": 1, "seed": 1, "reprise": 0},
                     headers=AUTH), 201)  # fmt: skip
    for tid, name, ai in ((up["current"]["id"], "own", False), (cont["takes"][0]["id"], "cont", True)):
        for kind in ("mid", "musicxml", "wav"):
            r = c.get(f"/api/takes/{tid}/export/{kind}", headers=AUTH)
            assert r.status_code == 200, r.text
            path = tmp_path / f"{name}.{kind}"
            path.write_bytes(r.content)
            got = read_provenance(path)
            assert got["ai_generated"] is ai, (name, kind, got)
        text = (tmp_path / f"{name}.mid").read_bytes()
        if ai:
            assert b"compositeWithTrainedAlgorithmicMedia" in text and b"Co-created with tunesmith" in text
            assert b"bars up to 4, the music it continued" in text
        else:
            assert b"AI-generated" not in text and b"trainedAlgorithmicMedia" not in text
            assert b"The musician's own music" in text
    assert b"AI-generated" not in (tmp_path / "own.wav").read_bytes()
    # the copy guard says the upload is the musician's own, not that it was found clear
    guard = ok(c.get(f"/api/takes/{up['current']['id']}/copy-guard", headers=AUTH))
    if guard["available"]:
        assert guard["generated_notes"] == 0 and guard["musicians_notes"] == up["current"]["summary"]["n_notes"]


def test_a_composed_take_harmonized_is_no_musicians_work(studio, tmp_path):
    """A melody the studio composed, then harmonized, had been credited to "the musician" in every
    exported file (a studio trial): co-creating a take tunesmith made is AI-generated whole."""
    from tunesmith.rights.provenance import read_provenance

    c = studio
    piece = compose(c)
    alts = ok(c.post(f"/api/pieces/{piece['id']}/harmonize", json={"style": "chorale", "n": 1, "seed": 1},
                     headers=AUTH), 201)  # fmt: skip
    tid = alts["takes"][0]["id"]
    r = c.get(f"/api/takes/{tid}/export/mid", headers=AUTH)
    assert r.status_code == 200, r.text
    (tmp_path / "h.mid").write_bytes(r.content)
    fields = read_provenance(tmp_path / "h.mid")["fields"]
    assert fields["input_made_how"] == "generated" and not fields.get("musicians_part")
    assert b"compositeWithTrainedAlgorithmicMedia" not in r.content and b"Co-created" not in r.content


def test_an_edit_error_names_bars_not_the_studios_own_ids(studio):
    c = studio
    piece = compose(c)
    up = ok(c.post("/api/pieces/upload", files={"file": ("mine.abc", ABC.encode(), "text/plain")}, headers=AUTH), 201)
    for pid in (piece["id"], up["id"]):
        r = c.post(f"/api/pieces/{pid}/inpaint", json={"bars": "3-34", "n": 1}, headers=AUTH)
        assert r.status_code in (400, 422), r.text
        message = r.json()["error"]
        assert message.startswith("bar ") and "is outside the piece" in message, message


def test_a_take_carries_the_remarks_the_cli_prints(studio):
    """The chords given against the key, and chords a harmonization replaced, are said beside the
    take (the CLI prints them as notes)."""
    c = studio
    piece = compose(c, style="pop", key="Ab", chords="C Am F G", bars=4)
    assert any("fit C major" in r and "Ab major" in r for r in piece["current"]["remarks"])
    up = ok(c.post("/api/pieces/upload", files={"file": ("chords.abc", ABC.replace("GABc", '"G"GABc').encode(),
                                                         "text/plain")}, headers=AUTH), 201)  # fmt: skip
    harm = ok(c.post(f"/api/pieces/{up['id']}/harmonize", json={"n": 1, "seed": 2, "style": "jazz"}, headers=AUTH), 201)
    assert "the input's 2 chord symbol(s) were replaced by new ones" in harm["takes"][0]["remarks"]
    assert compose(c)["current"]["remarks"] == []
    # an upload with repeat signs says at once that it is read as played (it had waited for an edit)
    jig = "X:1\nT:Jig\nM:6/8\nL:1/8\nK:D\nA|:d2 f a2 f|g2 e c2 A|d2 f a2 f|d3 d2 :|\n"
    up = ok(c.post("/api/pieces/upload", files={"file": ("jig.abc", jig.encode(), "text/plain")}, headers=AUTH), 201)
    assert any("repeats are written out" in r for r in up["current"]["remarks"])




def test_the_studios_own_title_follows_style_and_key_a_given_one_stays(studio):
    """A piece the studio named "folk in D major" and harmonized as a chorale is "chorale in D
    major" once the harmonization is kept, and "folk in D major" again after undo; a title the
    musician gave stays through both."""
    c = studio
    for given in (None, "My tune"):
        piece = compose(c, key="D", **({"title": given} if given else {}))
        assert piece["title"] == (given or "folk in D major")
        harm = ok(c.post(f"/api/pieces/{piece['id']}/harmonize", json={"n": 1, "seed": 2, "style": "chorale"},
                         headers=AUTH), 201)  # fmt: skip
        kept = ok(c.post(f"/api/alternatives/{harm['id']}/keep", json={"take": harm["takes"][0]["id"]}, headers=AUTH))
        assert kept["title"] == (given or "chorale in D major")
        undone = ok(c.post(f"/api/pieces/{piece['id']}/undo", headers=AUTH))
        assert undone["title"] == (given or "folk in D major")
        assert ok(c.post(f"/api/pieces/{piece['id']}/redo", headers=AUTH))["title"] == (given or "chorale in D major")
        # and the score printed from the kept take bears it (it had stayed "tunesmith folk take 1")
        xml = c.get(f"/api/takes/{harm['takes'][0]['id']}/export/musicxml", headers=AUTH).text
        if given is None:
            assert "chorale in D major" in xml and "tunesmith folk take 1" not in xml


def test_rate_prefer_export_guard_and_openapi(studio):
    from tunesmith.ratings import RatingsStore

    c = studio
    piece = compose(c, bars=4, seed=9)
    tid = piece["current"]["id"]
    alts = ok(c.post(f"/api/pieces/{piece['id']}/inpaint", json={"bars": "2-3", "n": 2, "seed": 4}, headers=AUTH), 201)
    a, b = (t["id"] for t in alts["takes"])

    rated = ok(c.post(f"/api/takes/{tid}/rating", json={"stars": 4, "rater": "ann"}, headers=AUTH), 201)
    assert rated["ratings_take_id"] and rated["ratings_store"] == "TUNESMITH_HOME/ratings.db"  # no machine path
    ok(c.post(f"/api/takes/{tid}/rating", json={"stars": 5, "rater": "ann"}, headers=AUTH), 201)
    ok(c.post("/api/preferences", json={"preferred": a, "other": b, "rater": "ann"}, headers=AUTH), 201)
    assert c.post("/api/preferences", json={"preferred": a, "other": a}, headers=AUTH).status_code == 400
    assert c.post(f"/api/takes/{tid}/rating", json={"stars": 6}, headers=AUTH).status_code == 422
    with RatingsStore(c.engine.home / "ratings.db") as rs:
        counts = rs.counts()
        assert counts["ratings"] == 1 and counts["pairs"] == 1 and "ann" in counts["raters"]
        assert rs.db.execute("SELECT stars FROM ratings").fetchone()[0] == 5
    assert ok(c.get(f"/api/takes/{tid}", headers=AUTH))["judgements"]["stars"] == {"ann": 5}

    mid = c.get(f"/api/takes/{tid}/export/mid", headers=AUTH)
    assert mid.content[:4] == b"MThd" and b"Generated by tunesmith" in mid.content
    assert "attachment" in mid.headers["content-disposition"] and "/" not in mid.headers["content-disposition"]
    xml = c.get(f"/api/takes/{tid}/export/musicxml", headers=AUTH).text
    assert "tunesmith-provenance" in xml and "Generated by tunesmith" in xml
    record = ok(c.get(f"/api/takes/{tid}/export/json", headers=AUTH))
    assert record["model"]["sha256"] and record["seed"] == 9 and record["studio_take"] == tid
    wav = c.get(f"/api/takes/{tid}/export/wav", headers=AUTH).content
    with wave.open(io.BytesIO(wav)) as w:
        assert w.getnframes() > 0
    from tunesmith.rights.content_credentials import available, read_content_credentials
    from tunesmith.rights.provenance import read_wav_info

    info = read_wav_info(wav)
    assert "AI-generated" in info["ICMT"] and f"studio take {tid}" in info["ICMT"] and "seed 9" in info["ICMT"]
    if available():  # C2PA Content Credentials, intact, with the take's provenance
        found = read_content_credentials(wav)
        assert found["problems"] == ["signingCredential.untrusted"] and found["provenance"]["seed"] == 9
    svg = c.get(f"/api/takes/{tid}/score.svg", headers=AUTH)
    assert svg.headers["content-type"].startswith("image/svg+xml") and svg.text.count('class="measure"') == 4
    assert c.get(f"/api/takes/{tid}/export/exe", headers=AUTH).status_code == 404

    guard = ok(c.get(f"/api/takes/{tid}/copy-guard", headers=AUTH))
    assert guard["available"] is False or guard["verdict"] in ("clear", "close", "copy")
    if guard["available"]:
        assert ok(c.get(f"/api/takes/{tid}", headers=AUTH))["copy_guard"]["verdict"] == guard["verdict"]

    schema = ok(c.get("/api/openapi.json", headers=AUTH))
    for path in ("/api/pieces", "/api/pieces/upload", "/api/pieces/{piece_id}/inpaint", "/api/alternatives/{alt_id}/keep",
                 "/api/takes/{take_id}/rating", "/api/preferences", "/api/takes/{take_id}/export/{kind}"):  # fmt: skip
        assert path in schema["paths"]
    assert c.get("/api/openapi.json").status_code == 401
    info = ok(c.get("/api/info", headers=AUTH))
    assert {s["control"] for s in info["sliders"]} >= {"temperature", "top_p", "rest_penalty"}


def test_sliders_recompose_and_fork(studio):
    c = studio
    piece = compose(c, bars=4, seed=2, temperature=0.7, top_p=0.9, rest_penalty=3.0)
    req = piece["current"]["request"]
    assert (req["temperature"], req["top_p"], req["rest_penalty"]) == (0.7, 0.9, 3.0)
    alts = ok(c.post(f"/api/pieces/{piece['id']}/inpaint", json={"bars": "2-3", "n": 1, "temperature": 1.3}, headers=AUTH), 201)
    assert alts["takes"][0]["request"]["temperature"] == 1.3
    assert c.post("/api/pieces", json={"temperature": 9}, headers=AUTH).status_code == 422
    r = c.post("/api/pieces", json={"style": "folk", "chords": "Xq9 Zz"}, headers=AUTH)
    assert r.status_code == 400 and "chord" in r.json()["error"].lower()
    fresh = ok(c.post(f"/api/pieces/{piece['id']}/compose", json={"style": "pop", "bars": 4, "n": 2, "seed": 8}, headers=AUTH), 201)
    assert len(fresh["takes"]) == 2 and fresh["takes"][0]["summary"]["style"] == "pop"
    assert ok(c.post(f"/api/pieces/{piece['id']}/fork", headers=AUTH), 201)["title"].endswith("(fork)")
    # a folk dance, as `compose --dance` writes it: the dance's meter; a meter it is not in is one line
    reel = compose(c, bars=4, seed=4, dance="reel")
    assert reel["current"]["request"]["dance"] == "reel" and reel["current"]["request"]["meter"] in ("4/4", "2/2")
    r = c.post("/api/pieces", json={"style": "folk", "dance": "jig", "meter": "4/4"}, headers=AUTH)
    assert r.status_code == 400 and "jig is in 6/8" in r.json()["error"]
    assert c.post("/api/pieces", json={"style": "folk", "dance": "tango"}, headers=AUTH).status_code == 422


def test_voice_locks_keep_the_locked_voices(studio):
    c = studio
    piece = compose(c, style="chorale", bars=4, seed=6)
    roles = {t["role"] for t in piece["current"]["tracks"]}
    assert roles == {"soprano", "alto", "tenor", "bass"}
    alts = ok(c.post(f"/api/pieces/{piece['id']}/inpaint", json={"bars": "2-3", "n": 2, "seed": 1, "keep": ["soprano", "bass"]},
                     headers=AUTH), 201)  # fmt: skip
    voice = lambda take, role: next(t["notes"] for t in take["tracks"] if t["role"] == role)  # noqa: E731
    for t in alts["takes"]:
        assert voice(t, "soprano") == voice(piece["current"], "soprano")
        assert voice(t, "bass") == voice(piece["current"], "bass")
    r = c.post(f"/api/pieces/{piece['id']}/inpaint", json={"bars": "2-3", "keep": ["soprano", "alto", "tenor", "bass", "chords"]},
               headers=AUTH)  # fmt: skip
    assert r.status_code == 400 and "nothing to regenerate" in r.json()["error"]
    assert c.post(f"/api/pieces/{piece['id']}/inpaint", json={"bars": "7-9"}, headers=AUTH).status_code == 400


# ---------------------------------------------------------------------- security
def test_security_refusals_leave_no_trace(studio, tmp_path):
    c = studio
    piece = compose(c, bars=4, seed=1)
    before = store_counts(c)
    c.get(f"/api/takes/{piece['current']['id']}/export/mid", headers=AUTH)

    def files():
        root = tmp_path / "studio"
        return sorted(str(p.relative_to(root)) for p in root.rglob("*") if not p.name.startswith("studio.db"))

    files_before = files()
    big = b"0" * (c.engine.info()["limits"]["upload_bytes"] + 10)
    good_body = {"style": "folk", "bars": 4}
    cases = [
        ("no token", lambda: c.post("/api/pieces", json=good_body), 401),
        ("wrong token", lambda: c.post("/api/pieces", json=good_body, headers={"Authorization": "token nope-nope"}), 401),
        ("wrong token, query", lambda: c.post("/api/pieces?token=nope", json=good_body), 401),
        ("cookie only, POST", lambda: c.post("/api/pieces", json=good_body,
                                             headers={"Cookie": f"tunesmith-studio-8765={TOKEN}"}), 401),  # fmt: skip
        ("foreign Host", lambda: c.post("/api/pieces", json=good_body, headers={**AUTH, "Host": "evil.example:8765"}), 403),
        ("rebinding Host", lambda: c.get("/api/pieces", headers={**AUTH, "Host": "attacker.test"}), 403),
        ("foreign Origin", lambda: c.post("/api/pieces", json=good_body,
                                          headers={**AUTH, "Origin": "http://evil.example"}), 403),  # fmt: skip
        ("oversized upload", lambda: c.post("/api/pieces/upload", files={"file": ("big.mid", big, "audio/midi")},
                                            headers=AUTH), 413),  # fmt: skip
        ("path-like name", lambda: c.post("/api/pieces/upload", files={"file": ("../../etc/passwd.abc", ABC.encode())},
                                          headers=AUTH), 400),  # fmt: skip
        ("windows path name", lambda: c.post("/api/pieces/upload", files={"file": ("..\\x\\tune.abc", ABC.encode())},
                                             headers=AUTH), 400),  # fmt: skip
        ("hidden name", lambda: c.post("/api/pieces/upload", files={"file": (".bashrc.abc", ABC.encode())}, headers=AUTH), 400),
        ("two files", lambda: c.post("/api/pieces/upload", files=[("file", ("a.abc", ABC.encode())),
                                                                   ("file", ("b.abc", ABC.encode()))], headers=AUTH), 400),  # fmt: skip
        ("not music", lambda: c.post("/api/pieces/upload", files={"file": ("tune.exe", b"MZ")}, headers=AUTH), 400),
        ("garbage MIDI", lambda: c.post("/api/pieces/upload", files={"file": ("tune.mid", b"MThd garbage")}, headers=AUTH), 400),
        ("malformed JSON", lambda: c.post("/api/pieces", content=b'{"style": "folk",', headers={**AUTH, "Content-Type": "application/json"}), 400),
        ("unknown field", lambda: c.post("/api/pieces", json={"style": "folk", "rm -rf": 1}, headers=AUTH), 422),
        ("huge JSON", lambda: c.post("/api/pieces", content=b'{"chords": "' + b"C " * 200_000 + b'"}',
                                     headers={**AUTH, "Content-Type": "application/json"}), 413),  # fmt: skip
        ("bad piece id", lambda: c.post("/api/pieces/..%2F..%2Fetc/undo", headers=AUTH), 404),
        ("bad take id", lambda: c.get("/api/takes/t-../score.svg", headers=AUTH), 404),
        ("unknown alternatives", lambda: c.post("/api/alternatives/a-0000000000000000/keep",
                                                json={"take": piece["current"]["id"]}, headers=AUTH), 404),  # fmt: skip
    ]
    for name, call, status in cases:
        r = call()
        assert r.status_code == status, (name, r.status_code, r.text)
        body = r.json()
        assert isinstance(body["error"], str) and body["error"] and body["status"] == status, (name, body)
        assert "Traceback" not in r.text
        assert store_counts(c) == before, name
    assert files() == files_before
    assert not (tmp_path / "etc").exists()

    # the page sets an HttpOnly, SameSite=Strict cookie, and GETs may use it
    page = c.get(f"/?token={TOKEN}")
    assert page.status_code == 200 and "default-src 'self'" in page.headers["content-security-policy"]
    cookie = page.headers["set-cookie"]
    assert "HttpOnly" in cookie and "samesite=strict" in cookie.lower()
    fresh = TestClient(c.app, base_url="http://127.0.0.1:8765")
    assert fresh.get("/static/studio.js").status_code == 401
    fresh.cookies.set("tunesmith-studio-8765", TOKEN)
    assert fresh.get("/static/studio.js").status_code == 200
    assert fresh.get("/api/pieces").status_code == 200
    # nothing on the page comes from another host
    html = page.text + fresh.get("/static/studio.js").text + fresh.get("/static/studio.css").text
    assert "http://" not in html.replace("http://www.w3.org/2000/svg", "") and "https://" not in html


# ---------------------------------------------------------------------- persistence
def test_restart_keeps_everything(tmp_path, monkeypatch):
    monkeypatch.setenv("TUNESMITH_HOME", str(tmp_path))
    c = client_for(tmp_path)
    piece = compose(c, bars=8, seed=21)
    pid = piece["id"]
    alts = ok(c.post(f"/api/pieces/{pid}/inpaint", json={"bars": "5-8", "n": 2, "seed": 3}, headers=AUTH), 201)
    ok(c.post(f"/api/alternatives/{alts['id']}/keep", json={"take": alts["takes"][0]["id"]}, headers=AUTH))
    ok(c.post(f"/api/pieces/{pid}/undo", headers=AUTH))
    open_set = ok(c.post(f"/api/pieces/{pid}/continue", json={"bars": 2, "n": 2, "seed": 4}, headers=AUTH), 201)
    ok(c.post(f"/api/takes/{piece['current']['id']}/rating", json={"stars": 3}, headers=AUTH), 201)
    snapshot = ok(c.get(f"/api/pieces/{pid}", headers=AUTH))
    c.engine.close()

    c2 = client_for(tmp_path)
    try:
        again = ok(c2.get(f"/api/pieces/{pid}", headers=AUTH))
        assert again["history"] == snapshot["history"] and again["cursor"] == 0 and again["can_redo"]
        assert again["current"]["tracks"] == snapshot["current"]["tracks"]
        assert [a["id"] for a in again["open_alternatives"]] == [open_set["id"]]
        assert again["current"]["judgements"]["stars"] == {"studio": 3}
        assert ok(c2.post(f"/api/pieces/{pid}/redo", headers=AUTH))["current"]["id"] == alts["takes"][0]["id"]
        assert len(ok(c2.get(f"/api/pieces/{pid}/takes", headers=AUTH))) == 5
    finally:
        c2.engine.close()


# ---------------------------------------------------------------------- load, then a crash
def test_load_on_live_server_then_kill_and_restart(tmp_path):
    from studio_live import LiveStudio

    server = LiveStudio(tmp_path, TOKEN).start()
    try:
        with server.client() as http:
            seeds = [http.post("/api/pieces", json={"style": s, "bars": 4, "seed": i}).json()
                     for i, s in enumerate(["folk", "pop", "jazz", "folk"])]  # fmt: skip
        rng = random.Random(7)
        tasks = [("compose", i) for i in range(40)] + [("regenerate", i) for i in range(40)] + [("read", i) for i in range(40)]
        rng.shuffle(tasks)
        local = __import__("threading").local()

        def http_client():
            if not hasattr(local, "c"):
                local.c = server.client()
            return local.c

        def run(task):
            kind, i = task
            c = http_client()
            out = {"kind": kind, "latencies": [], "errors": [], "takes": [], "kept": None, "piece": None}

            def call(method, path, **kw):
                t0 = time.perf_counter()
                r = c.request(method, path, **kw)
                out["latencies"].append((kind, time.perf_counter() - t0))
                if r.status_code >= 400:
                    out["errors"].append(f"{method} {path}: {r.status_code} {r.text[:200]}")
                return r

            seed_piece = seeds[i % len(seeds)]
            if kind == "compose":
                r = call("POST", "/api/pieces", json={"style": rng.choice(["folk", "pop", "jazz"]), "bars": 4, "seed": 100 + i})
                if r.status_code == 201:
                    out["piece"], out["takes"] = r.json()["id"], [r.json()["current"]["id"]]
            elif kind == "regenerate":
                r = call("POST", f"/api/pieces/{seed_piece['id']}/inpaint", json={"bars": "2-3", "n": 1, "seed": 200 + i})
                if r.status_code == 201:
                    alt = r.json()
                    out["takes"] = [t["id"] for t in alt["takes"]]
                    k = call("POST", f"/api/alternatives/{alt['id']}/keep", json={"take": out["takes"][0]})
                    if k.status_code == 200:
                        out["kept"], out["piece"] = out["takes"][0], seed_piece["id"]
            else:
                call("GET", f"/api/pieces/{seed_piece['id']}")
                call("GET", f"/api/takes/{seed_piece['current']['id']}")
            return out

        t0 = time.perf_counter()
        with cf.ThreadPoolExecutor(max_workers=4) as pool:
            results = list(pool.map(run, tasks))
        wall = time.perf_counter() - t0
        latencies = [x for r in results for x in r["latencies"]]
        errors = [e for r in results for e in r["errors"]]
        assert len(latencies) == 200
        assert errors == []
        ms = sorted(s * 1000 for _, s in latencies)
        p50, p95 = statistics.median(ms), ms[int(0.95 * (len(ms) - 1))]
        by_kind = {k: round(statistics.median(sorted(s * 1000 for kk, s in latencies if kk == k))) for k in ("compose", "regenerate", "read")}
        print(f"\nstudio load: 200 requests, 4 threads, {wall:.1f} s: p50 {p50:.0f} ms, p95 {p95:.0f} ms, "
              f"median by kind (ms) {by_kind}, 0 errors")  # fmt: skip
        (tmp_path / "load.json").write_text(json.dumps({"p50_ms": p50, "p95_ms": p95, "wall_s": wall, "by_kind": by_kind}))

        made = [t for r in results for t in r["takes"]]
        kept = [(r["piece"], r["kept"]) for r in results if r["kept"]]
        assert len(made) == 80 and len(kept) == 40

        server.kill()  # a crash: no shutdown, no checkpoint
        db = sqlite3.connect(tmp_path / "studio" / "studio.db")
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        db.close()
        server.start()
        with server.client() as http:
            for tid in made:
                assert http.get(f"/api/takes/{tid}").status_code == 200, tid
            histories = {s["id"]: {h["take"] for h in http.get(f"/api/pieces/{s['id']}").json()["history"]} for s in seeds}
            for pid, tid in kept:
                assert tid in histories[pid]
            assert len(http.get("/api/pieces").json()) == 4 + 40
    finally:
        server.kill()


def test_cli_refuses_bad_arguments(capsys):
    from tunesmith.cli import main

    assert main(["studio", "--token", "short"]) == 2
    assert "at least 16" in capsys.readouterr().err
    assert main(["studio", "--port", "70000"]) == 2


def test_a_take_summary_says_its_pickup(studio):
    """The page said "9 bars" for 8 bars and a pickup: the summary gives the pickup, which the page
    shows as "8 bars and a pickup"."""
    with_pickup = compose(studio, pickup=0.5, meter="6/8")["current"]["summary"]
    assert with_pickup["pickup_beats"] == 0.5 and with_pickup["n_bars"] == 9
    assert compose(studio)["current"]["summary"]["pickup_beats"] == 0.0
    script = (Path(__file__).resolve().parents[1] / "src" / "tunesmith" / "studio" / "static" / "studio.js").read_text()
    assert "bars and a pickup" in script


def test_a_dance_composed_in_the_studio_is_as_long_as_the_dance(studio):
    """The studio's Bars box was 8 whatever the dance, half a reel's A strain. Left empty it is the
    style's length, as in the CLI: a dance, and a folk tune, is two 8-bar strains, each played
    twice; else 16."""
    body = {"style": "folk", "seed": 3, "pickup": 0}
    reel = ok(studio.post("/api/pieces", json=body | {"dance": "reel"}, headers=AUTH), 201)["current"]["summary"]
    plain = ok(studio.post("/api/pieces", json=body, headers=AUTH), 201)["current"]["summary"]
    asked = ok(studio.post("/api/pieces", json=body | {"dance": "reel", "bars": 8}, headers=AUTH), 201)["current"]["summary"]
    pop = ok(studio.post("/api/pieces", json=body | {"style": "pop"}, headers=AUTH), 201)["current"]["summary"]
    assert (reel["n_bars"], plain["n_bars"], asked["n_bars"], pop["n_bars"]) == (32, 32, 8, 16)


def test_words_of_a_fixed_set_are_read_in_any_case_and_a_missing_take_is_quoted_whole(studio):
    """{"style": "Folk"} had been refused with 422 where the CLI and the API take any case; a take
    that does not exist had been said as "no take 't-doesnotexist" (its closing quote cut off)."""
    c = studio
    piece = compose(c, style="Folk", cadence="Tonic", bars=4)
    assert piece["current"]["summary"]["style"] == "folk"
    alts = ok(c.post(f"/api/pieces/{piece['id']}/inpaint", json={"bars": "2-3", "n": 1, "seed": 4, "style": "FOLK",
                                                                 "keep": ["Chords"]}, headers=AUTH), 201)  # fmt: skip
    assert len(alts["takes"]) == 1
    r = c.post("/api/pieces", json={"style": "Polka"}, headers=AUTH)
    assert r.status_code == 422 and "style" in r.json()["error"]
    r = c.get("/api/takes/t-doesnotexist", headers=AUTH)
    assert r.status_code == 404 and r.json()["error"] == "no take 't-doesnotexist'"


def test_the_readme_says_the_upload_limit_in_the_unit_the_studio_says_it():
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    assert "an upload\nis one file of at most 4 MiB" in readme or "is one file of at most 4 MiB" in readme
    assert "4 MB" not in readme and "co-create inputs: 4 MiB" in readme


def test_an_upload_over_the_limit_is_said_as_the_files_limit(studio):
    """A 5 MB file was refused as "the request (5.0 MB) is over the limit of 4.3 MB": the limit the
    request has with its multipart overhead, not the 4 MiB a file the musician is allowed. Said in
    MiB, the unit the limit is set in and the README says (it had been "4.2 MB" beside the README's
    "4 MB")."""
    c = studio
    limit = c.engine.info()["limits"]["upload_bytes"]
    assert limit == 4 * 1024 * 1024
    r = c.post("/api/pieces/upload", files={"file": ("huge.mid", b"0" * 5_000_000, "audio/midi")}, headers=AUTH)
    assert r.status_code == 413, r.text
    assert r.json()["error"] == "the upload (4.8 MiB) is over the limit of 4 MiB a file"
    # any other body keeps its own limit and words
    r = c.post("/api/pieces", content=b'{"chords": "' + b"C " * 200_000 + b'"}',
               headers={**AUTH, "Content-Type": "application/json"})  # fmt: skip
    assert r.status_code == 413 and r.json()["error"] == "the request (391 KiB) is over the limit of 256 KiB"


def test_the_composers_messages_name_the_pages_controls_not_cli_flags(studio):
    """The page has no --dance or --key: "--dance jig is a folk dance; compose it with --style folk"
    is said with the controls' names."""
    from tunesmith.studio.app import controls_named

    assert controls_named("--dance jig is a folk dance; compose it with --style folk") == \
        "dance jig is a folk dance; compose it with style folk"  # fmt: skip
    assert controls_named("--key 'c minor' contradicts --mode major") == "key 'c minor' contradicts mode major"
    assert controls_named("--in-scale: the chord C7 holds Bb") == "'only notes of the scale': the chord C7 holds Bb"
    assert controls_named("bars 3--5 and a-b --x") == "bars 3--5 and a-b x"  # a flag, not a dash inside words
    c = studio
    for body in ({"style": "chorale", "dance": "jig", "bars": 4}, {"style": "folk", "key": "c minor", "mode": "major"},
                 {"style": "folk", "key": ""}):  # fmt: skip
        r = c.post("/api/pieces", json=body, headers=AUTH)
        assert r.status_code == 400 and "--" not in r.json()["error"], r.text
    r = c.post("/api/pieces", json={"style": "chorale", "dance": "jig", "bars": 4}, headers=AUTH)
    assert r.json()["error"].startswith("dance jig is a folk dance"), r.text


def test_a_set_kept_or_discarded_in_another_tab_is_said_plainly(studio):
    """Two tabs on one piece: the second keep of a set was "alternatives a-0123... are kept; make new
    ones", naming the studio's id; now it says what happened."""
    c = studio
    piece = compose(c, bars=4, seed=2)
    alts = ok(c.post(f"/api/pieces/{piece['id']}/inpaint", json={"bars": "2", "n": 2, "seed": 1}, headers=AUTH), 201)
    first, second = (t["id"] for t in alts["takes"])
    ok(c.post(f"/api/alternatives/{alts['id']}/keep", json={"take": first}, headers=AUTH))
    r = c.post(f"/api/alternatives/{alts['id']}/keep", json={"take": second}, headers=AUTH)
    assert r.status_code == 409
    assert r.json()["error"] == "that set of alternatives was kept already (in another tab?); make new ones"
    other = ok(c.post(f"/api/pieces/{piece['id']}/harmonize", json={"n": 1, "seed": 1}, headers=AUTH), 201)
    ok(c.post(f"/api/alternatives/{other['id']}/discard", headers=AUTH))
    r = c.post(f"/api/alternatives/{other['id']}/discard", headers=AUTH)
    assert r.status_code == 409
    assert r.json()["error"] == "that set of alternatives was discarded already (in another tab?)"
    assert ok(c.get(f"/api/pieces/{piece['id']}", headers=AUTH))["current"]["id"] == first  # the first keep stands


def test_one_chord_a_bar_from_the_page(studio):
    """The page's "one chord a bar" asks compose for --chord-rhythm bar: every bar of the piece has
    one chord symbol; with the page's chords it is refused in the page's words."""
    c = studio
    for rhythm, most in (("bar", 1), (None, 2)):
        take = compose(c, style="folk", key="Em", seed=6, **({"chord_rhythm": rhythm} if rhythm else {}))["current"]
        per_bar = [sum(b["start_beat"] - 1e-6 <= onset < b["end_beat"] - 1e-6 for onset, _ in take["chords"])
                   for b in take["bars"]]  # fmt: skip
        assert max(per_bar) == most, (rhythm, per_bar)  # left alone, this take has bars of two
    r = c.post("/api/pieces", json={"style": "folk", "chords": "G D", "chord_rhythm": "bar"}, headers=AUTH)
    assert r.status_code == 400 and r.json()["error"].startswith("'one chord a bar': the chords are yours (chords)"), r.text


def test_a_loop_composed_in_the_studio_plays_as_a_loop(studio):
    """--cadence loop from the studio: the take says it loops (the player loops it), and its audio is
    exactly the piece's length with loop points (`outputs.loop`)."""
    import io
    import wave

    from tunesmith.outputs.loop import wav_loop_points

    c = studio
    piece = compose(c, style="pop", bars=4, tempo=120, cadence="loop")
    take = ok(c.get(f"/api/takes/{piece['current']['id']}", headers=AUTH))
    assert take["loop"] is True and take["request"]["cadence"] == "loop"
    wav = c.get(take["links"]["audio"], headers=AUTH).content
    with wave.open(io.BytesIO(wav)) as f:
        assert f.getnframes() == 8 * f.getframerate()
    assert wav_loop_points(wav) == (0, 8 * 48000 - 1)
    assert compose(c, style="pop", bars=4)["current"]["loop"] is False
    assert ok(c.post("/api/pieces", json={"style": "pop", "cadence": "LOOP", "bars": 4, "seed": 1}, headers=AUTH), 201)


def test_voice_ranges_from_the_studio(studio):
    """The studio's compose and harmonize take a choir's own ranges (`--voice-ranges`): every tenor and
    bass note lies in them; a soprano range for a harmonization and a malformed one are refused."""
    c = studio
    piece = compose(c, style="chorale", key="G", voice_ranges="T=C3:D4,B=G2:C4")
    assert piece["current"]["request"]["satb_ranges"] == {"T": [48, 62], "B": [43, 60]}
    for role, (low, high) in (("tenor", (48, 62)), ("bass", (43, 60))):
        notes = [p for t in piece["current"]["tracks"] if t["role"] == role for p, _, _ in t["notes"]]
        assert notes and all(low <= p <= high for p in notes), role
    up = ok(c.post("/api/pieces/upload", files={"file": ("hymn.abc", ABC.encode(), "text/plain")}, headers=AUTH), 201)
    harm = ok(c.post(f"/api/pieces/{up['id']}/harmonize", json={"n": 1, "seed": 2, "style": "chorale",
                                                                "voice_ranges": "T=C3:D4"}, headers=AUTH), 201)  # fmt: skip
    tenor = [p for t in harm["takes"][0]["tracks"] if t["role"] == "tenor" for p, _, _ in t["notes"]]
    assert tenor and all(48 <= p <= 62 for p in tenor)
    bad = c.post(f"/api/pieces/{up['id']}/harmonize", json={"n": 1, "style": "chorale", "voice_ranges": "S=C4:G5"},
                 headers=AUTH)  # fmt: skip
    assert bad.status_code in (400, 422) and "soprano" in bad.text
    bad = c.post("/api/pieces", json={"style": "chorale", "voice_ranges": "T=C3:E4<script>"}, headers=AUTH)
    assert bad.status_code == 422


def test_a_hymn_texture_from_the_studio(studio):
    """The studio's compose and harmonize take a chorale's texture (`--texture hymn`): the lower
    voices strike only on beats; a lead sheet's piece refuses it in one line."""
    c = studio
    piece = compose(c, style="chorale", key="G", texture="Hymn")
    lower = [n for t in piece["current"]["tracks"] if t["role"] in ("alto", "tenor", "bass") for n in t["notes"]]
    assert lower and sum(abs(o - round(o)) > 1e-6 for _, o, _ in lower) <= 0.02 * len(lower)
    up = ok(c.post("/api/pieces/upload", files={"file": ("hymn.abc", ABC.encode(), "text/plain")}, headers=AUTH), 201)
    harm = ok(c.post(f"/api/pieces/{up['id']}/harmonize", json={"n": 1, "seed": 2, "style": "chorale", "texture": "hymn"},
                     headers=AUTH), 201)  # fmt: skip
    lower = [n for t in harm["takes"][0]["tracks"] if t["role"] in ("alto", "tenor", "bass") for n in t["notes"]]
    assert lower and sum(abs(o - round(o)) > 1e-6 for _, o, _ in lower) <= 0.02 * len(lower)
    bad = c.post(f"/api/pieces/{up['id']}/harmonize", json={"n": 1, "style": "folk", "texture": "hymn"}, headers=AUTH)
    assert bad.status_code in (400, 422) and "texture 'hymn' is a chorale's" in bad.text
    bad = c.post("/api/pieces", json={"style": "chorale", "texture": "plainsong"}, headers=AUTH)
    assert bad.status_code == 422


def test_the_studio_offers_every_dance_the_composer_knows():
    """The dance select and the API's dance field list the composer's dances (the polka, added in
    session 53, had to be added in three places)."""
    import re
    import typing
    from pathlib import Path

    from tunesmith.sampling.request import DANCES
    from tunesmith.studio import app

    assert set(typing.get_args(typing.get_args(app.Dance)[0])) == set(DANCES)
    html = (Path(app.__file__).parent / "static" / "index.html").read_text(encoding="utf-8")
    select = re.search(r'<select name="dance".*?</select>', html, re.S).group(0)
    assert set(re.findall(r"<option>([^<]+)</option>", select)) == set(DANCES)
