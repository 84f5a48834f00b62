#!/usr/bin/env python3
"""Writes the hostile ONNX models of Tests/ImporterTests/Fixtures/hostile/
(Spec/onnx-import.md §5): small graphs that once trapped the importer
(found in review). Each must now give an ImportError (HostileModelTests).
  python3 Tools/make_hostile_models.py
"""
import os

import numpy as np
import onnx
import onnx.helper as oh
from onnx import TensorProto as TP

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "ImporterTests", "Fixtures", "hostile")
F = np.float32


def vi(name, shape, t=TP.FLOAT):
    return oh.make_tensor_value_info(name, t, shape)


def init(name, arr):
    arr = np.asarray(arr)
    t = TP.FLOAT if arr.dtype.kind == "f" else TP.INT64
    return oh.make_tensor(name, t, arr.shape, arr.flatten().tolist())


def save(name, nodes, inputs, outputs, inits=(), opset=17):
    g = oh.make_graph(nodes, "g", inputs, outputs, list(inits))
    m = oh.make_model(g, opset_imports=[oh.make_opsetid("", opset)])
    m.ir_version = 8
    onnx.save(m, os.path.join(OUT, name + ".onnx"))


def main():
    os.makedirs(OUT, exist_ok=True)
    n = oh.make_node
    save("A1_concat_scalar", [n("Concat", ["x", "x"], ["y"], axis=0)], [vi("x", [])], [vi("y", None)])
    save("A2_gather_scalar", [n("Gather", ["x", "i"], ["y"])], [vi("x", [])], [vi("y", None)], [init("i", np.array(0))])
    save("A3_argmax_scalar", [n("ArgMax", ["x"], ["y"])], [vi("x", [])], [vi("y", None, TP.INT64)])
    save("A4_concat_scalar_consts", [n("Concat", ["c", "c"], ["k"], axis=0), n("Add", ["x", "k"], ["y"])],
         [vi("x", [2])], [vi("y", None)], [init("c", np.array(1.0, F))])
    save("B_matmul_scalar", [n("MatMul", ["x", "w"], ["y"])], [vi("x", [])], [vi("y", None)], [init("w", np.ones((1, 2), F))])
    save("C1_pad_huge", [n("Pad", ["x", "p"], ["y"])], [vi("x", [1, 4])], [vi("y", None)], [init("p", np.array([0, 2**62, 0, 2**62]))])
    save("C2_pad_product", [n("Pad", ["x", "p"], ["y"])], [vi("x", [1, 4])], [vi("y", None)], [init("p", np.array([2**32, 2**32, 0, 0]))])
    save("C3_expand_huge", [n("Expand", ["x", "s"], ["y"])], [vi("x", [1])], [vi("y", None)], [init("s", np.array([2**32, 2**32]))])
    save("D1_expand_const", [n("Expand", ["c", "s"], ["k"]), n("Add", ["x", "k"], ["y"])], [vi("x", [1])], [vi("y", None)],
         [init("c", np.array([1.0], F)), init("s", np.array([2**20, 2**20]))])
    save("E_range_neg", [n("Range", ["s", "l", "d"], ["r"]), n("Add", ["x", "r"], ["y"])], [vi("x", [1])], [vi("y", None)],
         [init("s", np.array(0.0, F)), init("l", np.array(-1e30, F)), init("d", np.array(1.0, F))])
    save("F2_clip7_nan", [n("Clip", ["x"], ["y"], min=float("nan"), max=1.0)], [vi("x", [4])], [vi("y", None)], opset=7)
    save("G_neg_noinput", [n("Neg", [], ["k"]), n("Add", ["x", "k"], ["y"])], [vi("x", [1])], [vi("y", None)])
    bn = [init(k, np.ones(2, F)) for k in ["s", "b", "m", "v"]]
    save("H1_bn_after_conv_1input", [n("Conv", ["x"], ["c"]), n("BatchNormalization", ["c", "s", "b", "m", "v"], ["y"])],
         [vi("x", [1, 2, 3, 3])], [vi("y", None)], bn)
    save("H2_bn_zero_channels", [n("Conv", ["x", "w"], ["c"]), n("BatchNormalization", ["c", "s", "b", "m", "v"], ["y"])],
         [vi("x", [1, 2, 3, 3])], [vi("y", None)], [init("w", np.ones((0, 2, 1, 1), F))] + [init(k, np.ones(0, F)) for k in ["s", "b", "m", "v"]])
    save("I1_slice_empty", [n("Slice", ["x", "s", "e", "a"], ["y"])], [vi("x", [2, 4])], [vi("y", None)],
         [init("s", np.array([3])), init("e", np.array([1])), init("a", np.array([1]))])
    save("I2_relu_zero_dim", [n("Relu", ["x"], ["y"])], [vi("x", [2, 0])], [vi("y", None)])
    save("L_mul_by_3e38", [n("Mul", ["x", "c"], ["y"])], [vi("x", [4])], [vi("y", None)], [init("c", np.array(3e38, F))])


if __name__ == "__main__":
    main()
