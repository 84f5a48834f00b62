#!/usr/bin/env bash
# Sets up the machine, builds in release mode (field arithmetic and NTTs are
# 10–50× slower in debug builds) and runs every test. This is the command
# README.md gives and .ci/run calls.
set -euo pipefail
cd "$(dirname "$0")/.."
bash Tools/setup.sh
echo "test: building (release, testable)" >&2
swift build -c release --build-tests -Xswiftc -enable-testing
echo "test: running tests" >&2
swift test -c release -Xswiftc -enable-testing --skip-build "$@"
# Imported fixtures against onnxruntime itself (not only its committed outputs):
# Tools/accuracy.py runs onnxruntime and `zkvm exec` on the same 50 inputs and
# enforces the bounds of Spec/onnx-import.md §6.
echo "test: imported models against onnxruntime (Tools/accuracy.py)" >&2
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
fixtures=Tests/ImporterTests/Fixtures
while read -r name bound top1 shape oracle; do
    extra=()
    [ "$shape" != "-" ] && extra=(--input-shape "$shape")
    .build/release/zkvm import "$fixtures/$name/model.onnx" -o "$out/$name.zkasm" \
        --calibration "$fixtures/$name/calibration.json" "${extra[@]}" >/dev/null
    python3 Tools/accuracy.py "$fixtures/$name/model.onnx" "$out/$name.zkasm" \
        --inputs "$fixtures/$name/reference.json" --max-abs-error "$bound" --min-top1 "$top1" \
        --oracle "${oracle:-onnxruntime}"
done <<'LIST'
mlp 0.02 1.0 -
logistic_regression 0.002 0 -
sklearn_mlp 0.002 1.0 X=1,64
lenet 0.05 1.0 -
attention 0.005 0 -
ops 0.01 0 -
gelu 0.005 0 -
logic 0.02 0 -
lstm 0.03 1.0 -
gru 0.02 1.0 -
recurrent_variants 0.01 0 -
recurrent_layout 0.01 0 - reference
random_forest 0.002 1.0 X=1,64
logistic_multiclass 0.002 1.0 X=1,64
svr_rbf 0.03 0 X=1,64
xgboost 0.002 1.0 X=1,64
lightgbm 0.002 1.0 X=1,64
hummingbird_gemm 0.002 1.0 input_0=1,64
vision_ops 0.005 0 -
nanogpt 0.05 0 -
indexing_ops 0.002 0 -
indexing_variants 0.03 0 -
trigonometry 0.03 0 -
hummingbird_traversal 0.002 1.0 input_0=1,64
hummingbird_perfect_traversal 0.002 1.0 input_0=1,64
integer_ops 0 0 -
LIST
# The Python package (Tools/python) against the CLI this build made.
echo "test: Python package (pytest Tools/python/tests)" >&2
ZKVM_BIN="$PWD/.build/release/zkvm" PYTHONPATH="$PWD/Tools/python" python3 -m pytest -q -p no:cacheprovider Tools/python/tests
