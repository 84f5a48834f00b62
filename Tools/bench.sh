#!/usr/bin/env bash
# Benchmarks with C references in the same run: builds Tools/bench/reference.c
# with gcc -O3 -march=native (and clang if present), runs it and `zkvm bench
# --json`, and prints one combined JSON object with the ratios.
set -euo pipefail
cd "$(dirname "$0")/.."
bash Tools/setup.sh
swift build -c release --product zkvm >&2
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
gcc -O3 -march=native -o "$out/ref-gcc" Tools/bench/reference.c
refs="{\"gcc\": $("$out/ref-gcc" 7)"
if command -v clang >/dev/null 2>&1 && clang -O3 -march=native -o "$out/ref-clang" Tools/bench/reference.c 2>/dev/null; then
    refs="$refs, \"clang\": $("$out/ref-clang" 7)"
fi
refs="$refs}"
.build/release/zkvm bench --json "$@" > "$out/swift.json"
python3 - "$out/swift.json" "$refs" <<'PY'
import json, sys
swift = json.load(open(sys.argv[1]))
refs = json.loads(sys.argv[2])
swift["c_references"] = refs
def value(name, threads=1):
    for m in swift["measurements"]:
        if m["name"] == name and m["threads"] == threads:
            return m["value"]
mul = value("field.mul")
comparisons = []
for compiler, r in refs.items():
    if mul:
        comparisons.append({"name": f"field.mul Swift ÷ {compiler}", "ratio": mul / r["c.field.mul_ns"], "target": "≤ 1.5"})
    ntt = value("ntt.2^20")
    if ntt:
        comparisons.append({"name": f"NTT 2^20 (1 thread) Swift ÷ {compiler} radix-2", "ratio": ntt / r["c.ntt.radix2.2^20_ms"], "target": "—"})
swift["comparisons"] = comparisons
print(json.dumps(swift, indent=2, ensure_ascii=False))
PY
