#!/usr/bin/env python3
"""SmearScan's classifier side by side with ONNX Runtime on the same model, crops, batch and threads.

Runs `smearscan benchmark core --json --save-outputs DIR` (which also writes the crops it used,
its probabilities and the model files), builds the equivalent ONNX graph from the model's JSON
description and safetensors weights, checks ONNX Runtime's probabilities against SmearScan's
(max absolute difference <= 1e-4) and reports crops/s for both and their ratio.

Usage (after `swift build -c release`):
    python3 -m venv /tmp/onnxenv && /tmp/onnxenv/bin/pip install onnx onnxruntime numpy
    /tmp/onnxenv/bin/python Benchmarks/onnx_compare.py [--model Models/architectures/smearnet-s.json]
        [--batch 32] [--threads 1] [--rounds 5] [--smearscan .build/release/smearscan]

Both runtimes get the same work: uint8 RGB crops in, probabilities out (normalisation, NHWC to
NCHW layout change and the final softmax are inside the ONNX graph). ONNX Runtime runs with
`intra_op_num_threads = --threads` and all graph optimisations (it folds batch normalisation too).
"""
import argparse
import json
import struct
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort
from onnx import TensorProto, helper, numpy_helper


def read_safetensors(path):
    """Tensors of a safetensors file as float32 numpy arrays (F32 only, as SmearScan writes)."""
    data = Path(path).read_bytes()
    (length,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8 : 8 + length])
    body = data[8 + length :]
    tensors = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        assert entry["dtype"] == "F32", f"{path}: {name}: dtype {entry['dtype']}"
        begin, end = entry["data_offsets"]
        tensors[name] = np.frombuffer(body[begin:end], dtype="<f4").reshape(entry["shape"])
    return tensors


def build_onnx(description, tensors):
    """The ONNX graph of a SmearScan model description: uint8 NHWC crops -> probabilities."""
    nodes, initializers = [], []

    def constant(name, array):
        initializers.append(numpy_helper.from_array(np.ascontiguousarray(array, dtype=np.float32), name))
        return name

    spec = description["input"]
    mean, std = np.array(spec["mean"], np.float32), np.array(spec["std"], np.float32)
    nodes.append(helper.make_node("Cast", ["crops"], ["crops_f"], to=TensorProto.FLOAT))
    nodes.append(helper.make_node("Mul", ["crops_f", constant("in_scale", 1 / (255 * std))], ["crops_s"]))
    nodes.append(helper.make_node("Add", ["crops_s", constant("in_shift", -mean / std)], ["crops_n"]))
    nodes.append(helper.make_node("Transpose", ["crops_n"], ["input"], perm=[0, 3, 1, 2]))

    previous = "input"
    for layer in description["layers"]:
        name, kind = layer["name"], layer["type"]
        # Layer outputs live in their own namespace so a layer may be called "probabilities".
        inputs = [i if i == "input" else "layer:" + i for i in layer["inputs"]] if layer.get("inputs") else [previous]
        out = "layer:" + name
        if kind == "conv2d":
            weight = tensors[name + ".weight"].transpose(0, 3, 1, 2)  # OHWI -> OIHW
            args = [inputs[0], constant(name + ".weight", weight)]
            if name + ".bias" in tensors:
                args.append(constant(name + ".bias", tensors[name + ".bias"]))
            k, p = layer["kernel"], layer.get("padding", 0)
            nodes.append(helper.make_node("Conv", args, [out], kernel_shape=[k, k], strides=[layer.get("stride", 1)] * 2,
                                          pads=[p, p, p, p], group=layer.get("groups", 1)))
        elif kind == "batchnorm":
            args = [inputs[0]] + [constant(name + "." + t, tensors[name + "." + t])
                                  for t in ("weight", "bias", "running_mean", "running_var")]
            nodes.append(helper.make_node("BatchNormalization", args, [out], epsilon=layer.get("epsilon", 1e-5)))
        elif kind == "relu":
            nodes.append(helper.make_node("Relu", inputs, [out]))
        elif kind == "relu6":
            nodes.append(helper.make_node("Clip", [inputs[0], constant(name + ".lo", np.array(0)), constant(name + ".hi", np.array(6))], [out]))
        elif kind == "silu":
            nodes.append(helper.make_node("Sigmoid", inputs, [name + ".sigmoid"]))
            nodes.append(helper.make_node("Mul", [inputs[0], name + ".sigmoid"], [out]))
        elif kind in ("maxpool", "avgpool"):
            k, p = layer["kernel"], layer.get("padding", 0)
            attributes = dict(kernel_shape=[k, k], strides=[layer.get("stride", k)] * 2, pads=[p, p, p, p])
            if kind == "avgpool":
                attributes["count_include_pad"] = 0
            nodes.append(helper.make_node("MaxPool" if kind == "maxpool" else "AveragePool", inputs, [out], **attributes))
        elif kind == "globalavgpool":
            nodes.append(helper.make_node("GlobalAveragePool", inputs, [out]))
        elif kind == "linear":
            # SmearScan flattens in (H, W, C) order.
            nodes.append(helper.make_node("Transpose", inputs, [name + ".nhwc"], perm=[0, 2, 3, 1]))
            nodes.append(helper.make_node("Flatten", [name + ".nhwc"], [name + ".flat"], axis=1))
            args = [name + ".flat", constant(name + ".weight", tensors[name + ".weight"])]
            if name + ".bias" in tensors:
                args.append(constant(name + ".bias", tensors[name + ".bias"]))
            nodes.append(helper.make_node("Gemm", args, [name + ".2d"], transB=1))
            nodes.append(helper.make_node("Unsqueeze", [name + ".2d", constant_int(initializers, name + ".axes", [2, 3])], [out]))
        elif kind == "add":
            nodes.append(helper.make_node("Sum", inputs, [out]))
        elif kind == "concat":
            nodes.append(helper.make_node("Concat", inputs, [out], axis=1))
        elif kind == "softmax":
            nodes.append(helper.make_node("Softmax", inputs, [out], axis=1))
        else:
            raise SystemExit(f"unsupported layer type {kind}")
        previous = out
    if description["layers"][-1]["type"] != "softmax":
        nodes.append(helper.make_node("Softmax", [previous], ["final_softmax"], axis=1))
        previous = "final_softmax"
    nodes.append(helper.make_node("Flatten", [previous], ["probabilities"], axis=1))
    graph = helper.make_graph(
        nodes, description["name"],
        [helper.make_tensor_value_info("crops", TensorProto.UINT8, [None, spec["height"], spec["width"], 3])],
        [helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, [None, len(description["classes"])])],
        initializers)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    onnx.checker.check_model(model)
    return model


