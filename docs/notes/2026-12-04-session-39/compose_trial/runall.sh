#!/usr/bin/env bash
# A musician's first day with `tunesmith compose`: ~30 requests, each logged with its exit status.
# Outputs go to /tmp/compose39 (not the repo). Usage: bash runall.sh
set -u
T=/work/main/.venv/bin/tunesmith
O=/tmp/compose39
mkdir -p "$O"
cd "$O" || exit 1
try() {  # try NAME ARGS...: one request, its output and exit status in $O/log.txt
  local name=$1; shift
  echo "=== $name: compose $*" >>"$O/log.txt"
  nice "$T" compose "$@" >"$O/$name.out" 2>"$O/$name.err"
  local rc=$?
  { cat "$O/$name.out" "$O/$name.err"; echo "rc=$rc"; } >>"$O/log.txt"
}
rm -f "$O/log.txt"
# styles, keys, meters
try jig        --style folk --key D --meter 6/8 --bars 16 --tempo 110 --seed 7 --out $O/jig --force
try reel       --style folk --dance reel --key G --seed 3 --out $O/reel --force
try dorian     --style folk --key D --mode dorian --meter 4/4 --bars 16 --seed 11 --out $O/dorian --force
try eminor     --style folk --key "E minor" --meter 3/4 --bars 16 --seed 5 --out $O/eminor --force
try slipjig    --style folk --meter 9/8 --bars 16 --key A --seed 2 --out $O/slipjig --force
try bb_pop     --style pop --key Bb --bars 32 --seed 4 --out $O/bb_pop --force
try fsm_pop    --style pop --key "F# minor" --bars 16 --tempo 84 --seed 9 --out $O/fsm_pop --force
try jazz_ii    --style jazz --chords "Dm7 G7 Cmaj7 Cmaj7" --bars 8 --n 3 --seed 1 --out $O/jazz_ii --force
try jazz_eb    --style jazz --key Eb --bars 32 --form AABA --seed 8 --out $O/jazz_eb --force
try chorale_g  --style chorale --key "g minor" --bars 8 --range C3:A5 --seed 6 --out $O/chorale_g --force
try chorale_68 --style chorale --key F --meter 6/8 --bars 12 --seed 10 --out $O/chorale_68 --force
try chorale_34 --style chorale --key A --meter 3/4 --bars 16 --cadence home --seed 12 --out $O/chorale_34 --force
try five4      --style jazz --meter 5/4 --bars 8 --seed 13 --out $O/five4 --force
try seven8     --style folk --meter 7/8 --bars 8 --seed 14 --out $O/seven8 --force
try cut        --style folk --meter 2/2 --bars 16 --key F --seed 15 --out $O/cut --force
try twelve8    --style pop --meter 12/8 --bars 8 --key Ab --seed 16 --out $O/twelve8 --force
try bars4      --style folk --bars 4 --seed 17 --out $O/bars4 --force
try bars64     --style pop --bars 64 --seed 18 --out $O/bars64 --force
try range      --style folk --key G --range G4:D6 --seed 19 --out $O/range --force
try free       --style jazz --cadence free --form none --bars 12 --seed 20 --out $O/free --force
try pickup     --style folk --meter 4/4 --pickup 1 --bars 8 --seed 21 --out $O/pickup --force
try userchords --style pop --chords "C G Am F" --key C --bars 8 --seed 22 --out $O/userchords --force
try fsharpchords --style folk --chords "F#m D A E" --bars 8 --seed 23 --out $O/fsharpchords --force
try json       --style folk --bars 8 --seed 24 --json --out $O/json --force
try inscale    --style pop --key E --in-scale --bars 8 --seed 25 --out $O/inscale --force
try tempo40    --style chorale --tempo 40 --bars 8 --seed 26 --out $O/tempo40 --force
try mixo       --style folk --key G --mode mixolydian --meter 2/4 --bars 16 --seed 27 --out $O/mixo --force
# wrong values: one clear line each
try bad_key    --style folk --key "H major" --out $O/bad --force
try bad_meter  --style folk --meter 4/0 --out $O/bad --force
try bad_meter2 --style folk --meter waltz --out $O/bad --force
try bars0      --style folk --bars 0 --out $O/bad --force
try bars10000  --style folk --bars 10000 --out $O/bad --force
try barsneg    --style folk --bars -4 --out $O/bad --force
try tempo5000  --style folk --tempo 5000 --out $O/bad --force
try tempo0     --style folk --tempo 0 --out $O/bad --force
try bad_style  --style polka --out $O/bad --force
try narrow     --style folk --range C4:F4 --out $O/bad --force
try bad_range  --style folk --range G5:C4 --out $O/bad --force
try bad_range2 --style folk --range X9:Y9 --out $O/bad --force
try bad_mode   --style folk --key D --mode bluesy --out $O/bad --force
try bad_form   --style folk --form XYZ7 --bars 16 --out $O/bad --force
try form_nodiv --style folk --form AABB --bars 10 --out $O/bad --force
try bad_chord  --style jazz --chords "Cmaj7 Q7" --out $O/bad --force
try bad_dance  --style folk --dance tango --out $O/bad --force
try dance_pop  --style pop --dance reel --out $O/bad --force
try n0         --style folk --n 0 --out $O/bad --force
try n1000      --style folk --n 1000 --out $O/bad --force
try bad_pickup --style folk --pickup 9 --out $O/bad --force
try bad_temp   --style folk --temperature -1 --out $O/bad --force
try bad_topp   --style folk --top-p 2 --out $O/bad --force
try bad_mod    --style chorale --modulation X --out $O/bad --force
try mod_lead   --style folk --modulation V --out $O/bad --force
try bad_json   --style folk --bars 0 --json --out $O/bad --force
try key_mode2  --style folk --key "D minor" --mode major --bars 8 --seed 1 --out $O/key_mode2 --force
try key_lower  --style folk --key bb --bars 8 --seed 1 --out $O/key_lower --force
try key_flat_word --style folk --key "B flat" --bars 8 --seed 1 --out $O/key_flat_word --force
try no_force   --style folk --bars 8 --seed 7 --out $O/jig
try key_asharp  --style pop --key "A#" --bars 4 --seed 1 --out $O/bad --force
try key_gsharp  --style pop --key "G# major" --bars 4 --seed 1 --out $O/bad --force
try key_dbminor --style pop --key "Db minor" --bars 4 --seed 1 --out $O/bad --force
try chfrom_given --style pop --chords "C F G C" --chords-from harmonizer --bars 4 --out $O/bad --force
try chfrom_chorale --style chorale --chords-from harmonizer --bars 4 --out $O/bad --force
try chopt_given --style jazz --chords "C F G C" --chords-optional --bars 4 --out $O/bad --force
echo done
