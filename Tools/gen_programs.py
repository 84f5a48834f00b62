#!/usr/bin/env python3
"""Generate the weights, inputs and expected outputs of Programs/mlp and Programs/cnn.

The .zkasm files are hand-written; this script writes their data files
(JSON arrays of reals), an input.json, and expected.json computed
independently in Python integers with the rules of Spec/isa.md, plus a
float reference (the same model in float64) with its observed error.
Deterministic: fixed seeds. Run: python3 Tools/gen_programs.py
"""
import json, math, os
import numpy as np

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Programs")


def q(x, s):
    """Quantize at s fractional bits, round half away from zero."""
    v = np.asarray(x, dtype=np.float64) * (1 << s)
    return (np.sign(v) * np.floor(np.abs(v) + 0.5)).astype(np.int64)


def rescale(x, s):
    x = np.asarray(x, dtype=object)
    return np.array([(int(v) + (1 << (s - 1))) >> s if s else int(v) for v in x.ravel()], dtype=np.int64).reshape(x.shape)


def matmul(a, b, bias, shift):
    acc = a.astype(object) @ b.astype(object)
    if bias is not None:
        acc = acc + bias.astype(object)
    return rescale(acc, shift)


def save(folder, name, values):
    with open(os.path.join(ROOT, folder, name), "w") as f:
        json.dump([round(float(v), 6) for v in np.asarray(values).ravel()], f)
        f.write("\n")


def dump(folder, name, obj):
    with open(os.path.join(ROOT, folder, name), "w") as f:
        json.dump(obj, f, indent=1)
        f.write("\n")


def digit(size, seed):
    """A synthetic handwritten-looking stroke image in [0, 1]."""
    rng = np.random.RandomState(seed)
    img = np.zeros((size, size))
    cy, cx, r = size / 2, size / 2, size / 3
    for t in np.linspace(0, 2 * math.pi, 200):
        y, x = int(cy + r * math.sin(t)), int(cx + 0.6 * r * math.cos(t))
        img[max(0, y - 1):y + 1, max(0, x - 1):x + 1] = 1.0
    return np.clip(img + 0.05 * rng.rand(size, size), 0, 1).round(4)


def mlp():
    rng = np.random.RandomState(7)
    w1 = (rng.randn(784, 32) / math.sqrt(784)).round(4)
    b1 = (0.1 * rng.randn(32)).round(4)
    w2 = (rng.randn(32, 10) / math.sqrt(32)).round(4)
    b2 = (0.1 * rng.randn(10)).round(4)
    x = digit(28, 1).ravel()
    for name, v in [("W1.json", w1), ("b1.json", b1), ("W2.json", w2), ("b2.json", b2)]:
        save("mlp", name, v)
    dump("mlp", "input.json", {"input_data": [[float(v) for v in x]]})
    # Fixed point: x, W at scale 8, biases at 16, hidden and logits at 8.
    h = np.maximum(matmul(q(x, 8)[None, :], q(w1, 8), q(b1, 16), 8), 0)
    y = matmul(h, q(w2, 8), q(b2, 16), 8)[0]
    cls = int(np.argmax(y))
    hf = np.maximum(x @ w1 + b1, 0)
    yf = hf @ w2 + b2
    err = float(np.max(np.abs(y / 256 - yf)))
    dump("mlp", "expected.json", {"outputs": [
        {"name": "logits", "raw": [int(v) for v in y], "reference": [float(v) for v in yf], "tolerance": 0.05},
        {"name": "class", "raw": [cls], "reference": [int(np.argmax(yf))], "tolerance": 0},
    ], "max_abs_error_vs_float": err})
    return err


def cnn():
    rng = np.random.RandomState(11)
    wc = (rng.randn(9, 4) / 3).round(4)          # 3×3 kernels, 4 channels: rows = ky·3 + kx
    bc = (0.1 * rng.randn(4)).round(4)
    wd = (rng.randn(100, 10) / 10).round(4)      # pooled [5,5,4] flattened → 10 classes
    bd = (0.1 * rng.randn(10)).round(4)
    x = digit(12, 2)
    for name, v in [("Wc.json", wc), ("bc.json", bc), ("Wd.json", wd), ("bd.json", bd)]:
        save("cnn", name, v)
    dump("cnn", "input.json", {"input_data": [[float(v) for v in x.ravel()]]})
    # im2col: row p = oy·10 + ox holds the 3×3 window at (oy, ox), column ky·3 + kx.
    def im2col(img):
        return np.array([[img[oy + ky, ox + kx] for ky in range(3) for kx in range(3)]
                         for oy in range(10) for ox in range(10)])
    def pool(conv):  # conv [100, 4] → [5, 5, 4] by 2×2 max
        c = conv.reshape(10, 10, 4)
        return np.array([[[c[2 * py:2 * py + 2, 2 * px:2 * px + 2, ch].max() for ch in range(4)]
                          for px in range(5)] for py in range(5)]).reshape(100)
    xq = q(x, 8)
    conv = np.maximum(matmul(im2col(xq), q(wc, 8), q(bc, 16), 8), 0)
    logits = matmul(pool(conv)[None, :], q(wd, 8), q(bd, 16), 8)[0]
    convf = np.maximum(im2col(x) @ wc + bc, 0)
    logitsf = pool(convf) @ wd + bd
    err = float(np.max(np.abs(logits / 256 - logitsf)))
    dump("cnn", "expected.json", {"outputs": [
        {"name": "logits", "raw": [int(v) for v in logits], "reference": [float(v) for v in logitsf], "tolerance": 0.05},
        {"name": "class", "raw": [int(np.argmax(logits))], "reference": [int(np.argmax(logitsf))], "tolerance": 0},
    ], "max_abs_error_vs_float": err})
    return err


if __name__ == "__main__":
    print("mlp max |fixed − float| =", mlp())
    print("cnn max |fixed − float| =", cnn())
