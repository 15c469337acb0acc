# ruff: noqa  -- a trial's throwaway file builder, kept as the helper wrote it so the trial can be rerun
"""Build DAW-style MIDI files for the tunesmith trial (session 38, a helper): run in an empty folder,
then `bash runall.sh *.mid` there (check, continue, harmonize, inpaint of each)."""
import random
import mido
from mido import Message, MetaMessage, MidiFile, MidiTrack

random.seed(7)

def track_from(events, name=None):
    """events: list of (abs_tick, msg). Returns a MidiTrack with delta times."""
    t = MidiTrack()
    if name is not None:
        t.append(MetaMessage("track_name", name=name, time=0))
    # note-offs before note-ons at the same tick
    def order(e):
        tick, m = e
        pri = 0 if m.is_meta else (1 if (m.type == "note_off" or (m.type == "note_on" and m.velocity == 0)) else 2)
        return (tick, pri)
    last = 0
    for tick, m in sorted(events, key=order):
        t.append(m.copy(time=tick - last))
        last = tick
    t.append(MetaMessage("end_of_track", time=0))
    return t

def notes(seq, tpq, ch=0, start=0, vel=90, zero_vel_off=False, jitter=0, legato=0, velvar=0):
    """seq: list of (pitch or None, beats). Returns list of events."""
    ev = []
    t = start
    for p, d in seq:
        dur = int(d * tpq)
        if p is not None:
            ps = p if isinstance(p, (list, tuple)) else [p]
            for q in ps:
                on = t + (random.randint(-jitter, jitter) if jitter else 0)
                off = t + dur + legato + (random.randint(-jitter, jitter) if jitter else 0)
                on = max(on, 0)
                v = max(1, min(127, vel + (random.randint(-velvar, velvar) if velvar else 0)))
                ev.append((on, Message("note_on", channel=ch, note=q, velocity=v)))
                if zero_vel_off:
                    ev.append((off, Message("note_on", channel=ch, note=q, velocity=0)))
                else:
                    ev.append((off, Message("note_off", channel=ch, note=q, velocity=64)))
        t += dur
    return ev

# an 8-bar melody in C major, 4/4 (quarters/eighths), over C Am F G | C Am Dm G-C
MEL = [(64,1),(67,1),(72,1.5),(71,.5), (69,1),(72,1),(76,2), (77,1),(76,.5),(74,.5),(72,1),(69,1), (67,2),(71,1),(74,1),
       (72,1),(67,1),(64,1.5),(65,.5), (69,1),(67,1),(64,2), (62,1),(65,1),(69,1),(67,1), (72,4)]
CHORDS = [[48,52,55],[45,48,52],[41,45,48],[43,47,50],[48,52,55],[45,48,52],[50,53,57],[48,52,55]]
BASS = [36,33,29,31,36,33,38,36]

