"""Makes the hostile input files of session 41's hostile-user trial under /tmp/hostile/files
(run with /work/main/.venv/bin/python). Large files are made there, never in the repository."""
# ruff: noqa: E402, E702, SIM115  (a list of hostile cases, one a line)
import io
import json
import os
import random
import struct
import sys
import zipfile
from pathlib import Path

OUT = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/hostile/files")
OUT.mkdir(parents=True, exist_ok=True)
rnd = random.Random(41)


def w(name, data):
    p = OUT / name
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))


def vlq(n):
    out = [n & 0x7F]
    n >>= 7
    while n:
        out.append(0x80 | (n & 0x7F))
        n >>= 7
    return bytes(reversed(out))


def track(events):
    body = b"".join(events) + b"\x00\xff\x2f\x00"
    return b"MTrk" + struct.pack(">I", len(body)) + body


def midi(tracks, tpq=480, fmt=1):
    return b"MThd" + struct.pack(">IHHH", 6, fmt, len(tracks), tpq) + b"".join(tracks)


def notes(seq, tempo_us=500000):
    """seq: (pitch, dur_ticks) played one after another."""
    ev = [b"\x00\xff\x51\x03" + tempo_us.to_bytes(3, "big"), b"\x00\xff\x58\x04\x04\x02\x18\x08"]
    for p, d in seq:
        ev.append(b"\x00\x90" + bytes([p, 80]))
        ev.append(vlq(d) + b"\x80" + bytes([p, 0]))
    return track(ev)


tune = [(60 + i % 12, 480) for i in range(16)]
ok = midi([notes(tune)])
w("ok.mid", ok)
w("empty.mid", b"")
w("trunc.mid", ok[:40])
w("garbage.mid", bytes(rnd.randrange(256) for _ in range(5000)))
w("header_only.mid", ok[:14])
w("million.mid", midi([notes([(60 + i % 24, 1) for i in range(1_000_000)])]))
w("notes300k.mid", midi([notes([(60 + i % 24, 60) for i in range(300_000)])]))
w("tpq1.mid", midi([notes([(60, 1)] * 16)], tpq=1))
w("tempo_1us.mid", midi([notes(tune, tempo_us=1)]))
w("tempo_max.mid", midi([notes(tune, tempo_us=0xFFFFFF)]))
w("tracks200.mid", midi([notes(tune[:2]) for _ in range(200)]))
w("tracks300.mid", midi([notes(tune[:2]) for _ in range(300)]))
w("note10h.mid", midi([notes([(60, 480 * 2 * 60 * 60 * 10)])]))  # 10 hours at 120 qpm
w("pitch0_127.mid", midi([notes([(0, 480), (127, 480)] * 8)]))
w("mid_as.abc", ok)
w("mid_as.musicxml", ok)
w("zero_tracks.mid", midi([]))
w("tpq0.mid", midi([notes(tune)], tpq=0))
w("smpte.mid", b"MThd" + struct.pack(">IHHBB", 6, 1, 1, 0xE7, 40) + notes(tune))
w("type2.mid", midi([notes(tune), notes(tune)], fmt=2))
w("sysex_huge_len.mid", midi([track([b"\x00\xf0" + vlq(0x0FFFFFFF) + b"\x01\x02"])]))
w("meta_len_huge.mid", midi([track([b"\x00\xff\x03" + vlq(0x0FFFFFFF) + b"abc"])]))
w("ts_zero.mid", midi([track([b"\x00\xff\x58\x04\x00\x00\x18\x08", b"\x00\x90\x3c\x50", b"\x83\x60\x80\x3c\x00"])]))
w("ts_13_0.mid", midi([track([b"\x00\xff\x58\x04\x0d\x00\x18\x08", b"\x00\x90\x3c\x50", b"\x83\x60\x80\x3c\x00"])]))
w("ts_255_255.mid", midi([track([b"\x00\xff\x58\x04\xff\xff\x18\x08", b"\x00\x90\x3c\x50", b"\x83\x60\x80\x3c\x00"])]))
w("key_bad.mid", midi([track([b"\x00\xff\x59\x02\x7f\x05", b"\x00\x90\x3c\x50", b"\x83\x60\x80\x3c\x00"])]))
w("name_long.mid", midi([track([b"\x00\xff\x03" + vlq(1_000_000) + b"x" * 1_000_000, b"\x00\x90\x3c\x50",
                                 b"\x83\x60\x80\x3c\x00"])]))
