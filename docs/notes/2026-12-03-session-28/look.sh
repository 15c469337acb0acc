#!/bin/bash
# compose a few takes with a model folder and render page 1 of each to PNG (MuseScore 3)
M=$1; D=$2; mkdir -p $D
T=/work/main/.venv/bin/tunesmith
nice $T compose --style folk --dance jig --key D --bars 16 --seed 11 --model $M --out $D/jig --no-audio --force >/dev/null 2>&1
nice $T compose --style folk --dance reel --key G --bars 16 --seed 3 --model $M --out $D/reel --no-audio --force >/dev/null 2>&1
nice $T compose --style chorale --key "g minor" --bars 8 --seed 1 --model $M --out $D/chorale --no-audio --force >/dev/null 2>&1
nice $T compose --style pop --key F --bars 16 --seed 5 --model $M --out $D/pop --no-audio --force >/dev/null 2>&1
nice $T compose --style jazz --key Bb --bars 16 --seed 2 --model $M --out $D/jazz --no-audio --force >/dev/null 2>&1
for f in $(find $D -name "*.musicxml"); do QT_QPA_PLATFORM=offscreen timeout 60 mscore3 -o ${f%.musicxml}.png $f >/dev/null 2>&1; done
find $D -name "*.png" | sort
