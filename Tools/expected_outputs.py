#!/usr/bin/env python3
"""Independent expected outputs for the hand-written programs in Programs/.

Each function re-implements its program in plain Python integers with the
rules of Spec/isa.md (quantization: round half away from zero; rescale:
floor((x + 2^(s-1)) / 2^s); sigmoid table: round half away from zero of
sigmoid(x / 2^fi) * 2^fo) and a float reference. It writes expected.json
next to each program; the Swift tests compare the VM's raw outputs with it.
Run: python3 Tools/expected_outputs.py
"""
import json, math, os

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Programs")

def q(x, s):  # quantize, half away from zero
    v = x * (1 << s)
    return int(math.floor(abs(v) + 0.5)) * (1 if v >= 0 else -1)

def rescale(x, s):
    return x if s == 0 else (x + (1 << (s - 1))) >> s

def load(name):
    with open(os.path.join(ROOT, name, "input.json")) as f:
        return json.load(f)["input_data"]

def write(name, outputs):
    with open(os.path.join(ROOT, name, "expected.json"), "w") as f:
        json.dump({"outputs": outputs}, f, indent=2)
        f.write("\n")

def linear_regression():
    x = load("linear_regression")[0]
    w, b = [0.75, -1.5, 2.25], 0.5
    acc = sum(q(xi, 8) * q(wi, 8) for xi, wi in zip(x, w)) + q(b, 16)
    write("linear_regression", [{"name": "y", "raw": [rescale(acc, 8)],
                                 "reference": [sum(a * c for a, c in zip(x, w)) + b]}])

def logistic_regression():
    x = load("logistic_regression")[0]
    w, b = [1.25, -0.5, 0.75, -2.0], -0.25
    z = rescale(sum(q(xi, 8) * q(wi, 8) for xi, wi in zip(x, w)) + q(b, 16), 8)
    zc = max(-(1 << 15), min((1 << 15) - 1, z))
    p = q(1 / (1 + math.exp(-zc / 256)), 12)
    zf = sum(a * c for a, c in zip(x, w)) + b
    pf = 1 / (1 + math.exp(-zf))
    write("logistic_regression", [{"name": "p", "raw": [p], "reference": [pf]},
                                   {"name": "class", "raw": [0 if p < 2048 else 1], "reference": [0 if pf < 0.5 else 1]}])

def decision_tree():
    x = load("decision_tree")[0]
    raw = [q(v, 8) for v in x]
    species = 0 if raw[2] < 627 else (1 if raw[3] < 448 else 2)
    ref = 0 if x[2] < 2.45 else (1 if x[3] < 1.75 else 2)
    write("decision_tree", [{"name": "species", "raw": [species], "reference": [ref]}])

def collatz():
    n = int(load("collatz")[0][0])
    steps, peak = 0, n
    while n != 1:
        n = n // 2 if n % 2 == 0 else 3 * n + 1
        peak = max(peak, n)
        steps += 1
    write("collatz", [{"name": "steps", "raw": [steps], "reference": [steps]},
                      {"name": "peak", "raw": [peak], "reference": [peak]}])

if __name__ == "__main__":
    for f in (linear_regression, logistic_regression, decision_tree, collatz):
        f()
    print("wrote expected.json for", ROOT)
