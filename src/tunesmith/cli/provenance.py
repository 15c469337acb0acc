"""`tunesmith provenance FILE...`: how a MIDI, MusicXML or WAV file says it was made."""

from __future__ import annotations

import argparse

HELP = "show the provenance a tunesmith file carries in itself (MIDI, MusicXML, WAV with C2PA credentials; a take's STEM.json)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("files", nargs="+", help=".mid, .musicxml or .wav files, or a take's .json (exit 1 if a file's C2PA credentials, "
                        "or a MIDI or MusicXML file's signature over its notes, say it changed since signing, 2 if a "
                        "file cannot be read)")
    parser.add_argument("--json", action="store_true", help="print one JSON object per file, one per line (errors too)")


def run(args: argparse.Namespace) -> int:
    import json
    import sys

    from tunesmith.api import provenance

    status = 0
    for path in args.files:  # a bad file is reported in its turn; the others are still read
        try:
            record = provenance(path)
        except (ValueError, OSError) as e:
            status = 2
            if args.json:
                print(json.dumps({"file": path, "error": str(e), "exit_status": 2}))
            else:
                from tunesmith.cli import one_line

                print(f"tunesmith provenance: error: {one_line(e)}", file=sys.stderr)
            continue
        if args.json:
            print(json.dumps(record, default=str))
        else:
            print_record(record)
        cc = record.get("content_credentials")
        from tunesmith.rights.claims import CHANGED

        if (cc is not None and not cc["intact"]) or record.get("notes_signature") == CHANGED:
            status = max(status, 1)  # a file changed since it was signed: a script checking files must see it
    return status


def print_record(record: dict) -> None:
    from tunesmith.rights.provenance import AI_GENERATED, CO_CREATED, MUSICIANS_OWN, made_how

    fields = record["fields"]
    if not record["made_by_tunesmith"]:
        print(f"{record['file']}: no tunesmith provenance in it")
        return
    signed = (record["content_credentials"] or {}).get("provenance") or {}
    model = fields.get("model") or (signed.get("model") or {}).get("id")
    seed = fields.get("seed", signed.get("seed"))
    licenses = fields.get("licenses") or signed.get("training_licenses")
    take, takes = fields.get("take", signed.get("take")), fields.get("takes", signed.get("takes"))
    # a co-created file, as every file kind records it: its request's command (`made_how`)
    part = fields.get("musicians_part") or signed.get("musicians_part")
    if not record["ai_generated"]:  # written out from the musician's own file (a studio upload's export)
        request = fields.get("request") if isinstance(fields.get("request"), dict) else {}
        source = f" ({request['command']} of {request['name']})" if request.get("command") and request.get("name") else ""
        said = MUSICIANS_OWN + source
    elif made_how({"request": fields.get("request"), "model": model, "seed": seed}) == "co-created":
        said = CO_CREATED + (f" (the musician's: {part})" if part else "")
    else:
        said = AI_GENERATED
    line = f"{record['file']}: {said}"
    line += f", model {model}" if model else ""
    tuned = fields.get("tuned_from")
    line += f" (tuned from {tuned['id']})" if isinstance(tuned, dict) and tuned.get("id") else ""
    line += f", seed {seed}" if seed is not None else ""
    line += f" (take {take} of {takes}: --seed {seed} --n {takes})" if take and takes and takes > 1 else ""
    if licenses:
        line += f", training data {licenses if isinstance(licenses, str) else ', '.join(licenses)}"
    print(line)
    checked = fields.get("copy_check")
    if isinstance(checked, dict) and checked.get("verdict"):
        # the copy guard's verdict and the works it found nearest (attribution), as the file carries them
        near = [f"{w.get('title') or w.get('work_id')} ({w.get('source')}, {w.get('license')}; score {w.get('score')})"
                for w in checked.get("nearest") or [] if isinstance(w, dict)]  # fmt: skip
        print(f"  copy check: {checked['verdict']} (score {checked.get('score')})"
              + (f"; nearest training works: {'; '.join(near)}" if near else ""))
        given = checked.get("input_resembles")
        if isinstance(given, dict) and given.get("verdict"):  # the musician's input, never counted, is a known work's
            print(f"  the musician's input (not counted): {'a copy of' if given['verdict'] == 'copy' else 'close to'} "
                  f"{given.get('title')} ({given.get('source')}, {given.get('license')}; score {given.get('score')})")
    if record["ai_generated"]:
        # what the user may do with it, as the take's JSON says (a teacher had found it only there)
        from tunesmith.rights.provenance import usage_note

        verdict = checked.get("verdict") if isinstance(checked, dict) else None
        nearest = (checked.get("nearest") or [{}])[0] if isinstance(checked, dict) else {}
        listed = [x.strip() for x in licenses.split(",")] if isinstance(licenses, str) else licenses
        how = made_how({"request": fields.get("request"), "model": model, "seed": seed})
        print("  what you may do with it: " + usage_note(listed, verdict, model_id=model, how=how,
                                                         nearest_license=(nearest or {}).get("license")))  # fmt: skip
    claim = record.get("musicians_claim")
    if claim is not None:
        from tunesmith.rights.claims import CHANGED, SIGNED, TRUSTED

        said = {SIGNED: "signed by this installation, and the file's notes are as signed",
                TRUSTED: "signed by an installation this one trusts, and the file's notes are as signed",
                CHANGED: "signed, but the file's notes or request have CHANGED since"}.get(claim, claim)  # fmt: skip
        print(f"  the musician's part: {said}")
    notes = record.get("notes_signature")
    if notes is not None:
        from tunesmith.rights.claims import CHANGED, OTHER_SIGNER, SIGNED, TRUSTED, signed_what

        said = {SIGNED: "as tunesmith wrote them (signed by this installation)",
                TRUSTED: "as tunesmith wrote them (signed by an installation this one trusts)",
                OTHER_SIGNER: "signed by an installation this one does not trust (`tunesmith identity --trust`)",
                CHANGED: "CHANGED since tunesmith wrote them (edited, or the record is another file's)"}.get(notes, notes)  # fmt: skip
        print(f"  {signed_what(record.get('fields') or {})}: {said}")
    cc = record["content_credentials"]
    if cc is not None:
        found = [p for p in cc["problems"] if p != "signingCredential.untrusted"]
        state = "intact" if cc["intact"] else f"CHANGED since signing ({', '.join(found)})"
        print(f"  C2PA Content Credentials: {state}; signed by {cc['signer']} (a local identity, not a trusted certificate)")
    elif record["kind"] == "wav":
        print("  no C2PA Content Credentials")
    if cc is None:  # a forged MIDI had read as a trusted "made by tunesmith"
        from tunesmith.rights.claims import CHANGED, SIGNED, TRUSTED

        if notes in (SIGNED, TRUSTED):
            what = "besides the signed notes and record, "
        elif claim in (SIGNED, TRUSTED):
            what = "besides the musician's part, "
        else:
            what = "the signature no longer matches: " if CHANGED in (notes, claim) else "unsigned: "
        print(f"  ({what}these fields are text in the file, which anyone can write; a WAV's C2PA credentials are signed)")
