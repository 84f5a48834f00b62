#!/usr/bin/env python3
"""Accuracy of an imported model: onnxruntime vs `zkvm exec` on the same inputs
(Spec/onnx-import.md §6).

  python3 Tools/accuracy.py MODEL.onnx PROGRAM.zkasm [--inputs reference.json | --digits N | --random N]
      [--zkvm .build/release/zkvm] [--json] [--min-top1 P] [--max-abs-error E] [--min-cosine C]

Inputs: a fixture's reference.json ({"inputs": [[flat sample], …]}), N images from
scikit-learn's bundled digits resized to the model's input shape (--digits), or N
uniform samples in [-1, 1] (--random). Prints the largest absolute error, the
cosine similarity over all outputs, and top-1 agreement (argmax of the first
output); exits 1 if a given bound is missed.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

import numpy as np
import onnx
import onnxruntime as ort


def samples(args, shape):
    size = int(np.prod(shape))
    if args.inputs:
        with open(args.inputs) as f:
            return [np.asarray(s, dtype=np.float64) for s in json.load(f)["inputs"]]
    rng = np.random.RandomState(7)
    if args.random:
        return [rng.uniform(-1, 1, size).astype(np.float32) for _ in range(args.random)]
    from sklearn.datasets import load_digits
    images = load_digits().images.astype(np.float32) / 16.0
    side = int(round(np.sqrt(size)))
    idx = np.arange(side) * 8 // side
    images = images[:, idx][:, :, idx].reshape(len(images), -1)
    order = rng.permutation(len(images))
    return [images[order[i % len(images)]] for i in range(args.digits)]


# onnxruntime's input type names → numpy types (token ids, boolean masks).
DTYPES = {"tensor(int64)": np.int64, "tensor(int32)": np.int32, "tensor(bool)": np.bool_, "tensor(double)": np.float64,
          "tensor(uint8)": np.uint8, "tensor(int8)": np.int8, "tensor(uint16)": np.uint16, "tensor(int16)": np.int16,
          "tensor(uint32)": np.uint32, "tensor(uint64)": np.uint64}


class ReferenceSession:
    """onnx's reference evaluator behind onnxruntime's session interface."""

    class Input:
        def __init__(self, value_info):
            self.name = value_info.name
            self.type = f"tensor({onnx.helper.tensor_dtype_to_np_dtype(value_info.type.tensor_type.elem_type).name})" \
                .replace("float32", "float").replace("bool", "bool")
            self.shape = [d.dim_value if d.HasField("dim_value") else None for d in value_info.type.tensor_type.shape.dim]

    def __init__(self, path):
        from onnx.reference import ReferenceEvaluator
        self.model = onnx.load(path)
        self.evaluator = ReferenceEvaluator(self.model)

    def get_inputs(self):
        return [self.Input(i) for i in self.model.graph.input]

    def run(self, names, feeds):
        return self.evaluator.run(names, feeds)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("model")
    p.add_argument("program")
    g = p.add_mutually_exclusive_group()
    g.add_argument("--inputs")
    g.add_argument("--digits", type=int)
    g.add_argument("--random", type=int)
    p.add_argument("--zkvm", default=os.path.join(os.path.dirname(__file__), "..", ".build", "release", "zkvm"))
    p.add_argument("--json", action="store_true")
    p.add_argument("--min-top1", type=float)
    p.add_argument("--max-abs-error", type=float)
    p.add_argument("--min-cosine", type=float)
    p.add_argument("--oracle", choices=["onnxruntime", "reference"], default="onnxruntime",
                   help="the float model: onnxruntime, or onnx's reference evaluator for operators onnxruntime lacks")
    args = p.parse_args()
    if not (args.inputs or args.digits or args.random):
        args.random = 100

    sess = ort.InferenceSession(args.model, providers=["CPUExecutionProvider"]) if args.oracle == "onnxruntime" \
        else ReferenceSession(args.model)
    # A sample is every input's values, flattened and concatenated in the model's input order.
    inputs = sess.get_inputs()
    shapes = [[d if isinstance(d, int) and d > 0 else 1 for d in i.shape] for i in inputs]
    sizes = [int(np.prod(s)) for s in shapes]
    if len(inputs) > 1 and not args.inputs:
        sys.exit("accuracy: a model with several inputs needs --inputs")
    xs = samples(args, shapes[0])
    worst, dot, nf, nq, agree = 0.0, 0.0, 0.0, 0.0, 0
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "input.json")
        for x in xs:
            if x.size != sum(sizes):
                sys.exit(f"accuracy: a sample has {x.size} values; the model's inputs take {sum(sizes)}")
            parts = np.split(x, np.cumsum(sizes)[:-1])
            feeds = {i.name: p.reshape(s).astype(DTYPES.get(i.type, np.float32)) for i, p, s in zip(inputs, parts, shapes)}
            ref = np.asarray(sess.run(None, feeds)[0], dtype=np.float64).ravel()
            with open(path, "w") as f:
                json.dump({"input_data": [[float(v) for v in p] for p in parts]}, f)
            out = subprocess.run([args.zkvm, "exec", args.program, "--input", path, "--json"],
                                 capture_output=True, text=True)
            if out.returncode != 0:
                sys.exit(f"accuracy: zkvm exec failed: {out.stderr.strip()}")
            got = np.asarray(json.loads(out.stdout)["outputs"][0]["values"], dtype=np.float64).ravel()
            if got.shape != ref.shape:
                sys.exit(f"accuracy: output sizes differ: zkvm {got.shape}, onnxruntime {ref.shape}")
            worst = max(worst, float(np.max(np.abs(got - ref))))
            dot += float(got @ ref); nf += float(ref @ ref); nq += float(got @ got)
            agree += int(np.argmax(got) == np.argmax(ref))
    cosine = dot / np.sqrt(nf * nq) if nf > 0 and nq > 0 else float(nf == nq)
    top1 = agree / len(xs)
    result = {"samples": len(xs), "max_abs_error": worst, "cosine": cosine, "top1_agreement": top1}
    if args.json:
        print(json.dumps(result))
    else:
        print(f"{os.path.relpath(args.model)}: {len(xs)} inputs, max abs error {worst:.5g}, "
              f"cosine {cosine:.6f}, top-1 agreement {100 * top1:.1f}%")
    failed = (args.min_top1 is not None and top1 < args.min_top1) or \
             (args.max_abs_error is not None and worst > args.max_abs_error) or \
             (args.min_cosine is not None and cosine < args.min_cosine)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