def constant_int(initializers, name, values):
    initializers.append(numpy_helper.from_array(np.array(values, dtype=np.int64), name))
    return name


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smearscan", default=".build/release/smearscan")
    parser.add_argument("--model", default="Models/architectures/smearnet-s.json")
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--clock", choices=["wall", "threadCPU"], default="wall",
                        help="threadCPU times the calling thread's CPU time on both sides, which leaves out time other "
                             "processes held the core on a shared machine (needs --threads 1: ONNX Runtime then runs "
                             "every operator on the calling thread)")
    args = parser.parse_args()
    if args.clock == "threadCPU" and args.threads != 1:
        parser.error("--clock threadCPU needs --threads 1")
    clock = time.thread_time if args.clock == "threadCPU" else time.perf_counter

    with tempfile.TemporaryDirectory() as folder:
        result = subprocess.run(
            [args.smearscan, "benchmark", "core", "--model", args.model, "--batch", str(args.batch),
             "--threads", str(args.threads),
             "--rounds", str(args.rounds), "--clock", args.clock, "--json", "--save-outputs", folder],
            check=True, capture_output=True, text=True)
        smearscan = json.loads(result.stdout)
        description = json.loads(Path(folder, "model.json").read_text())
        tensors = read_safetensors(Path(folder, "model.safetensors"))
        spec = description["input"]
        crops = np.fromfile(Path(folder, "crops.u8"), dtype=np.uint8).reshape(args.batch, spec["height"], spec["width"], 3)
        expected = np.fromfile(Path(folder, "probabilities.f32"), dtype="<f4").reshape(args.batch, -1)

    options = ort.SessionOptions()
    options.intra_op_num_threads = args.threads
    options.inter_op_num_threads = 1
    options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    session = ort.InferenceSession(build_onnx(description, tensors).SerializeToString(), options,
                                   providers=["CPUExecutionProvider"])
    probabilities = session.run(None, {"crops": crops})[0]
    difference = float(np.abs(probabilities - expected).max())

    passes = max(2, 600 // args.batch)
    best = 0.0
    for _ in range(args.rounds):
        start = clock()
        for _ in range(passes):
            session.run(None, {"crops": crops})
        best = max(best, passes * args.batch / (clock() - start))

    ours = smearscan["cropsPerSecond"]
    print(f"model {description['name']} ({smearscan['flopsPerCrop'] / 1e6:.1f} MFLOPs/crop), batch {args.batch}, "
          f"threads {args.threads}, clock {args.clock}, "
          f"ONNX Runtime {ort.__version__}")
    print(f"max |p_smearscan - p_onnxruntime| = {difference:.2e} ({'ok' if difference <= 1e-4 else 'FAIL'}, limit 1e-4)")
    print(f"SmearScan:    {ours:8.0f} crops/s")
    print(f"ONNX Runtime: {best:8.0f} crops/s")
    print(f"ratio SmearScan / ONNX Runtime: {ours / best:.2f}x")
    print("Machine note: 2 cores shared with other work; best of rounds for both.")
    return 0 if difference <= 1e-4 else 1


if __name__ == "__main__":
    sys.exit(main())