w("many_tempos.mid", midi([track([b"\x00\xff\x51\x03\x07\xa1\x20"] * 100_000 + [b"\x00\x90\x3c\x50", b"\x83\x60\x80\x3c\x00"])]))
# a late event: a single note 40,000 beats in
w("late_note.mid", midi([track([b"\x00\x90\x3c\x50", b"\x83\x60\x80\x3c\x00", vlq(480 * 39_000) + b"\x90\x3e\x50",
                                b"\x83\x60\x80\x3e\x00"])]))
# chords only: 2000 simultaneous notes
w("chord2000.mid", midi([track([b"\x00\x90" + bytes([p % 128, 80]) for p in range(2000)] +
                               [b"\x83\x60\x80\x3c\x00"] + [b"\x00\x80" + bytes([p % 128, 0]) for p in range(2000)])]))

# ---------------------------------------------------------------- MusicXML
HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n'


def score(measures, divisions=1, beats="4", beat_type="4", fifths="0", title="t", extra_attr=""):
    ms = []
    for i, body in enumerate(measures):
        attr = (f"<attributes><divisions>{divisions}</divisions><key><fifths>{fifths}</fifths></key>"
                f"<time><beats>{beats}</beats><beat-type>{beat_type}</beat-type></time>{extra_attr}</attributes>") if i == 0 else ""
        ms.append(f'<measure number="{i + 1}">{attr}{body}</measure>')
    return (HEAD + f'<score-partwise version="3.1"><work><work-title>{title}</work-title></work>'
            '<part-list><score-part id="P1"><part-name>M</part-name></score-part></part-list>'
            f'<part id="P1">{"".join(ms)}</part></score-partwise>')


def note(step="C", octave=4, dur=1, typ="quarter"):
    return f"<note><pitch><step>{step}</step><octave>{octave}</octave></pitch><duration>{dur}</duration><type>{typ}</type></note>"


bar = note() * 4
w("ok.musicxml", score([bar] * 4))
w("empty.musicxml", b"")
w("trunc.musicxml", score([bar] * 4)[:300])
w("garbage.musicxml", bytes(rnd.randrange(256) for _ in range(5000)))
w("div1.musicxml", score([bar] * 4, divisions=1))
w("measure10k.musicxml", score([note(dur=1, typ="quarter") * 10_000]))
w("measure10k_16th.musicxml", score([note(dur=1, typ="16th") * 10_000], divisions=4))
w("measures20k.musicxml", score([bar] * 20_000))
w("deep.musicxml", HEAD + "<score-partwise>" + "<a>" * 100_000 + "</a>" * 100_000 + "</score-partwise>")
w("deep_200.musicxml", HEAD + "<score-partwise>" + "<a>" * 200 + "</a>" * 200 + "</score-partwise>")
w("laughs.musicxml", '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">' +
  "".join(f'<!ENTITY lol{i} "{("&lol%s;" % (i - 1 if i else "")) * 10}">' for i in range(1, 10)).replace("&lol0;", "&lol;") +
  ']>\n<score-partwise><work><work-title>&lol9;</work-title></work></score-partwise>')
w("xxe.musicxml", '<?xml version="1.0"?>\n<!DOCTYPE score-partwise [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
  '<score-partwise><work><work-title>&xxe;</work-title></work></score-partwise>')
w("dtd_public.musicxml", '<?xml version="1.0"?>\n<!DOCTYPE score-partwise PUBLIC "-//Recordare//DTD MusicXML 3.1 Partwise//EN" '
  '"http://www.musicxml.org/dtds/partwise.dtd">\n' + score([bar] * 2)[len(HEAD):])
