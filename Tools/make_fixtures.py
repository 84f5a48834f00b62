#!/usr/bin/env python3
"""Creates the importer's test fixtures with real exporters (Spec/onnx-import.md §7).

Models are trained briefly on scikit-learn's bundled 8×8 digits (no download),
exported with torch.onnx.export (TorchScript exporter, opset 17) and skl2onnx,
and written with their inputs and onnxruntime's outputs to
Tests/ImporterTests/Fixtures/NAME/:

  model.onnx        the exported model (< 1 MB)
  input.json        one input, EZKL layout {"input_data": [[...]]}
  calibration.json  32 samples back to back (EZKL layout)
  reference.json    {"inputs": [[...]], "outputs": [[...]]}: 50 test inputs
                    (flat, one list per sample and model input) and
                    onnxruntime's first output for each
  input_shapes.json the shapes of inputs the exporter left dynamic, if any

torch is needed only here (never in the test run). Run:
  python3 -m pip install torch onnx onnxruntime scikit-learn skl2onnx onnxscript
  python3 Tools/make_fixtures.py
"""
import json
import os
import sys

import numpy as np
import onnx
import onnxruntime as ort
from sklearn.datasets import load_digits

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "ImporterTests", "Fixtures")
RNG = np.random.RandomState(1234)


