#!/usr/bin/env bash
# Trains the shipped models exactly as described in README.md (single-threaded,
# deterministic: the same data and seed give byte-identical models).
# Usage: scripts/train-models.sh [UD_DIR]   (default: ../../../shared/data/ud)
set -euo pipefail
cd "$(dirname "$0")/.."
UD=${1:-../../../shared/data/ud}
OUT=../../ontology/models
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-/work/target-syntax}
cargo build --release -j2 --bin warta-syntax
BIN=$CARGO_TARGET_DIR/release/warta-syntax

# English: EWT train, epochs chosen on EWT dev; XPOS tagger feeds the parser.
timeout 1200 "$BIN" train --lang en --xpos --seed 1 --parser-epochs 15 --min-level 1000 \
  --train "$UD/en/en_ewt-ud-train.conllu" --dev "$UD/en/en_ewt-ud-dev.conllu" \
  --out "$OUT/en.syntax"

# Indonesian: GSD dev + CSUI train + PUD; every 10th sentence held out to
# choose epochs, then refit on everything with those epochs.
timeout 1200 "$BIN" train --lang id --seed 1 --parser-epochs 15 --min-level 1000 \
  --train "$UD/id/id_gsd-ud-dev.conllu" "$UD/id/id_csui-ud-train.conllu" "$UD/id/id_pud-ud-test.conllu" \
  --holdout 10 --refit --out "$OUT/id.syntax"

for m in en id; do
  "$BIN" eval --model "$OUT/$m.syntax" --timing \
    $( [ $m = en ] && echo "$UD/en/en_ewt-ud-test.conllu" || echo "$UD/id/id_gsd-ud-test.conllu $UD/id/id_csui-ud-test.conllu" )
done