w("meter_0_4.musicxml", score([bar] * 2, beats="0"))
w("meter_13_0.musicxml", score([bar] * 2, beats="13", beat_type="0"))
w("meter_neg.musicxml", score([bar] * 2, beats="-4"))
w("fifths_huge.musicxml", score([bar] * 2, fifths="99999999999"))
w("unicode_title.musicxml", score([bar] * 2, title="Ŧüñé 🎻 \u202e evil \u0000".replace("\u0000", "")))
w("dur_zero.musicxml", score([note(dur=0) * 4] * 2))
w("dur_neg.musicxml", score([note(dur=-1) * 4] * 2))
w("dur_nan.musicxml", score([note(dur="NaN") * 4] * 2))
w("octave_99.musicxml", score([note(octave=99) * 4] * 2))
w("octave_neg.musicxml", score([note(octave=-5) * 4] * 2))
w("step_bad.musicxml", score([note(step="H") * 4] * 2))
w("tempo_0.musicxml", score(['<direction><sound tempo="0"/></direction>' + bar] * 2))
w("tempo_huge.musicxml", score(['<direction><sound tempo="1e300"/></direction>' + bar] * 2))
w("tempo_nan.musicxml", score(['<direction><sound tempo="nan"/></direction>' + bar] * 2))
w("div_tiny.musicxml", score([note(dur=1) * 4] * 2, divisions="0.0000001"))
w("backup_huge.musicxml", score([bar + "<backup><duration>100000000</duration></backup>" + bar] * 2))
w("forward_huge.musicxml", score([bar + "<forward><duration>100000000</duration></forward>"] * 2))
w("staves_huge.musicxml", score([bar] * 2, extra_attr="<staves>100000</staves>"))
w("staff_huge.musicxml", score([note().replace("</note>", "<staff>100000</staff></note>") * 4] * 2))
w("voice_many.musicxml", score(["".join(note().replace("</note>", f"<voice>{v}</voice></note>") +
                                        "<backup><duration>1</duration></backup>" for v in range(1, 400))]))
w("parts300.musicxml", HEAD + '<score-partwise><part-list>' +
  "".join(f'<score-part id="P{i}"><part-name>p</part-name></score-part>' for i in range(300)) + "</part-list>" +
  "".join(f'<part id="P{i}"><measure number="1"><attributes><divisions>1</divisions></attributes>{bar}</measure></part>'
          for i in range(300)) + "</score-partwise>")
w("timewise.musicxml", HEAD + '<score-timewise><part-list><score-part id="P1"><part-name>x</part-name></score-part>'
  '</part-list><measure number="1"><part id="P1"><attributes><divisions>1</divisions></attributes>' + bar +
  "</part></measure></score-timewise>")
w("harmony_weird.musicxml", score(['<harmony><root><root-step>C</root-step><root-alter>1e308</root-alter></root>'
                                   '<kind>major</kind></harmony>' + bar] * 2))
w("harmony_alter_huge.musicxml", score(['<harmony><root><root-step>C</root-step><root-alter>100000000</root-alter></root>'
                                        '<kind>major</kind></harmony>' + bar] * 2))
w("tuplet_weird.musicxml", score([note(dur=1).replace("</note>", "<time-modification><actual-notes>0</actual-notes>"
                                                           "<normal-notes>0</normal-notes></time-modification></note>") * 4] * 2))
w("tuplet_huge.musicxml", score([note(dur=1).replace("</note>", "<time-modification><actual-notes>99999999</actual-notes>"
                                                           "<normal-notes>1</normal-notes></time-modification></note>") * 4] * 2))
w("ending_weird.musicxml", score(['<barline location="left"><ending number="1,2,3,99999999" type="start"/></barline>' + bar +
                                  '<barline location="right"><ending number="1" type="stop"/><repeat direction="backward"/></barline>'] * 2))
w("segno_loop.musicxml", score(['<direction><direction-type><segno/></direction-type><sound segno="s"/></direction>' + bar,
                                bar + '<direction><direction-type><words>D.S.</words></direction-type><sound dalsegno="s"/></direction>'] * 50))
w("repeats_nested.musicxml", score(['<barline location="left"><repeat direction="forward"/></barline>' + bar +
                                    '<barline location="right"><repeat direction="backward" times="32"/></barline>'] * 300))
