#!/bin/bash
# Runs compose --model, harmonize --model (folk: the harmonizer) and check --model on each hostile
# model folder; one TSV row each: verb, folder, exit code, seconds, peak KB, stderr lines, last line.
# usage: run_models.sh MODELS_DIR OUT.tsv
T=/work/main/.venv/bin/tunesmith
cd /tmp/hostile
for d in "$1"/*; do
  n=$(basename "$d")
  for verb in compose harmonize check; do
    case $verb in
      compose) cmd=("$T" compose --model "$d" --style folk --bars 4 --seed 1 --no-audio --out "out/models/$n-c");;
      harmonize) cmd=("$T" harmonize files/ok.abc --model "$d" --style folk --seed 1 --no-audio --out "out/models/$n-h");;
      check) cmd=("$T" check files/ok.abc --against model --model "$d");;
    esac
    /usr/bin/time -f "@@TIME %e %M" timeout 120 "${cmd[@]}" > /tmp/hostile/m.out 2> /tmp/hostile/m.err
    rc=$?
    tm=$(grep '^@@TIME' /tmp/hostile/m.err | tail -1)
    grep -v -e '^@@TIME' -e '^Command exited' -e '^Command terminated' /tmp/hostile/m.err > /tmp/hostile/m.err2
    lines=$(wc -l < /tmp/hostile/m.err2)
    last=$(tail -1 /tmp/hostile/m.err2 | cut -c1-300)
    [ -z "$last" ] && last=$(tail -1 /tmp/hostile/m.out | cut -c1-200)
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$verb" "$n" "$rc" "${tm#@@TIME }" "$lines" "$last" | tee -a "$2"
  done
done
