#!/usr/bin/env bash
# Regenerates Sources/ONNXProto/onnx.pb.swift from the onnx.proto shipped in
# the `onnx` Python package (Spec/onnx-import.md §1). The generated file is
# committed, so neither a normal build nor CI runs this.
#
# Needs: python3 with `onnx` and `grpcio-tools` (for protoc), and
# protoc-gen-swift built from the swift-protobuf version Package.swift names:
#   git clone --branch 1.39.0 https://github.com/apple/swift-protobuf /tmp/swift-protobuf
#   (cd /tmp/swift-protobuf && swift build -c release --product protoc-gen-swift)
# Set PROTOC_GEN_SWIFT to the plugin's path if it is elsewhere.
set -euo pipefail
cd "$(dirname "$0")/.."
plugin="${PROTOC_GEN_SWIFT:-/tmp/swift-protobuf/.build/release/protoc-gen-swift}"
[ -x "$plugin" ] || { echo "gen_onnx_proto: protoc-gen-swift not found at $plugin" >&2; exit 1; }
python3 -m pip install -q onnx grpcio-tools >/dev/null
proto_dir="$(python3 -c 'import onnx, os; print(os.path.dirname(onnx.__file__))')"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp "$proto_dir/onnx.proto" "$work/onnx.proto"
python3 -m grpc_tools.protoc --plugin=protoc-gen-swift="$plugin" \
    --swift_opt=Visibility=Public --swift_out="$work" -I "$work" "$work/onnx.proto"
mv "$work/onnx.pb.swift" Sources/ONNXProto/onnx.pb.swift
echo "gen_onnx_proto: wrote Sources/ONNXProto/onnx.pb.swift from onnx $(python3 -c 'import onnx; print(onnx.__version__)')" >&2
