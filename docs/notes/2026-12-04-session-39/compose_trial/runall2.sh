#!/usr/bin/env bash
# Second round: option interactions a musician would try (conflicts, options that may be ignored).
set -u
T=/work/main/.venv/bin/tunesmith
O=/tmp/compose39
cd "$O" || exit 1
try() {
  local name=$1; shift
  echo "=== $name: compose $*" >>"$O/log2.txt"
  nice "$T" compose "$@" >"$O/$name.out" 2>"$O/$name.err"
  local rc=$?
  { tail -c 1500 "$O/$name.out"; cat "$O/$name.err"; echo "rc=$rc"; } >>"$O/log2.txt"
}
rm -f "$O/log2.txt"
try jig44      --style folk --dance jig --meter 4/4 --seed 1 --out $O/jig44 --force
try waltz      --style folk --dance waltz --key G --bars 16 --seed 2 --out $O/waltz --force
try home_chords --style pop --chords "C G Am F" --cadence home --bars 8 --seed 3 --out $O/home_chords --force
try pop_pickup --style pop --pickup 1 --bars 8 --seed 4 --out $O/pop_pickup --force
try chorale_form --style chorale --form AABA --bars 16 --seed 5 --out $O/chorale_form --force
try chorale_narrow --style chorale --range C4:C5 --out $O/bad --force
try range_e4   --style folk --range C4:E4 --out $O/bad --force
try bars_abc   --style folk --bars abc --out $O/bad --force
try bars_abc_json --style folk --bars abc --json --out $O/bad --force
try no_style   --out $O/bad --force
try n3json     --style jazz --n 3 --seed 5 --bars 8 --json --out $O/n3json --force
try chordsopt  --style jazz --chords-optional --bars 8 --seed 6 --out $O/chordsopt --force
try dorian_inscale --style folk --key D --mode dorian --in-scale --bars 8 --seed 7 --out $O/dorian_inscale --force
try key_clash  --style jazz --key E --chords "Dm7 G7 Cmaj7" --bars 8 --seed 8 --out $O/key_clash --force
try modul      --style chorale --modulation V --bars 8 --key D --seed 9 --out $O/modul --force
try modul_short --style chorale --modulation V --bars 4 --out $O/bad --force
try form_pop   --style pop --form A4A4B8A4 --bars 20 --seed 10 --out $O/form_pop --force
try form_mismatch --style pop --form A4A4B8A4 --bars 16 --out $O/bad --force
try form_lower --style folk --form aabb --bars 16 --seed 11 --out $O/form_lower --force
try seed_neg   --style folk --seed -1 --out $O/bad --force
try tempo_nan  --style folk --tempo nan --out $O/bad --force
try tempo_inf  --style folk --tempo inf --out $O/bad --force
try temp_nan   --style folk --temperature nan --out $O/bad --force
try key_empty  --style folk --key "" --out $O/bad --force
try meter_space --style folk --meter " 3/4" --bars 8 --seed 12 --out $O/meter_space --force
try hornpipe   --style folk --dance hornpipe --bars 16 --seed 13 --out $O/hornpipe --force
try chorale_chords --style chorale --chords "G C D G" --bars 8 --seed 14 --out $O/chorale_chords --force
try jazz_minor --style jazz --key "C minor" --chords "Dm7b5 G7 Cm7" --bars 12 --seed 15 --out $O/jazz_minor --force
try range_api  --style pop --range 60:72 --bars 8 --seed 16 --out $O/range_num --force
try out_dir    --style folk --bars 8 --seed 17 --out $O/newdir/sub/x --force  # a folder not there yet: made
try out_slash  --style folk --bars 8 --seed 17 --out $O/ --force
try pickup_neg --style folk --pickup -1 --out $O/bad --force
try pickup_frac --style folk --pickup 1/3 --out $O/bad --force
try rest0      --style pop --rest-penalty 0 --bars 8 --seed 18 --out $O/rest0 --force
echo done