def chord_events(tpq, ch, bar_beats=4, start=0, vel=70, pedal_cc=False):
    ev = []
    for i, c in enumerate(CHORDS):
        t = start + i * bar_beats * tpq
        for q in c:
            ev.append((t, Message("note_on", channel=ch, note=q, velocity=vel)))
            ev.append((t + bar_beats * tpq - tpq // 8, Message("note_off", channel=ch, note=q, velocity=0)))
        if pedal_cc:
            ev.append((t + 10, Message("control_change", channel=ch, control=64, value=127)))
            ev.append((t + bar_beats * tpq - 20, Message("control_change", channel=ch, control=64, value=0)))
    return ev

def bass_events(tpq, ch, start=0):
    ev = []
    for i, p in enumerate(BASS):
        t = start + i * 4 * tpq
        for k, d in ((0, 2), (2, 1.5), (3.5, .5)):
            ev.append((t + int(k * tpq), Message("note_on", channel=ch, note=p if k != 3.5 else p + 7, velocity=95)))
            ev.append((t + int((k + d) * tpq) - 10, Message("note_off", channel=ch, note=p if k != 3.5 else p + 7, velocity=0)))
    return ev

def drum_events(tpq, bars, start=0):
    ev = []
    for b in range(bars):
        for beat in range(4):
            t = start + (b * 4 + beat) * tpq
            ev.append((t, Message("note_on", channel=9, note=36 if beat % 2 == 0 else 38, velocity=100)))
            ev.append((t + tpq // 4, Message("note_off", channel=9, note=36 if beat % 2 == 0 else 38, velocity=0)))
            for h in (0, tpq // 2):
                ev.append((t + h, Message("note_on", channel=9, note=42, velocity=70)))
                ev.append((t + h + tpq // 8, Message("note_off", channel=9, note=42, velocity=0)))
    return ev

def meta0(tpq, tempo=100, ts=(4, 4), key="C", with_ts=True, with_key=True):
    ev = [(0, MetaMessage("set_tempo", tempo=mido.bpm2tempo(tempo)))]
    if with_ts:
        ev.append((0, MetaMessage("time_signature", numerator=ts[0], denominator=ts[1])))
    if with_key and key:
        ev.append((0, MetaMessage("key_signature", key=key)))
    return ev

# 1. type 0, all channels in one track
tpq = 480
ev = meta0(tpq) + [(0, Message("program_change", channel=0, program=73)), (0, Message("program_change", channel=1, program=33)),
                   (0, Message("program_change", channel=2, program=0))]
ev += notes(MEL, tpq, ch=0) + bass_events(tpq, 1) + chord_events(tpq, 2) + drum_events(tpq, 8)
mf = MidiFile(type=0, ticks_per_beat=tpq); mf.tracks.append(track_from(ev, "Song")); mf.save("01_type0_channels.mid")

# 2. type 1 DAW: tempo track only, Lead/Bass/Keys(+CC64)/Drums, 960 tpq
tpq = 960
mf = MidiFile(type=1, ticks_per_beat=tpq)
mf.tracks.append(track_from(meta0(tpq, 96, key="C"), "Tempo"))
mf.tracks.append(track_from([(0, Message("program_change", channel=0, program=81))] + notes(MEL, tpq, ch=0), "Lead"))
mf.tracks.append(track_from([(0, Message("program_change", channel=1, program=33))] + bass_events(tpq, 1), "Bass"))
mf.tracks.append(track_from([(0, Message("program_change", channel=2, program=4))] + chord_events(tpq, 2, pedal_cc=True), "Keys"))
mf.tracks.append(track_from(drum_events(tpq, 8), "Drums"))
mf.save("02_daw_type1_960.mid")

# 3. 96 tpq, one bar count-in (silence), no time signature meta, no key
tpq = 96
ev = [(0, MetaMessage("set_tempo", tempo=mido.bpm2tempo(110)))] + notes(MEL, tpq, ch=0, start=4 * tpq)
mf = MidiFile(type=1, ticks_per_beat=tpq); mf.tracks.append(track_from(ev[:1], "")); mf.tracks.append(track_from(ev[1:], "Melody"))
mf.save("03_countin_96_nots.mid")

# 4. 3/4 waltz in A minor with key signature, melody + bass
tpq = 480
WALTZ = [(69,2),(72,1), (71,2),(69,1), (68,3), (64,3), (65,2),(69,1), (67,2),(65,1), (64,2),(68,1), (69,3)]
WBASS = [45,45,40,40,38,36,40,45]
ev_b = []
for i, p in enumerate(WBASS):
    t = i * 3 * tpq
    ev_b += [(t, Message("note_on", channel=1, note=p, velocity=80)), (t + tpq - 20, Message("note_off", channel=1, note=p))]
    for k in (1, 2):
        for q in (p + 12, p + 16 if i not in (2, 3, 6) else p + 16):
            ev_b += [(t + k * tpq, Message("note_on", channel=1, note=q, velocity=60)), (t + (k + 1) * tpq - 20, Message("note_off", channel=1, note=q))]
mf = MidiFile(type=1, ticks_per_beat=tpq)
mf.tracks.append(track_from(meta0(tpq, 150, (3, 4), "Am"), "Waltz"))
mf.tracks.append(track_from(notes(WALTZ, tpq, ch=0), "Violin"))
mf.tracks.append(track_from(ev_b, "Piano LH"))
mf.save("04_waltz_34_Aminor.mid")

# 5. 6/8 jig in D, ts meta 6/8 (eighth = 0.5 beat)
JIG = [(62,.5),(66,.5),(69,.5),(74,1),(69,.5), (71,.5),(69,.5),(66,.5),(69,1.5),
       (67,.5),(71,.5),(74,.5),(71,1),(67,.5), (66,.5),(69,.5),(66,.5),(62,1.5),
       (62,.5),(66,.5),(69,.5),(74,1),(73,.5), (71,.5),(73,.5),(74,.5),(76,1.5),
       (74,.5),(73,.5),(71,.5),(69,.5),(67,.5),(64,.5), (62,1.5),(62,1.5)]
mf = MidiFile(type=1, ticks_per_beat=tpq)
mf.tracks.append(track_from(meta0(tpq, 100, (6, 8), "D"), ""))
mf.tracks.append(track_from(notes(JIG, tpq, ch=0, vel=85), "Tin Whistle"))
mf.save("05_jig_68.mid")

# 6. tempo change mid-piece and a ritardando as many tempo events at the end
tpq = 480
ev = meta0(tpq, 120) + [(16 * tpq, MetaMessage("set_tempo", tempo=mido.bpm2tempo(90)))]
for i in range(16):
    ev.append((28 * tpq + i * tpq // 4, MetaMessage("set_tempo", tempo=mido.bpm2tempo(90 - 2.5 * i))))
mf = MidiFile(type=1, ticks_per_beat=tpq)
mf.tracks.append(track_from(ev, "Conductor"))
mf.tracks.append(track_from(notes(MEL, tpq), "Melody"))
mf.save("06_tempo_change_rit.mid")

# 7. keyboard recording: jitter +-20ms (at 100 bpm 480 tpq: 16 ticks), legato overlaps, velocity variation,
# zero-velocity note-offs, running status (mido writes running status when consecutive status bytes match)
tpq = 480
ev = [(0, MetaMessage("set_tempo", tempo=mido.bpm2tempo(100))), (0, MetaMessage("time_signature", numerator=4, denominator=4))]
ev += notes(MEL, tpq, ch=0, zero_vel_off=True, jitter=16, legato=30, velvar=20)
ev += chord_events(tpq, 0, vel=60, pedal_cc=True)
mf = MidiFile(type=0, ticks_per_beat=tpq); mf.tracks.append(track_from(ev, "Grand Piano")); mf.save("07_keyboard_rec.mid")

# 8. melody doubled in octaves + grace notes
tpq = 480
ev = meta0(tpq, 100)
ev += notes(MEL, tpq, ch=0) + notes([(p + 12 if p else None, d) for p, d in MEL], tpq, ch=0)
# grace notes: 30 ticks before beat 1 of bars 3 and 5
for bar, p in ((2, 79), (4, 74)):
    t = bar * 4 * tpq
    ev += [(t - 30, Message("note_on", channel=0, note=p, velocity=70)), (t - 2, Message("note_off", channel=0, note=p))]
mf = MidiFile(type=1, ticks_per_beat=tpq)
mf.tracks.append(track_from(ev[:3], ""))
mf.tracks.append(track_from(ev[3:], "Flute 8va"))
mf.save("08_octaves_grace.mid")

# 9. D minor with key signature "Dm", melody only
DMIN = [(62,1),(65,1),(69,1.5),(67,.5), (65,1),(64,1),(62,2), (70,1),(69,.5),(67,.5),(65,1),(64,1), (61,2),(64,1),(69,1),
        (70,1),(69,1),(65,1.5),(67,.5), (69,1),(65,1),(62,2), (64,1),(65,1),(61,1),(64,1), (62,4)]
mf = MidiFile(type=1, ticks_per_beat=tpq)
mf.tracks.append(track_from(meta0(tpq, 90, key="Dm"), ""))
mf.tracks.append(track_from(notes(DMIN, tpq, ch=0), "Melody"))
mf.save("09_Dminor_keysig.mid")

# 10. melody on channel 10 by mistake (GM drums channel)
mf = MidiFile(type=1, ticks_per_beat=tpq)
mf.tracks.append(track_from(meta0(tpq, 100), ""))
mf.tracks.append(track_from(notes(MEL, tpq, ch=9), "Melody"))
mf.save("10_melody_ch10.mid")

# 11. an empty track, a controller-only track, then melody + piano
mf = MidiFile(type=1, ticks_per_beat=tpq)
mf.tracks.append(track_from(meta0(tpq, 100), "Tempo"))
mf.tracks.append(track_from([], "Audio 1"))
mf.tracks.append(track_from([(i * tpq, Message("control_change", channel=3, control=7, value=100 - i)) for i in range(32)], "Volume automation"))
mf.tracks.append(track_from(chord_events(tpq, 1), "Piano"))
mf.tracks.append(track_from(notes(MEL, tpq, ch=0), "Vocal"))
mf.save("11_empty_and_cc_tracks.mid")

# 12. DAW lead whose first note is a pickup of one beat, no marker (DAW exports start at bar 1 with rest)
PICK = [(None, 3), (67, 1)] + MEL
mf = MidiFile(type=1, ticks_per_beat=tpq)
mf.tracks.append(track_from(meta0(tpq, 100), ""))
mf.tracks.append(track_from(notes(PICK, tpq), "Lead"))
mf.save("12_pickup_in_bar1.mid")

# 13. melody played in on a keyboard at a different DAW tempo than the metronome? time sig 2/4 polka + 12/8
tpq = 480
POLKA = [(67,.5),(72,.5), (76,.5),(74,.5), (72,.5),(67,.5), (64,1), (65,.5),(69,.5), (72,.5),(71,.5), (69,.5),(67,.5), (67,1),
         (67,.5),(72,.5), (76,.5),(74,.5), (72,.5),(76,.5), (79,1), (77,.5),(74,.5), (71,.5),(67,.5), (72,1), (72,1)]
mf = MidiFile(type=1, ticks_per_beat=tpq)
mf.tracks.append(track_from(meta0(tpq, 120, (2, 4), "C"), ""))
mf.tracks.append(track_from(notes(POLKA, tpq, vel=100), "Accordion"))
mf.save("13_polka_24.mid")

# 14. 12/8 slow blues melody
BL = [(67,1.5),(70,1),(67,.5),(65,1.5),(63,1.5), (60,3),(None,3), (67,1.5),(70,1),(72,.5),(70,1.5),(67,1.5), (65,6)]
mf = MidiFile(type=1, ticks_per_beat=tpq)
mf.tracks.append(track_from(meta0(tpq, 60, (12, 8), "Cm"), ""))
mf.tracks.append(track_from(notes(BL, tpq), "Guitar Lead"))
mf.save("14_blues_128.mid")

# 15. time signature meta absent but key present; melody with meter change 4/4 -> 3/4 halfway
ev = meta0(tpq, 100) + [(16 * tpq, MetaMessage("time_signature", numerator=3, denominator=4))]
M2 = MEL[:13] + [(72,3),(71,3),(72,3),(72,3)]
mf = MidiFile(type=1, ticks_per_beat=tpq)
mf.tracks.append(track_from(ev, ""))
mf.tracks.append(track_from(notes(M2, tpq), "Melody"))
mf.save("15_meter_change.mid")
print("ok")
