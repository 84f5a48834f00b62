#!/usr/bin/env bash
# The main job: set up, build, then on a shipped example
#   import (ONNX models) → assemble → execute → [commit] → prove → verify
# Imported models keep their input private and their weights committed:
# `zkvm commit` publishes the weight commitment, the proof is zero-knowledge,
# and the verifier checks it against a key (`zkvm export-vk`) without weights.
# printing each stage's time, the accuracy against the float model, the proof
# size and its security level.
# Usage: bash Tools/run.sh [example]
#   default: mlp, a PyTorch MLP exported to ONNX (Tests/ImporterTests/Fixtures/mlp);
#   any other fixture name there (lenet, attention, logistic_regression, ops),
#   or any name in Programs/ (hand-written .zkasm: cnn, mlp_zkasm = Programs/mlp, …).
set -euo pipefail
cd "$(dirname "$0")/.."
bash Tools/setup.sh
echo "run: building zkvm (release)" >&2
swift build -c release --product zkvm
zkvm=.build/release/zkvm
name=${1:-mlp}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
fixture=Tests/ImporterTests/Fixtures/$name
if [ -f "$fixture/model.onnx" ]; then
    echo "== import $fixture/model.onnx (calibrated on $fixture/calibration.json)" >&2
    "$zkvm" import "$fixture/model.onnx" -o "$out/$name.zkasm" --calibration "$fixture/calibration.json"
    source_program="$out/$name.zkasm"
    input="$fixture/input.json"
else
    [ "$name" = mlp_zkasm ] && name=mlp
    source_program="Programs/$name/$name.zkasm"
    input="Programs/$name/input.json"
fi
echo "== assemble $source_program" >&2
"$zkvm" asm "$source_program" -o "$out/$name.zkbin"
echo "== execute" >&2
"$zkvm" exec "$out/$name.zkbin" --input "$input"
if grep -q ' committed' "$source_program"; then
    echo "== commit to the weights" >&2
    "$zkvm" commit "$out/$name.zkbin"
    echo "== prove (zero knowledge: private input, committed weights)" >&2
    "$zkvm" prove "$out/$name.zkbin" --input "$input" -o "$out/$name.zkp"
    echo "== export the verification key (roots of the program's columns, no code, no weight value) and check it" >&2
    "$zkvm" export-vk "$out/$name.zkbin" -o "$out/$name.vk"
    "$zkvm" check-vk "$out/$name.vk" --program "$out/$name.zkbin"
    echo "== verify against the key, pinned to the outputs exec computed" >&2
    "$zkvm" exec "$out/$name.zkbin" --input "$input" --json > "$out/expected.json"
    "$zkvm" verify "$out/$name.zkp" --vk "$out/$name.vk" --expect-public "$out/expected.json"
else
    echo "== prove" >&2
    "$zkvm" prove "$out/$name.zkbin" --input "$input" -o "$out/$name.zkp"
    echo "== verify" >&2
    "$zkvm" verify "$out/$name.zkp" --program "$out/$name.zkbin"
fi