def digits(size):
    """Digits as float images in [0, 1], resized to size×size (nearest), and labels."""
    d = load_digits()
    x = d.images.astype(np.float32) / 16.0
    if size != 8:
        idx = (np.arange(size) * 8 // size)
        x = x[:, idx][:, :, idx]
    return x, d.target.astype(np.int64)


def write_fixture(name, path_onnx, samples_test, samples_cal, oracle="onnxruntime"):
    folder = os.path.join(ROOT, name)
    os.makedirs(folder, exist_ok=True)
    model = onnx.load(path_onnx)
    onnx.checker.check_model(model)
    dst = os.path.join(folder, "model.onnx")
    onnx.save(model, dst)
    size = os.path.getsize(dst)
    assert size < 1 << 20, f"{name}: {size} bytes"
    if oracle == "onnxruntime":
        sess = ort.InferenceSession(dst, providers=["CPUExecutionProvider"])
        names = [i.name for i in sess.get_inputs()]
    else:   # onnx's reference evaluator, for what onnxruntime does not run
        from onnx.reference import ReferenceEvaluator
        sess, names = ReferenceEvaluator(model), [i.name for i in model.graph.input]
    outputs = []
    for s in samples_test:
        feeds = {n: v for n, v in zip(names, s)}
        outputs.append([float(v) for v in np.asarray(sess.run(None, feeds)[0]).ravel()])

    def flat(s):
        return [[round(float(v), 7) for v in np.asarray(t).ravel()] for t in s]

    with open(os.path.join(folder, "input.json"), "w") as f:
        json.dump({"input_data": flat(samples_test[0])}, f)
    # Inputs the exporter left dynamic (a batch of None): the shapes the fixture uses.
    dynamic = {i.name: list(np.asarray(v).shape) for i, v in zip(model.graph.input, samples_test[0])
               if any(not d.HasField("dim_value") for d in i.type.tensor_type.shape.dim)}
    if dynamic:
        with open(os.path.join(folder, "input_shapes.json"), "w") as f:
            json.dump(dynamic, f)
    stacked = [sum((flat(s)[k] for s in samples_cal), []) for k in range(len(names))]
    with open(os.path.join(folder, "calibration.json"), "w") as f:
        json.dump({"input_data": stacked}, f)
    with open(os.path.join(folder, "reference.json"), "w") as f:
        json.dump({"inputs": [sum(flat(s), []) for s in samples_test], "outputs": outputs}, f)
    print(f"{name}: {size} bytes, ops {sorted({n.op_type for n in model.graph.node})}")


def train(model, x, y, epochs, lr=0.01, loss="ce"):
    import torch
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    xt, yt = torch.tensor(x), torch.tensor(y)
    for _ in range(epochs):
        perm = torch.randperm(len(xt))
        for i in range(0, len(xt), 64):
            b = perm[i:i + 64]
            opt.zero_grad()
            out = model(xt[b])
            if loss == "ce":
                l = torch.nn.functional.cross_entropy(out, yt[b])
            else:
                l = torch.nn.functional.binary_cross_entropy(out.squeeze(1), yt[b].float())
            l.backward()
            opt.step()
    model.eval()
    return model


def export(model, example, path, opset=17, **kw):
    import torch
    torch.onnx.export(model, example, path, opset_version=opset, dynamo=False, input_names=["input"],
                      output_names=["output"], **kw)


def torch_fixtures(tmp):
    import torch
    import torch.nn as nn
    import torch.nn.functional as F
    torch.manual_seed(0)
    x8, y = digits(8)
    order = RNG.permutation(len(x8))
    test, cal = order[:50], order[50:82]

    # 1. MLP on flattened 8×8 digits: Flatten → Linear → ReLU → Linear.
    class MLP(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc1, self.fc2 = nn.Linear(64, 32), nn.Linear(32, 10)

        def forward(self, x):
            return self.fc2(F.relu(self.fc1(torch.flatten(x, 1))))

    xi = x8[:, None]
    m = train(MLP(), xi, y, 30)
    export(m, torch.tensor(xi[:1]), f"{tmp}/mlp.onnx")
    write_fixture("mlp", f"{tmp}/mlp.onnx", [[xi[i:i + 1]] for i in test], [[xi[i:i + 1]] for i in cal])

    # 2. Logistic regression (is it a zero?): Linear → Sigmoid.
    class LogReg(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc = nn.Linear(64, 1)

        def forward(self, x):
            return torch.sigmoid(self.fc(x))

    xf = x8.reshape(len(x8), 64)
    m = train(LogReg(), xf, (y == 0).astype(np.int64), 30, loss="bce")
    export(m, torch.tensor(xf[:1]), f"{tmp}/logreg.onnx")
    write_fixture("logistic_regression", f"{tmp}/logreg.onnx", [[xf[i:i + 1]] for i in test], [[xf[i:i + 1]] for i in cal])

    # 3. LeNet-5 on 28×28 (digits resized), with BatchNorm after the first conv.
    class LeNet(nn.Module):
        def __init__(self):
            super().__init__()
            self.c1, self.bn1 = nn.Conv2d(1, 6, 5, padding=2), nn.BatchNorm2d(6)
            self.c2 = nn.Conv2d(6, 16, 5)
            self.f1, self.f2, self.f3 = nn.Linear(400, 120), nn.Linear(120, 84), nn.Linear(84, 10)

        def forward(self, x):
            x = F.max_pool2d(F.relu(self.bn1(self.c1(x))), 2)
            x = F.max_pool2d(F.relu(self.c2(x)), 2)
            x = x.reshape(x.shape[0], -1)   # exports a Shape/Gather/Concat chain
            return self.f3(F.relu(self.f2(F.relu(self.f1(x)))))

    x28, _ = digits(28)
    x28 = x28[:, None]
    m = train(LeNet(), x28, y, 4)
    # Without constant folding the exporter keeps BatchNormalization and the
    # Shape/Gather/Unsqueeze/Concat chain of the reshape, which the importer folds.
    export(m, torch.tensor(x28[:1]), f"{tmp}/lenet.onnx", do_constant_folding=False)
    write_fixture("lenet", f"{tmp}/lenet.onnx", [[x28[i:i + 1]] for i in test], [[x28[i:i + 1]] for i in cal])

    # 4. A small attention block: LayerNorm, Q/K/V, softmax(QKᵀ/√d)·V, projection, residual.
    class Attention(nn.Module):
        def __init__(self, d=16):
            super().__init__()
            self.norm = nn.LayerNorm(d)
            self.q, self.k, self.v, self.o = (nn.Linear(d, d) for _ in range(4))
            self.d = d

        def forward(self, x):
            h = self.norm(x)
            s = torch.matmul(self.q(h), self.k(h).transpose(1, 2)) / (self.d ** 0.5)
            return x + self.o(torch.matmul(torch.softmax(s, dim=-1), self.v(h)))

    m = Attention().eval()
    xa = RNG.uniform(-1, 1, size=(82, 1, 8, 16)).astype(np.float32)
    export(m, torch.tensor(xa[0]), f"{tmp}/attention.onnx")
    write_fixture("attention", f"{tmp}/attention.onnx", [[xa[i]] for i in range(50)], [[xa[i]] for i in range(50, 82)])

    # 5. Every remaining operator in one graph.
    class Ops(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv = nn.Conv2d(2, 4, 3, stride=2, padding=1, groups=2, dilation=1)

        def forward(self, x):                                    # x: [1, 2, 8, 8]
            a = F.avg_pool2d(x, 2)                               # AveragePool
            b = F.leaky_relu(self.conv(x), 0.1)                  # Conv (groups, stride, pad), LeakyRelu
            g = F.adaptive_avg_pool2d(b, 1).flatten(1)           # GlobalAveragePool
            c = torch.cat([a, b[:, :2]], dim=1)                  # Slice, Concat
            c = F.pad(c, (1, 0, 0, 1))                           # Pad
            t = c.transpose(2, 3)                                # Transpose
            r = t.sum(dim=3) / 3.0 - t.mean(dim=2)[:, :, :5].unsqueeze(3).squeeze(3)   # ReduceSum, Div, ReduceMean, Sub
            mx = t.amax(dim=(2, 3))                              # ReduceMax
            e = torch.exp(torch.clamp(r, -2, 1)) * torch.tanh(r) + torch.erf(r) + F.gelu(r) + torch.sigmoid(r)
            sel = e[:, torch.tensor([3, 0, 1])]                  # Gather with constant indices
            flat = torch.cat([sel.flatten(1), mx, g], dim=1)
            return (torch.softmax(flat, dim=1) * flat.argmax(dim=1, keepdim=True).float()   # Softmax, ArgMax
                    + torch.log_softmax(flat, dim=1))                                     # LogSoftmax

    m = Ops().eval()
    xo = RNG.uniform(-1, 1, size=(82, 1, 2, 8, 8)).astype(np.float32)
    export(m, torch.tensor(xo[0]), f"{tmp}/ops.onnx")
    write_fixture("ops", f"{tmp}/ops.onnx", [[xo[i]] for i in range(50)], [[xo[i]] for i in range(50, 82)])


def gelu_fixture(tmp):
    """Opset 20, where GELU exports as the Gelu operator (both approximations)."""
    import torch
    import torch.nn as nn
    import torch.nn.functional as F

    class GeluNet(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc = nn.Linear(12, 12)

        def forward(self, x):
            h = self.fc(x)
            return F.gelu(h) + F.gelu(h, approximate="tanh") + torch.log(torch.sigmoid(h) + 0.5)

    torch.manual_seed(1)
    m = GeluNet().eval()
    xg = RNG.uniform(-2, 2, size=(82, 1, 12)).astype(np.float32)
    export(m, torch.tensor(xg[0]), f"{tmp}/gelu.onnx", opset=20)
    write_fixture("gelu", f"{tmp}/gelu.onnx", [[xg[i]] for i in range(50)], [[xg[i]] for i in range(50, 82)])


def recurrent_fixtures(tmp):
    """Recurrent nets exported by PyTorch (TorchScript exporter, opset 17):
    an LSTM reading a 16×16 digit as 16 steps of 16 pixels, and a
    bidirectional GRU stacked on a ReLU RNN reading an 8×8 digit row by row."""
    rng = np.random.RandomState(11)   # its own stream: the fixture does not depend on what ran before
    import torch
    import torch.nn as nn
    torch.manual_seed(2)

    class LSTMNet(nn.Module):
        def __init__(self):
            super().__init__()
            self.lstm, self.fc = nn.LSTM(16, 32, batch_first=True), nn.Linear(32, 10)

        def forward(self, x):                       # x: [1, 16, 16]
            y, _ = self.lstm(x)
            return self.fc(y[:, -1])

    x16, y = digits(16)
    order = rng.permutation(len(x16))
    test, cal = order[:50], order[50:82]
    m = train(LSTMNet(), x16, y, 8)
    export(m, torch.tensor(x16[:1]), f"{tmp}/lstm.onnx")
    write_fixture("lstm", f"{tmp}/lstm.onnx", [[x16[i:i + 1]] for i in test], [[x16[i:i + 1]] for i in cal])

    class GRUNet(nn.Module):
        def __init__(self):
            super().__init__()
            self.rnn = nn.RNN(8, 12, nonlinearity="relu")
            self.gru = nn.GRU(12, 10, bidirectional=True)
            self.fc = nn.Linear(20, 10)

        def forward(self, x):                       # x: [8, 1, 8], time-major
            h, _ = self.rnn(x)
            y, last = self.gru(h)
            return self.fc(y[-1]) + self.fc(torch.cat([last[0], last[1]], dim=1))

    x8, y8 = digits(8)
    xt = np.transpose(x8, (1, 0, 2))[:, :, None, :].copy()   # [8, N, 1, 8] → per sample [8, 1, 8]
    samples = [xt[:, i] for i in range(len(x8))]
    m = GRUNet()
    opt = torch.optim.Adam(m.parameters(), lr=0.01)
    for _ in range(3):
        for i in rng.permutation(len(samples))[:600]:
            opt.zero_grad()
            torch.nn.functional.cross_entropy(m(torch.tensor(samples[i])), torch.tensor(y8[i:i + 1])).backward()
            opt.step()
    m.eval()
    export(m, torch.tensor(samples[0]), f"{tmp}/gru.onnx")
    write_fixture("gru", f"{tmp}/gru.onnx", [[samples[i]] for i in test], [[samples[i]] for i in cal])


def concat_fixture(tmp, name, nodes, inits, results, input_shape, xs, oracle="onnxruntime"):
    """An onnx.helper fixture (opset 18): every value in `results` flattened
    into one [1, n] output, over one float input of `input_shape`; the
    first 50 of `xs` test it, the next 32 calibrate."""
    from onnx import TensorProto, helper, numpy_helper
    flat = []
    for i, r in enumerate(results):
        inits.append(numpy_helper.from_array(np.asarray([1, -1], dtype=np.int64), f"flat{i}"))
        nodes.append(helper.make_node("Reshape", [r, f"flat{i}"], [f"flat_{i}"], name=f"flat_{i}"))
        flat.append(f"flat_{i}")
    nodes.append(helper.make_node("Concat", flat, ["output"], name="concat", axis=1))
    graph = helper.make_graph(nodes, name, [helper.make_tensor_value_info("input", TensorProto.FLOAT, input_shape)],
                              [helper.make_tensor_value_info("output", TensorProto.FLOAT, [1, "n"])], inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 18)], producer_name="onnx.helper")
    model.ir_version = 9
    onnx.save(model, f"{tmp}/{name}.onnx")
    write_fixture(name, f"{tmp}/{name}.onnx", [[xs[i]] for i in range(50)], [[xs[i]] for i in range(50, 82)], oracle=oracle)


def recurrent_variants_fixture(tmp):
    """The recurrent attributes PyTorch does not export, built with
    onnx.helper (opset 18) and checked against onnxruntime: a reverse LSTM
    with peepholes, clip and constant initial states; a bidirectional GRU
    (linear_before_reset = 0) with HardSigmoid/Softsign and per-direction
    activations; an RNN with ScaledTanh whose initial state is computed.
    X is [5, 2, 3]: five steps, batch 2."""
    rng = np.random.RandomState(17)   # its own stream: the fixture does not depend on what ran before
    from onnx import TensorProto, helper, numpy_helper
    weights_rng = np.random.RandomState(7)
    nodes, inits = [], []

    def const(name, value):
        inits.append(numpy_helper.from_array(np.asarray(value, dtype=np.float32), name))
        return name

    def weights(name, *shape, scale=0.5):
        return const(name, weights_rng.uniform(-scale, scale, size=shape))

    x = "input"
    nodes.append(helper.make_node(
        "LSTM", [x, weights("lw", 1, 16, 3), weights("lr", 1, 16, 4), weights("lb", 1, 32), "",
                 weights("lh0", 1, 2, 4), weights("lc0", 1, 2, 4), weights("lp", 1, 12)],
        ["lstm_y", "lstm_h", "lstm_c"], name="lstm", hidden_size=4, direction="reverse", clip=3.0))
    nodes.append(helper.make_node(
        "GRU", [x, weights("gw", 2, 9, 3), weights("gr", 2, 9, 3), weights("gb", 2, 18)], ["gru_y"], name="gru",
        hidden_size=3, direction="bidirectional", linear_before_reset=0,
        activations=["HardSigmoid", "Softsign", "Sigmoid", "Tanh"], activation_alpha=[0.3], activation_beta=[0.4]))
    nodes.append(helper.make_node("Slice", [x, const("z0", [0]), const("z1", [1]), const("z2", [2])], ["first"], name="first"))
    nodes.append(helper.make_node("Tanh", ["first"], ["h0"], name="h0"))
    nodes.append(helper.make_node(
        "RNN", [x, weights("rw", 1, 3, 3), weights("rr", 1, 3, 3), weights("rb", 1, 6), "", "h0"], ["", "rnn_h"],
        name="rnn", hidden_size=3, activations=["ScaledTanh"], activation_alpha=[1.5], activation_beta=[0.7]))
    inits[:] = [i if i.name not in ("z0", "z1", "z2") else numpy_helper.from_array(np.asarray([{"z0": 0, "z1": 1, "z2": 0}[i.name]], dtype=np.int64), i.name) for i in inits]
    concat_fixture(tmp, "recurrent_variants", nodes, inits, ["lstm_y", "lstm_h", "lstm_c", "gru_y", "rnn_h"], [5, 2, 3],
                   rng.uniform(-1.5, 1.5, size=(82, 5, 2, 3)).astype(np.float32))

    # Batch-first (layout = 1), which onnxruntime refuses: checked against
    # onnx's reference evaluator. X is [2, 4, 3]: batch 2, four steps.
    nodes, inits = [], []
    nodes.append(helper.make_node(
        "GRU", [x, weights("bw", 2, 12, 3), weights("br", 2, 12, 4), weights("bb", 2, 24), "", weights("bh0", 2, 2, 4)],
        ["gru_y", "gru_h"], name="gru", hidden_size=4, direction="bidirectional", linear_before_reset=1, layout=1))
    nodes.append(helper.make_node(
        "LSTM", [x, weights("cw", 1, 8, 3), weights("cr", 1, 8, 2)], ["lstm_y", "lstm_h", "lstm_c"], name="lstm",
        hidden_size=2, layout=1))
    concat_fixture(tmp, "recurrent_layout", nodes, inits, ["gru_y", "gru_h", "lstm_y", "lstm_c"], [2, 4, 3],
                   rng.uniform(-1.5, 1.5, size=(82, 2, 4, 3)).astype(np.float32), oracle="reference")


def vision_ops_fixture(tmp):
    """Padded and ceil-mode pooling, transposed and 1-D dilated
    convolutions, instance normalization, Floor/Ceil/Round, ArgMin and fmod,
    exported by PyTorch (TorchScript exporter, opset 17). Inputs lie on a
    1/16 grid, so the rounding operators meet exact integers and halves
    (Round's ties go to even) rather than values a quantum away."""
    rng = np.random.RandomState(13)   # its own stream: the fixture does not depend on what ran before
    import torch
    import torch.nn as nn
    import torch.nn.functional as F
    torch.manual_seed(3)

    class VisionOps(nn.Module):
        def __init__(self):
            super().__init__()
            self.up = nn.ConvTranspose2d(2, 3, 3, stride=2, padding=1, output_padding=1)
            self.norm = nn.InstanceNorm2d(2, affine=True)
            self.conv1d = nn.Conv1d(2, 3, 3, dilation=2, padding=2)
            self.up1d = nn.ConvTranspose1d(2, 2, 4, stride=2, padding=1)
            with torch.no_grad():
                self.norm.weight.copy_(torch.tensor([1.5, -0.5]))
                self.norm.bias.copy_(torch.tensor([0.1, 0.2]))

        def forward(self, x):                                   # x: [1, 2, 8, 8]
            line = x.flatten(2)                                 # [1, 2, 64]
            parts = [F.max_pool2d(x, 3, 2, padding=1, ceil_mode=True),
                     F.avg_pool2d(x, 3, 2, padding=1, count_include_pad=False),
                     F.avg_pool2d(x, 3, 2, padding=1, ceil_mode=True),
                     F.max_pool2d(x - 3, 2, 2, ceil_mode=True),
                     self.up(x), self.norm(x), self.conv1d(line), self.up1d(line),
                     torch.floor(x * 3), torch.ceil(x * 3), torch.round(x * 2), x.argmin(dim=3).float(),
                     torch.fmod(x * 3, 0.7)]   # the grid keeps x·3 at least 0.0125 from a multiple of 0.7
            return torch.cat([p.flatten(1) for p in parts], 1)

    m = VisionOps().eval()
    xs = (rng.randint(-32, 33, size=(82, 1, 2, 8, 8)) / 16.0).astype(np.float32)
    export(m, torch.tensor(xs[0]), f"{tmp}/vision_ops.onnx")
    write_fixture("vision_ops", f"{tmp}/vision_ops.onnx", [[xs[i]] for i in range(50)], [[xs[i]] for i in range(50, 82)])


def nanogpt_fixture(tmp):
    """A nanoGPT-style decoder exported by PyTorch (TorchScript exporter,
    opset 17): token and position embeddings, 4 blocks of 4-head causal
    self-attention (the mask as Where(c, −inf, scores) before Softmax) and a
    GELU MLP, LayerNorms, a language-model head; vocabulary 64, embedding
    64, context 16. Trained for a few hundred steps on an affine next-token
    rule, so its logits are not random. The input is int64 token ids."""
    rng = np.random.RandomState(14)   # its own stream: the fixture does not depend on what ran before
    import math
    import torch
    import torch.nn as nn
    import torch.nn.functional as F
    torch.manual_seed(4)
    V, T, D, H, L = 64, 16, 64, 4, 4

    class Block(nn.Module):
        def __init__(self):
            super().__init__()
            self.ln1, self.ln2 = nn.LayerNorm(D), nn.LayerNorm(D)
            self.attn, self.proj = nn.Linear(D, 3 * D), nn.Linear(D, D)
            self.fc, self.out = nn.Linear(D, 4 * D), nn.Linear(4 * D, D)
            self.register_buffer("mask", torch.tril(torch.ones(T, T)).view(1, 1, T, T))

        def forward(self, x):
            b, t, c = x.shape
            q, k, v = self.attn(self.ln1(x)).split(D, dim=2)
            q, k, v = (z.view(b, t, H, c // H).transpose(1, 2) for z in (q, k, v))
            att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(k.size(-1)))
            att = att.masked_fill(self.mask[:, :, :t, :t] == 0, float("-inf"))
            y = (F.softmax(att, dim=-1) @ v).transpose(1, 2).contiguous().view(b, t, c)
            x = x + self.proj(y)
            return x + self.out(F.gelu(self.fc(self.ln2(x))))

    class GPT(nn.Module):
        def __init__(self):
            super().__init__()
            self.wte, self.wpe = nn.Embedding(V, D), nn.Embedding(T, D)
            self.blocks = nn.ModuleList([Block() for _ in range(L)])
            self.ln, self.head = nn.LayerNorm(D), nn.Linear(D, V, bias=False)

        def forward(self, idx):
            x = self.wte(idx) + self.wpe(torch.arange(0, idx.shape[1], dtype=torch.long))
            for block in self.blocks:
                x = block(x)
            return self.head(self.ln(x))

    def batch(n):
        start = torch.randint(0, V, (n, 1))
        steps = torch.arange(T).view(1, T)
        seq = (start * 5 ** steps + 3 * steps) % V   # a deterministic rule per start token
        return seq[:, :-1], seq[:, 1:]

    m = GPT()
    opt = torch.optim.Adam(m.parameters(), lr=3e-3)
    for _ in range(300):
        x, y = batch(32)
        x = torch.cat([x, torch.zeros(32, 1, dtype=torch.long)], 1)
        opt.zero_grad()
        F.cross_entropy(m(x)[:, :-1].reshape(-1, V), y.reshape(-1)).backward()
        opt.step()
    m.eval()
    xs = rng.randint(0, V, size=(82, 1, T)).astype(np.int64)
    export(m, torch.tensor(xs[0]), f"{tmp}/nanogpt.onnx")
    write_fixture("nanogpt", f"{tmp}/nanogpt.onnx", [[xs[i]] for i in range(50)], [[xs[i]] for i in range(50, 82)])


def indexing_fixtures(tmp):
    """TopK, GatherElements, ScatterElements, Resize (nearest, bilinear,
    align_corners), OneHot and NonZero as PyTorch exports them; and with
    onnx.helper (opset 18) GatherND, ScatterND, OneHot of computed indices,
    TopK on another axis, Resize's other coordinate modes, LpNormalization
    and LpPool."""
    rng = np.random.RandomState(15)   # its own stream: the fixture does not depend on what ran before
    import torch
    import torch.nn as nn
    import torch.nn.functional as F
    from onnx import TensorProto, helper, numpy_helper

    class Indexing(nn.Module):
        def forward(self, x):                                          # x: [1, 2, 6, 6]
            flat = x.flatten(1)
            v, i = torch.topk(flat, 5)
            small, _ = torch.topk(x, 2, dim=2, largest=False)
            g = torch.gather(flat, 1, torch.tensor([[3, 0, 71, 10]]))
            s = flat.scatter(1, torch.tensor([[1, 5, 7]]), v[:, :3])
            up = F.interpolate(x, scale_factor=2, mode="nearest")
            bilinear = F.interpolate(x, size=(9, 4), mode="bilinear", align_corners=False)
            corners = F.interpolate(x, scale_factor=1.5, mode="bilinear", align_corners=True)
            hot = F.one_hot(torch.tensor([2, 0, 3]), 5).float() * flat[:, :1]
            nz = torch.nonzero(torch.tensor([0., 3., 0., 1.])).float().flatten()
            return torch.cat([v, i.float(), small.flatten(1), g, s, up.flatten(1), bilinear.flatten(1), corners.flatten(1),
                              hot.flatten().unsqueeze(0), nz.unsqueeze(0) * flat[:, 1:2]], 1)

    xs = rng.uniform(-2, 2, size=(82, 1, 2, 6, 6)).astype(np.float32)
    export(Indexing().eval(), torch.tensor(xs[0]), f"{tmp}/indexing_ops.onnx")
    write_fixture("indexing_ops", f"{tmp}/indexing_ops.onnx", [[xs[i]] for i in range(50)], [[xs[i]] for i in range(50, 82)])

    nodes, inits = [], []

    def const(name, value, dtype=np.int64):
        inits.append(numpy_helper.from_array(np.asarray(value, dtype=dtype), name))
        return name

    def node(op, inputs, name, outputs=None, **attrs):
        nodes.append(helper.make_node(op, inputs, outputs or [name], name=name, **attrs))
        return name

    x = "input"                                                                     # [1, 2, 4, 4]
    results = [node("GatherND", [x, const("nd", [[0, 1, 2], [0, 0, 3]])], "gathernd"),
               node("ScatterND", [x, const("snd", [[0, 1, 1], [0, 0, 0]]),
                                  node("Reshape", [node("Slice", [x, const("a0", [0, 0, 0, 0]), const("a1", [1, 1, 2, 4])], "rows"),
                                                   const("r24", [2, 4])], "rows24")], "scatternd"),
               node("Resize", [x, "", const("sc", [1, 1, 2, 0.5], np.float32)], "resize_asym", mode="nearest",
                    coordinate_transformation_mode="asymmetric", nearest_mode="floor"),
               node("Resize", [x, "", "", const("sz", [1, 2, 3, 5])], "resize_pytorch", mode="linear",
                    coordinate_transformation_mode="pytorch_half_pixel"),
               node("Resize", [x, "", const("sc2", [1, 1, 1.5, 1.5], np.float32)], "resize_ceil", mode="nearest",
                    nearest_mode="round_prefer_ceil")]
    node("TopK", [x, const("k", [2])], "topk_values", outputs=["topk_values", "topk_indices"], axis=2)
    results += ["topk_values", node("Cast", ["topk_indices"], "topk_f", to=TensorProto.FLOAT)]
    results += [node("LpNormalization", [x], "lpnorm2", axis=1, p=2), node("LpNormalization", [x], "lpnorm1", p=1),
                node("LpPool", [x], "lppool2", kernel_shape=[2, 2], strides=[2, 2], p=2),
                node("LpPool", [x], "lppool1", kernel_shape=[3, 3], pads=[1, 1, 1, 1], p=1)]
    # OneHot of computed indices: the arg-max of each row, off/on values −1 and 2.
    am = node("ArgMax", [x], "argmax", axis=3, keepdims=0)
    results.append(node("OneHot", [am, const("depth", [4]), const("vals", [-1, 2], np.float32)], "onehot"))
    concat_fixture(tmp, "indexing_variants", nodes, inits, results, [1, 2, 4, 4],
                   rng.uniform(-2, 2, size=(82, 1, 2, 4, 4)).astype(np.float32))


def trigonometry_fixture(tmp):
    """Sin, Cos, Tan, Sinh and Cosh exported by PyTorch's dynamo exporter
    (opset 18; the TorchScript exporter has no Sinh)."""
    rng = np.random.RandomState(16)   # its own stream: the fixture does not depend on what ran before
    import torch
    import torch.nn as nn

    class Trigonometry(nn.Module):
        def forward(self, x):                                           # x: [1, 24]
            return torch.cat([torch.sin(x * 3), torch.cos(x * 2 - 1), torch.tan(x * 0.7), torch.sinh(x), torch.cosh(x)], 1)

    xs = rng.uniform(-2, 2, size=(82, 1, 24)).astype(np.float32)
    torch.onnx.export(Trigonometry().eval(), (torch.tensor(xs[0]),), f"{tmp}/trigonometry.onnx", opset_version=18, dynamo=True,
                      input_names=["input"], output_names=["output"])
    write_fixture("trigonometry", f"{tmp}/trigonometry.onnx", [[xs[i]] for i in range(50)], [[xs[i]] for i in range(50, 82)])


def sklearn_fixture(tmp):
    from onnx.utils import Extractor
    from skl2onnx import to_onnx
    from sklearn.neural_network import MLPClassifier
    x8, y = digits(8)
    x = x8.reshape(len(x8), 64)
    m = MLPClassifier(hidden_layer_sizes=(24,), max_iter=400, random_state=0).fit(x, y)
    proto = to_onnx(m, x[:1], options={"zipmap": False}, target_opset=17)
    # Keep the probabilities (the label output uses the ai.onnx.ml domain).
    probabilities = [o.name for o in proto.graph.output if "prob" in o.name][0]
    onnx.save(proto, f"{tmp}/skl_full.onnx")
    sub = Extractor(proto).extract_model([i.name for i in proto.graph.input], [probabilities])
    onnx.save(sub, f"{tmp}/skl_mlp.onnx")
    order = RNG.permutation(len(x))
    write_fixture("sklearn_mlp", f"{tmp}/skl_mlp.onnx", [[x[i:i + 1]] for i in order[:50]], [[x[i:i + 1]] for i in order[50:82]])


def probabilities_first(model):
    """A classifier's outputs reordered so the fixture's first output (the
    one compared with onnxruntime) is the probabilities, the label second."""
    outs = list(model.graph.output)
    label = [o for o in outs if "label" in o.name]
    if len(outs) == 2 and label:
        del model.graph.output[:]
        model.graph.output.extend([o for o in outs if o not in label] + label)
    return model


def classic_ml_fixtures(tmp):
    """Tree ensembles and linear models on the 8×8 digits (64 features on
    a 1/16 grid) as their own exporters emit them: skl2onnx (random forest,
    logistic regression with its L1 normalizer, RBF support-vector
    regression), onnxmltools (XGBoost, LightGBM; ai.onnx.ml opset 1) and
    hummingbird's GEMM tensor form (default-domain operators, via torch)."""
    rng = np.random.RandomState(12)   # its own stream: the fixture does not depend on what ran before
    import warnings
    warnings.filterwarnings("ignore")
    from skl2onnx import to_onnx
    from sklearn.ensemble import RandomForestClassifier, GradientBoostingClassifier
    from sklearn.linear_model import LogisticRegression
    from sklearn.svm import SVR
    x8, y = digits(8)
    x = x8.reshape(len(x8), 64)
    order = rng.permutation(len(x))
    test, cal = order[:50], order[50:82]

    def fixture(name, proto):
        path = f"{tmp}/{name}.onnx"
        onnx.save(probabilities_first(proto), path)
        write_fixture(name, path, [[x[i:i + 1]] for i in test], [[x[i:i + 1]] for i in cal])

    rf = RandomForestClassifier(n_estimators=8, max_depth=6, random_state=0).fit(x, y)
    fixture("random_forest", to_onnx(rf, x[:1], options={"zipmap": False}, target_opset=17))
    lr = LogisticRegression(max_iter=2000).fit(x, y)
    fixture("logistic_multiclass", to_onnx(lr, x[:1], options={"zipmap": False}, target_opset=17))
    svr = SVR(C=1, epsilon=1.0).fit(x, y.astype(np.float32))   # 563 support vectors
    fixture("svr_rbf", to_onnx(svr, x[:1], target_opset=17))

    import xgboost
    import lightgbm
    from onnxmltools import convert_lightgbm, convert_xgboost
    from onnxmltools.convert.common.data_types import FloatTensorType
    features = [("X", FloatTensorType([None, 64]))]
    xgb = xgboost.XGBClassifier(n_estimators=4, max_depth=4, random_state=0).fit(x, y)
    fixture("xgboost", convert_xgboost(xgb, initial_types=features, target_opset=15))
    lgb = lightgbm.LGBMClassifier(n_estimators=12, num_leaves=15, random_state=0, verbose=-1).fit(x, (y == 3).astype(np.int64))
    fixture("lightgbm", convert_lightgbm(lgb, initial_types=features, target_opset=15, zipmap=False))

    import torch
    export = torch.onnx.export   # hummingbird calls it with the TorchScript exporter's arguments
    torch.onnx.export = lambda *a, **k: export(*a, **{**k, "dynamo": False})
    import hummingbird.ml
    gb = GradientBoostingClassifier(n_estimators=3, max_depth=3, random_state=0).fit(x, (y == 7).astype(np.int64))
    # Its three tensor forms: GEMM, and the traversals that gather by computed node indices.
    for strategy, name in [("gemm", "hummingbird_gemm"), ("tree_trav", "hummingbird_traversal"),
                           ("perf_tree_trav", "hummingbird_perfect_traversal")]:
        proto = hummingbird.ml.convert(gb, "onnx", x[:1], extra_config={"tree_implementation": strategy}).model
        # hummingbird names its outputs (label, probabilities) 'variable' and an internal name.
        del proto.graph.output[0]
        fixture(name, proto)
    torch.onnx.export = export


def logic_fixture(tmp):
    """Comparisons, logic, selection, the composed activations, powers and
    reductions, built node by node with onnx.helper (opset 17) as PyTorch
    exports them: x is [1, 2, 8]; row 0 and row 1 are compared, combined
    and selected, and every result is flattened into one output."""
    from onnx import TensorProto, helper, numpy_helper
    nodes, inits = [], []

    def const(name, value, dtype=np.float32):
        inits.append(numpy_helper.from_array(np.asarray(value, dtype=dtype), name))
        return name

    def node(op, inputs, name, **attrs):
        nodes.append(helper.make_node(op, inputs, [name], name=name, **attrs))
        return name

    x = "input"
    a = node("Slice", [x, const("s0", [0], np.int64), const("s1", [1], np.int64), const("ax", [1], np.int64)], "a")
    b = node("Slice", [x, const("s1b", [1], np.int64), const("s2", [2], np.int64), const("axb", [1], np.int64)], "b")
    # Shape arithmetic on integers: 8 // 3 = 2 (ONNX truncates), folded at import.
    width = node("Gather", [node("Shape", [x], "shape"), const("i2", 2, np.int64)], "width")
    third = node("Div", [width, const("three", 3, np.int64)], "third")
    cols = node("Cast", [third, ], "thirdf", to=TensorProto.FLOAT)
    results = []
    for op in ["Less", "Greater", "LessOrEqual", "GreaterOrEqual"]:
        results.append(node("Cast", [node(op, [a, b], op.lower())], op.lower() + "_f", to=TensorProto.FLOAT))
    pa, pb = node("Greater", [a, const("zero", 0.0)], "pa"), node("Greater", [b, const("half", 0.5)], "pb")
    for op in ["And", "Or", "Xor", "Equal"]:
        results.append(node("Cast", [node(op, [pa, pb], op.lower() + "_ab")], op.lower() + "_f", to=TensorProto.FLOAT))
    results.append(node("Cast", [node("Not", [pa], "not_a")], "not_f", to=TensorProto.FLOAT))
    results.append(node("Where", [pa, a, node("Mul", [b, cols], "b2")], "where"))
    results.append(node("Where", [node("Less", [a, const("lim", -1.0)], "below"), const("floor", -1.0), a], "where_const"))
    results += [node("Abs", [a], "abs"), node("Sign", [b], "sign"), node("Max", [a, b, const("m", 0.25)], "max3"),
                node("Min", [a, b], "min2")]
    results.append(node("PRelu", [a, const("slope", [[0.1], ], np.float32)], "prelu"))
    results.append(node("HardSigmoid", [a], "hsig", alpha=0.25, beta=0.4))
    results.append(node("HardSwish", [b], "hswish"))
    results += [node("Elu", [a], "elu", alpha=0.7), node("Selu", [b], "selu"), node("Celu", [a], "celu", alpha=1.5)]
    results += [node("Softplus", [a], "softplus"), node("Softsign", [b], "softsign"), node("Mish", [a], "mish")]
    mag = node("Abs", [b], "mag")
    results += [node("Sqrt", [mag], "sqrt"), node("Reciprocal", [node("Add", [mag, const("one", 1.0)], "mag1")], "recip")]
    for i, p in enumerate([2.0, 3.0, 0.5, -0.5, 1.7]):
        base = a if p in (2.0, 3.0) else node("Add", [mag, const(f"off{i}", 0.5)], f"base{i}")
        results.append(node("Pow", [base, const(f"p{i}", p)], f"pow{i}"))
    results.append(node("Tile", [a, const("reps", [1, 2, 1], np.int64)], "tile"))
    results += [node("Trilu", [x, const("k1", 1, np.int64)], "triu"), node("Trilu", [x], "tril", upper=0)]
    for op in ["ReduceMin", "ReduceSumSquare", "ReduceL1", "ReduceL2", "ReduceLogSumExp"]:
        results.append(node(op, [x, const(op + "_axes", [2], np.int64)], op.lower(), keepdims=0))
    flat = [node("Reshape", [r, const(f"flat{i}", [1, -1], np.int64)], f"flat_{i}") for i, r in enumerate(results)]
    nodes.append(helper.make_node("Concat", flat, ["output"], name="concat", axis=1))
    graph = helper.make_graph(nodes, "logic", [helper.make_tensor_value_info("input", TensorProto.FLOAT, [1, 2, 8])],
                              [helper.make_tensor_value_info("output", TensorProto.FLOAT, [1, "n"])], inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 18)], producer_name="onnx.helper")
    model.ir_version = 9
    onnx.save(model, f"{tmp}/logic.onnx")
    xs = RNG.uniform(-2, 2, size=(82, 1, 2, 8)).astype(np.float32)
    write_fixture("logic", f"{tmp}/logic.onnx", [[xs[i]] for i in range(50)], [[xs[i]] for i in range(50, 82)])


def integer_ops_fixture(tmp):
    """Bitwise operations, shifts and integer division on integer inputs,
    built with onnx.helper (opset 18): a and b are int32 (b never 0), u is
    uint8 and k uint8 shift amounts in [0, 7]; every result is cast to
    float and flattened into one output."""
    from onnx import TensorProto, helper, numpy_helper
    nodes, inits = [], []
    rng = np.random.RandomState(4321)

    def const(name, value, dtype):
        inits.append(numpy_helper.from_array(np.asarray(value, dtype=dtype), name))
        return name

    def node(op, inputs, name, **attrs):
        nodes.append(helper.make_node(op, inputs, [name], name=name, **attrs))
        return name

    a, b, u, k = "a", "b", "u", "k"
    results = [node(op, [a, b], op.lower()) for op in ["BitwiseAnd", "BitwiseOr", "BitwiseXor"]]
    results.append(node("BitwiseAnd", [a, const("mask", 0xF0F, np.int32)], "and_const"))
    results += [node("BitwiseNot", [a], "not_i32"), node("BitwiseNot", [u], "not_u8")]
    results.append(node("BitwiseXor", [u, node("BitShift", [u, const("one", 1, np.uint8)], "u_half", direction="RIGHT")], "gray"))
    results.append(node("BitShift", [u, const("three", 3, np.uint8)], "left_const", direction="LEFT"))
    results.append(node("BitShift", [u, k], "left_var", direction="LEFT"))
    results.append(node("BitShift", [u, k], "right_var", direction="RIGHT"))
    results.append(node("BitShift", [u, const("amounts", [[0, 1, 2, 3, 4, 5, 6, 7, 8, 1, 2, 3]], np.uint8)], "right_each",
                        direction="RIGHT"))
    results += [node("Div", [a, b], "div"), node("Div", [a, const("seven", 7, np.int32)], "div_const"),
                node("Div", [a, const("minus4", -4, np.int32)], "div_pow2"),
                node("Mod", [a, b], "mod"), node("Mod", [a, b], "fmod", fmod=1),
                node("Mod", [a, const("five", -5, np.int32)], "mod_const")]
    flat = [node("Reshape", [node("Cast", [r], f"{r}_f", to=TensorProto.FLOAT), const(f"flat{i}", [1, -1], np.int64)],
                 f"flat_{i}") for i, r in enumerate(results)]
    nodes.append(helper.make_node("Concat", flat, ["output"], name="concat", axis=1))
    inputs = [helper.make_tensor_value_info(a, TensorProto.INT32, [1, 12]), helper.make_tensor_value_info(b, TensorProto.INT32, [1, 12]),
              helper.make_tensor_value_info(u, TensorProto.UINT8, [1, 12]), helper.make_tensor_value_info(k, TensorProto.UINT8, [1, 12])]
    graph = helper.make_graph(nodes, "integer_ops", inputs, [helper.make_tensor_value_info("output", TensorProto.FLOAT, [1, "n"])], inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 18)], producer_name="onnx.helper")
    model.ir_version = 9
    onnx.save(model, f"{tmp}/integer_ops.onnx")

    def sample():
        divisor = rng.randint(1, 40, size=(1, 12)) * rng.choice([-1, 1], size=(1, 12))
        return [rng.randint(-5000, 5000, size=(1, 12)).astype(np.int32), divisor.astype(np.int32),
                rng.randint(0, 256, size=(1, 12)).astype(np.uint8), rng.randint(0, 8, size=(1, 12)).astype(np.uint8)]
    samples = [sample() for _ in range(82)]
    write_fixture("integer_ops", f"{tmp}/integer_ops.onnx", samples[:50], samples[50:])


if __name__ == "__main__":
    import tempfile
    with tempfile.TemporaryDirectory() as tmp:
        try:
            import torch  # noqa: F401
            torch_fixtures(tmp)
            gelu_fixture(tmp)
            recurrent_fixtures(tmp)
            classic_ml_fixtures(tmp)
            vision_ops_fixture(tmp)
            nanogpt_fixture(tmp)
            indexing_fixtures(tmp)
            trigonometry_fixture(tmp)
        except ImportError:
            print("torch is not installed: the torch fixtures keep their committed versions", file=sys.stderr)
        sklearn_fixture(tmp)
        logic_fixture(tmp)
        integer_ops_fixture(tmp)
        recurrent_variants_fixture(tmp)
