#!/usr/bin/env bash
# Rebuilds the shipped models exactly as README.md says (single-threaded and
# deterministic: the same data and seed give byte-identical models), then
# scores them. Usage: scripts/train-models.sh [UD_DIR]  (default ../../../shared/data/ud)
set -euo pipefail
cd "$(dirname "$0")/.."
UD=${1:-../../../shared/data/ud}
OUT=../../ontology/models
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-/work/target-syntax}
cargo build --release -j2 --bin warta-syntax
BIN=$CARGO_TARGET_DIR/release/warta-syntax
TMP=$(mktemp -d)

# English: epochs chosen on EWT dev (step 1 prints them; the shipped model used 9,7,12),
# then a fit on train + dev with those epochs, then pruning.
timeout 1200 "$BIN" train --lang en --xpos --seed 1 --parser-epochs 15 \
  --train "$UD/en/en_ewt-ud-train.conllu" --dev "$UD/en/en_ewt-ud-dev.conllu" --out "$TMP/en-select.syntax"
timeout 1200 "$BIN" train --lang en --xpos --seed 1 --epochs 9,7,12 \
  --train "$UD/en/en_ewt-ud-train.conllu" "$UD/en/en_ewt-ud-dev.conllu" --out "$TMP/en-full.syntax"
"$BIN" prune --model "$TMP/en-full.syntax" --min-level 1000 --tagger-min-level 100 --out "$OUT/en.syntax"

# Indonesian: GSD dev + CSUI train + PUD; every 10th sentence held out to
# choose epochs, refit on everything, prune.
timeout 1200 "$BIN" train --lang id --two-pass --seed 1 --parser-epochs 15 \
  --train "$UD/id/id_gsd-ud-dev.conllu" "$UD/id/id_csui-ud-train.conllu" "$UD/id/id_pud-ud-test.conllu" \
  --holdout 10 --refit --out "$TMP/id-full.syntax"
"$BIN" prune --model "$TMP/id-full.syntax" --min-level 1000 --tagger-min-level 100 --out "$OUT/id.syntax"

"$BIN" eval --model "$OUT/en.syntax" --timing "$UD/en/en_ewt-ud-test.conllu"
"$BIN" eval --model "$OUT/id.syntax" --timing "$UD/id/id_gsd-ud-test.conllu" "$UD/id/id_csui-ud-test.conllu"
rm -r "$TMP"
