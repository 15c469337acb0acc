# ruff: noqa  -- a trial's throwaway file builder, kept as the helper wrote it so the trial can be rerun
from make import *
tpq = 480
# 16. generic DAW track names: "Inst 1" = piano chords first, "Inst 2" = melody
mf = MidiFile(type=1, ticks_per_beat=tpq)
mf.tracks.append(track_from(meta0(tpq, 100), ""))
mf.tracks.append(track_from(chord_events(tpq, 0), "Inst 1"))
mf.tracks.append(track_from(notes(MEL, tpq, ch=1), "Inst 2"))
mf.save("16_generic_names.mid")
# 17. D minor melody with the DAW's default key signature C major
mf = MidiFile(type=1, ticks_per_beat=tpq)
mf.tracks.append(track_from(meta0(tpq, 90, key="C"), ""))
mf.tracks.append(track_from(notes(DMIN, tpq, ch=0), "Melody"))
mf.save("17_Dminor_default_C_keysig.mid")
# 18. pitch bends on a lead + modulation
ev = notes(MEL, tpq, ch=0)
for b in range(0, 32, 4):
    for k in range(8):
        ev.append((b * tpq + k * 20, Message("pitchwheel", channel=0, pitch=k * 500)))
    ev.append((b * tpq + 200, Message("pitchwheel", channel=0, pitch=0)))
mf = MidiFile(type=1, ticks_per_beat=tpq)
mf.tracks.append(track_from(meta0(tpq, 100), ""))
mf.tracks.append(track_from(ev, "Synth Lead"))
mf.save("18_pitchbend_lead.mid")