w("pcdata_huge.musicxml", score([bar] * 2, title="x" * 20_000_000))
w("utf16.musicxml", score([bar] * 2).replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16"))
w("xml_as.mid", score([bar] * 2))


def mxl(name, members, container=None, method=zipfile.ZIP_DEFLATED):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as z:
        if container is not None:
            z.writestr("META-INF/container.xml", container)
        for n, d in members.items():
            z.writestr(n, d)
    w(name, buf.getvalue())


cont = ('<?xml version="1.0"?><container><rootfiles><rootfile full-path="{}" media-type="application/vnd.recordare.musicxml+xml"/>'
        '</rootfiles></container>')
mxl("ok.mxl", {"score.xml": score([bar] * 4)}, cont.format("score.xml"))
mxl("bomb.mxl", {"score.xml": score([bar] * 4) + " " * 500_000_000}, cont.format("score.xml"))
mxl("traversal.mxl", {"../../../../tmp/hostile/pwned.xml": score([bar] * 4)}, cont.format("../../../../tmp/hostile/pwned.xml"))
mxl("abs_name.mxl", {"/etc/passwd.xml": score([bar] * 4)}, cont.format("/etc/passwd.xml"))
mxl("container_missing.mxl", {"score.xml": score([bar] * 4)}, cont.format("nope.xml"))
mxl("container_laughs.mxl", {"score.xml": score([bar] * 4)},
    '<?xml version="1.0"?><!DOCTYPE c [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><container>&b;</container>')
mxl("empty.mxl", {}, None)
mxl("nested.mxl", {"inner.mxl": open(OUT / "ok.mxl", "rb").read()}, None)
mxl("laughs.mxl", {"score.xml": (OUT / "laughs.musicxml").read_text()}, cont.format("score.xml"))
mxl("xxe.mxl", {"score.xml": (OUT / "xxe.musicxml").read_text()}, cont.format("score.xml"))
mxl("many_members.mxl", {f"m{i}.txt": "" for i in range(100_000)} | {"score.xml": score([bar] * 4)}, cont.format("score.xml"))
mxl("garbage_member.mxl", {"score.xml": bytes(rnd.randrange(256) for _ in range(5000))}, cont.format("score.xml"))
w("trunc.mxl", (OUT / "ok.mxl").read_bytes()[:200])
w("mxl_as.musicxml", (OUT / "ok.mxl").read_bytes())

# ---------------------------------------------------------------- ABC
abc_head = "X:1\nT:t\nM:4/4\nL:1/8\nK:D\n"
w("ok.abc", abc_head + "|:DEFG ABcd|edcB AGFE:|\n")
w("empty.abc", b"")
w("garbage.abc", bytes(rnd.randrange(256) for _ in range(5000)))
w("bars100k.abc", abc_head + "|".join(["DEFG"] * 100_000) + "|\n")
w("bars9k.abc", abc_head + "|".join(["DEFG ABcd"] * 9_000) + "|\n")
w("key_nonsense.abc", "X:1\nT:t\nM:4/4\nL:1/8\nK:Qx# lydianish %%%%\n|DEFG ABcd|\n")
w("key_exp.abc", "X:1\nT:t\nM:4/4\nL:1/8\nK:C exp ^f ^c ^g ^d ^a ^e ^b _b _e _a _d _g _c _f\n|DEFG ABcd|\n")
w("unicode_title.abc", "X:1\nT:Ŧüñé 🎻 \u202eevil\nM:4/4\nL:1/8\nK:D\n|DEFG ABcd|\n")
w("meter_0_4.abc", "X:1\nT:t\nM:0/4\nL:1/8\nK:D\n|DEFG ABcd|\n")
w("meter_13_0.abc", "X:1\nT:t\nM:13/0\nL:1/8\nK:D\n|DEFG ABcd|\n")
w("L_0.abc", "X:1\nT:t\nM:4/4\nL:0/8\nK:D\n|DEFG ABcd|\n")
w("Q_0.abc", "X:1\nT:t\nM:4/4\nL:1/8\nQ:1/4=0\nK:D\n|DEFG ABcd|\n")
w("Q_huge.abc", "X:1\nT:t\nM:4/4\nL:1/8\nQ:1/4=99999999999\nK:D\n|DEFG ABcd|\n")
w("tuplet_huge.abc", abc_head + "|(99999DEFG|\n")
w("slashes.abc", abc_head + "|D" + "/" * 10_000 + "EFG|\n")
w("octaves.abc", abc_head + "|d" + "'" * 100 + " C" + "," * 100 + "|\n")
w("chord_huge.abc", abc_head + "|[" + "CDEFGAB" * 5000 + "]|\n")
w("tunes5k.abc", "".join(f"X:{i}\nT:t{i}\nM:4/4\nL:1/8\nK:D\n|DEFG ABcd|\n\n" for i in range(1, 5001)))
w("voices300.abc", "X:1\nT:t\nM:4/4\nL:1/8\n" + "".join(f"V:{i}\n" for i in range(300)) + "K:D\n" +
  "".join(f"[V:{i}] DEFG ABcd|\n" for i in range(300)))
w("abc_as.mid", abc_head + "|DEFG ABcd|\n")
w("repeat_many.abc", abc_head + "|:DEFG:|" * 5000 + "\n")
w("long_line.abc", abc_head + "D" * 1_500_000 + "|\n")

# ---------------------------------------------------------------- kern, jsb json, progressions
kern_ok = "**kern\n*M4/4\n*k[f#c#]\n=1\n4d\n4e\n4f#\n4g\n=2\n4a\n4b\n4cc#\n4dd\n*-\n"
w("ok.krn", kern_ok)
w("kern_percent.krn", "**kern\n*M4/4\n=1\n4%1000000000d\n4e\n*-\n")
w("kern_manydots.krn", "**kern\n*M4/4\n=1\n4" + "." * 100_000 + "d\n*-\n")
w("kern_bigdigits.krn", "**kern\n*M4/4\n=1\n" + "9" * 5000 + "d\n*-\n")
w("kern_letters.krn", "**kern\n*M4/4\n=1\n4" + "c" * 1000 + "\n4" + "C" * 1000 + "\n*-\n")
w("kern_meter_huge.krn", "**kern\n*M99999999/1\n=1\n4d\n*-\n")
w("kern_meter_0.krn", "**kern\n*M0/0\n=1\n4d\n*-\n")
w("kern_tempo0.krn", "**kern\n*MM0\n*M4/4\n=1\n4d\n*-\n")
w("kern_tempo_huge.krn", "**kern\n*MM99999999999999\n*M4/4\n=1\n4d\n*-\n")
w("kern_200k.krn", "**kern\n*M4/4\n" + "".join("=1\n16d\n16e\n16f\n16g\n" for _ in range(60_000)) + "*-\n")
w("kern_bars20k.krn", "**kern\n*M4/4\n" + "".join("=\n4d\n4e\n4f\n4g\n" for _ in range(20_000)) + "*-\n")
w("kern_spines.krn", "\t".join(["**kern"] * 5000) + "\n" + "\t".join(["*^"] * 5000) + "\n" + "\t".join(["4c"] * 10000) + "\n")
w("kern_split_many.krn", "**kern\n" + "".join("\t".join(["*^"] + ["*"] * (2 ** min(i, 12) - 1)) + "\n" for i in range(14)) + "4c\n")
w("kern_zero.krn", "**kern\n*M4/4\n=1\n" + "0d\n" * 10 + "*-\n")
w("kern_nodata.krn", "4c\n4d\n")
w("kern_key_weird.krn", "**kern\n*k[f#f#f#f#f#f#f#f#f#f#f#f#f#f#f#f#f#f#f#f#]\n*M4/4\n=1\n4d\n*-\n")
w("kern_chord_huge.krn", "**kern\t**kern\n*M4/4\t*M4/4\n=1\t=1\n1G:" + ":9-" * 100000 + "\t4d\n*-\t*-\n")
w("kern_title_huge.krn", "!!!OTL: " + "x" * 2_000_000 + "\n" + kern_ok)
w("kern_binary.krn", b"**kern\n\x00\x01\x02")
w("kern_bom_latin.krn", "\ufeff" + kern_ok)

w("jsb_ok.json", json.dumps({"train": [[[60, 64, 67, 48]] * 16], "valid": [], "test": []}))
w("jsb_deep.json", '{"train": ' + "[" * 100_000 + "]" * 100_000 + "}")
w("jsb_types.json", json.dumps({"train": [["x", None, {"a": 1}, 5]], "valid": "nope"}))
w("jsb_pitches.json", json.dumps({"train": [[[1e308, -5, 500, float("nan")]] * 4]}).replace("NaN", "NaN"))
w("jsb_inf.json", '{"train": [[[Infinity, 60], [60]]]}')
w("jsb_steps.json", json.dumps({"train": [[[60, 64, 67, 48]] * 500_000]}))
w("jsb_many.json", json.dumps({"train": [[[60, 64, 67, 48]] * 4] * 200_000}))
w("jsb_bigint.json", '{"train": [[[' + "9" * 5000 + ']]]}')
w("jsb_notdict.json", "[1, 2, 3]")
w("jsb_scalar.json", '{"train": 5}')
w("jsb_chord_wide.json", json.dumps({"train": [[list(range(20, 100))] * 8]}))
w("sidecar_style.json", '{"train": []}')

w("prog_ok.txt", "Title = Blues\n| C7 | F7 | C7 | C7 |\n")
w("prog_huge.txt", "Title = x\n" + "| C " * 300_000 + "|\n")
w("prog_weird.txt", "Title = x\n| Xq#7b9b9b9b9b9b9b9b9b9b9b9b9b9 | " + "C" * 10000 + " |\n")
w("prog_meter.txt", "Title = x\nTime = 99999/0\n| C | F |\n")
w("prog_binary.txt", b"Title = x |\x00\x00\x00")

# polyphonic kern (two or more **kern spines, no chord spine): read through music21's Humdrum parser
hdr = "**kern\t**kern\n"
w("poly_ok.krn", hdr + "*M4/4\t*M4/4\n=1\t=1\n4c\t4e\n4d\t4f\n4e\t4g\n4f\t4a\n*-\t*-\n")
w("poly_meter_huge.krn", hdr + "*M99999/1\t*M99999/1\n=1\t=1\n4c\t4e\n*-\t*-\n")
w("poly_percent.krn", hdr + "*M4/4\t*M4/4\n=1\t=1\n4%100000000c\t4e\n*-\t*-\n")
w("poly_lines.krn", hdr + "*M4/4\t*M4/4\n" + "=\t=\n16c\t16e\n16d\t16f\n16e\t16g\n16f\t16a\n" * 30000 + "*-\t*-\n")
w("poly_spines300.krn", "\t".join(["**kern"] * 300) + "\n" + "\t".join(["4c"] * 300) + "\n" + "\t".join(["*-"] * 300) + "\n")
w("poly_tempo0.krn", hdr + "*MM0\t*MM0\n*M4/4\t*M4/4\n=1\t=1\n4c\t4e\n*-\t*-\n")
w("poly_bigdigits.krn", hdr + "*M4/4\t*M4/4\n=1\t=1\n" + "9" * 5000 + "c\t4e\n*-\t*-\n")
w("poly_letters.krn", hdr + "*M4/4\t*M4/4\n=1\t=1\n4" + "c" * 1000 + "\t4e\n*-\t*-\n")
w("poly_split.krn", hdr + "".join("\t".join(["*^"] * (2 ** i) + ["*"]) + "\n" for i in range(10)) + "\n")

# ---------------------------------------------------------------- other
w("noext", ok)
w("ok.weird", ok)
w("text.weird", "hello")
(OUT / "adir.mid").mkdir(exist_ok=True)
if not (OUT / "loop.mid").is_symlink():
    os.symlink(OUT / "loop.mid", OUT / "loop.mid")
if not (OUT / "dangling.mid").is_symlink():
    os.symlink("/nonexistent/x.mid", OUT / "dangling.mid")
if not (OUT / "fifo.mid").exists():
    os.mkfifo(OUT / "fifo.mid")
w("name with spaces ü.mid", ok)
w("-dash.mid", ok)
print("made", len(list(OUT.iterdir())), "files in", OUT)
