#!/usr/bin/env python3
"""Regenerates the fuzz seed corpora in Tests/Fuzz/Corpus (committed; a few KB each).

PNGDecode/   hand-encoded PNGs of every colour type and bit depth, plain and Adam7-interlaced,
       with tRNS, gAMA, PLTE and multiple IDAT variants (standard library only).
JPEGDecode/  one PBC donor cell (../shared/data/pbc, CC BY 4.0) reduced 1/8 by djpeg and
       re-encoded by cjpeg/jpegtran: baseline, progressive, grayscale, 4:4:4/4:2:2/4:2:0,
       restart markers, arithmetic coding, optimised tables. Only PBC bytes, never deepapl.
LabelMap/  selector byte (0 label map, 1 CSV table, 2 slide table) + the shipped
       Models/label-map.json, a minimal map, and invented CSV rows in the slides.csv layout.
ModelLoad/ a tiny model (description JSON + safetensors) in the harness's input layout:
       4-byte little-endian JSON length, the JSON, then the safetensors bytes.

Run from the repository root: python3 Tests/Fuzz/make-corpus.py
"""
import json, os, struct, subprocess, zlib

ROOT = "Tests/Fuzz/Corpus"  # one folder per harness
PBC_CELL = "../shared/data/pbc/lymphocyte/LY_10361.jpg"  # also in SampleImages/pbc-donor


def chunk(kind, payload):
    return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))


def pack_row(samples, depth):
    if depth == 8:
        return bytes(samples)
    if depth == 16:
        return b"".join(struct.pack(">H", s) for s in samples)
    out, acc, bits = bytearray(), 0, 0
    for s in samples:
        acc, bits = (acc << depth) | s, bits + depth
        if bits == 8:
            out.append(acc); acc, bits = 0, 0
    if bits:
        out.append(acc << (8 - bits))
    return bytes(out)


ADAM7 = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]


def png(width, height, color_type, depth, interlace=False, extra=b"", split_idat=False):
    channels = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}[color_type]
    top = (1 << depth) - 1
    def sample(x, y, c):
        return ((x * 7 + y * 13 + c * 5) * 2654435761 >> 7) % (top + 1) if color_type != 3 else (x + y) % min(top + 1, 16)
    def rows(xs, ys):
        raw = bytearray()
        for y in ys:
            raw.append(y % 5)  # every filter type
            raw += pack_row([sample(x, y, c) for x in xs for c in range(channels)], depth)
        return bytes(raw)
    if interlace:
        raw = b"".join(rows(range(x0, width, dx), range(y0, height, dy))
                       for x0, y0, dx, dy in ADAM7 if x0 < width and y0 < height)
    else:
        raw = rows(range(width), range(height))
    # Filters other than 0 are applied to already-"filtered" bytes: the decoder only has to
    # undo them, which gives every filter path real data.
    data = zlib.compress(raw, 9)
    idat = [data[: len(data) // 2], data[len(data) // 2:]] if split_idat else [data]
    head = struct.pack(">IIBBBBB", width, height, depth, color_type, 0, 0, 1 if interlace else 0)
    out = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", head)
    if color_type == 3:
        out += chunk(b"PLTE", bytes((i * 16, 255 - i * 16, (i * 40) % 256)[k] for i in range(16) for k in range(3)))
    out += extra
    for part in idat:
        out += chunk(b"IDAT", part)
    return out + chunk(b"IEND", b"")


def write(folder, name, data):
    os.makedirs(f"{ROOT}/{folder}", exist_ok=True)
    with open(f"{ROOT}/{folder}/{name}", "wb") as f:
        f.write(data)


def make_pngs():
    gamma = chunk(b"gAMA", struct.pack(">I", 45455))
    srgb = chunk(b"sRGB", b"\x00")
    for color_type, depths in [(0, [1, 2, 4, 8, 16]), (2, [8, 16]), (3, [1, 2, 4, 8]), (4, [8, 16]), (6, [8, 16])]:
        for depth in depths:
            for interlace in (False, True):
                name = f"ct{color_type}-{depth}bit{'-adam7' if interlace else ''}.png"
                write("PNGDecode", name, png(11, 9, color_type, depth, interlace, extra=gamma if depth == 16 else b""))
    write("PNGDecode", "ct0-8bit-trns.png", png(8, 8, 0, 8, extra=chunk(b"tRNS", b"\x00\x07")))
    write("PNGDecode", "ct2-8bit-trns-srgb.png", png(8, 8, 2, 8, extra=srgb + chunk(b"tRNS", b"\x00\x01\x00\x02\x00\x03")))
    write("PNGDecode", "ct3-4bit-trns.png", png(8, 8, 3, 4, extra=chunk(b"tRNS", bytes(range(0, 256, 32)))))
    write("PNGDecode", "ct2-8bit-split-idat.png", png(16, 5, 2, 8, split_idat=True))
    write("PNGDecode", "ct6-16bit-adam7-1x1.png", png(1, 1, 6, 16, interlace=True))


def make_jpegs():
    ppm = subprocess.run(["djpeg", "-scale", "1/8", "-ppm", PBC_CELL], check=True, capture_output=True).stdout
    variants = {
        "baseline-420.jpg": ["-quality", "75"],
        "baseline-444.jpg": ["-quality", "90", "-sample", "1x1"],
        "baseline-422.jpg": ["-sample", "2x1"],
        "baseline-440.jpg": ["-sample", "1x2"],
        "baseline-411.jpg": ["-sample", "4x1"],
        "gray.jpg": ["-grayscale"],
        "progressive.jpg": ["-progressive"],
        "progressive-gray.jpg": ["-progressive", "-grayscale"],
        "restart.jpg": ["-restart", "1"],
        "arithmetic.jpg": ["-arithmetic"],
        "arithmetic-progressive.jpg": ["-arithmetic", "-progressive"],
        "optimized-rgb.jpg": ["-optimize", "-rgb"],
        "quality10.jpg": ["-quality", "10"],
    }
    for name, args in variants.items():
        write("JPEGDecode", name, subprocess.run(["cjpeg", *args], input=ppm, check=True, capture_output=True).stdout)
    # Selector byte first (the JPEG harness's input layout): 0 full size, 1..3 reductions.
    for path in sorted(os.listdir(f"{ROOT}/JPEGDecode")):
        if not path.startswith("scale"):
            data = open(f"{ROOT}/JPEGDecode/{path}", "rb").read()
            os.rename(f"{ROOT}/JPEGDecode/{path}", f"{ROOT}/JPEGDecode/scale{len(path) % 4}-{path}")
            with open(f"{ROOT}/JPEGDecode/scale{len(path) % 4}-{path}", "wb") as f:
                f.write(bytes([len(path) % 4]) + data)


def safetensors(tensors):
    header, offset, blobs = {}, 0, []
    for name in sorted(tensors):
        shape, values = tensors[name]
        blob = struct.pack(f"<{len(values)}f", *values)
        header[name] = {"dtype": "F32", "shape": shape, "data_offsets": [offset, offset + len(blob)]}
        offset += len(blob)
        blobs.append(blob)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    return struct.pack("<Q", len(text)) + text + b"".join(blobs)


def make_models():
    def spec(layers, width=4):
        return {"name": "fuzz-seed", "version": "1.0.0", "description": "tiny fuzz seed",
                "input": {"width": width, "height": width, "micrometresPerPixel": 0.5,
                          "mean": [0.5, 0.5, 0.5], "std": [0.25, 0.25, 0.25]},
                "classes": ["a", "b"], "layers": layers}
    def values(n, seed):
        return [((i * 37 + seed) % 17 - 8) / 16 for i in range(n)]
    models = {
        "conv-bn-pool-linear": (spec([
            {"name": "conv", "type": "conv2d", "outChannels": 2, "kernel": 3, "padding": 1},
            {"name": "bn", "type": "batchnorm"},
            {"name": "act", "type": "relu"},
            {"name": "pool", "type": "globalavgpool"},
            {"name": "fc", "type": "linear", "outFeatures": 2},
            {"name": "prob", "type": "softmax"}]), {
            "conv.weight": ([2, 3, 3, 3], values(54, 1)), "conv.bias": ([2], values(2, 2)),
            "bn.weight": ([2], [1.0, 0.5]), "bn.bias": ([2], [0.0, 0.1]),
            "bn.running_mean": ([2], [0.0, 0.2]), "bn.running_var": ([2], [1.0, 2.0]),
            "fc.weight": ([2, 2], values(4, 3)), "fc.bias": ([2], values(2, 4))}),
        "residual-concat": (spec([
            {"name": "a", "type": "conv2d", "outChannels": 3, "kernel": 1, "bias": False},
            {"name": "sum", "type": "add", "inputs": ["input", "a"]},
            {"name": "dw", "type": "conv2d", "outChannels": 3, "kernel": 3, "stride": 2, "padding": 1, "groups": 3},
            {"name": "mp", "type": "maxpool", "kernel": 2},
            {"name": "ap", "type": "avgpool", "kernel": 2, "stride": 1, "padding": 1, "inputs": ["mp"]},
            {"name": "cat", "type": "concat", "inputs": ["mp", "ap"]},
            {"name": "act", "type": "silu"},
            {"name": "fc", "type": "linear", "outFeatures": 2}], width=8), {
            "a.weight": ([3, 1, 1, 3], values(9, 5)), "dw.weight": ([3, 3, 3, 1], values(27, 6)),
            "dw.bias": ([3], values(3, 7)), "fc.weight": ([2, 12], values(24, 8)), "fc.bias": ([2], values(2, 9))}),
    }
    for name, (description, tensors) in models.items():
        text = json.dumps(description, indent=1).encode()
        write("ModelLoad", name, struct.pack("<I", len(text)) + text + safetensors(tensors))


def make_label_maps():
    with open("Models/label-map.json", "rb") as f:
        write("LabelMap", "labelmap-shipped.json", b"\x00" + f.read())
    write("LabelMap", "labelmap-minimal.json", b"\x00" + json.dumps({
        "format": "smearscan-label-map", "version": 1, "description": "", "labels": {"Blast": "blast"},
        "prefixRules": [{"label": "Blast", "prefix": "PMY", "class": "promyelocyte"}], "ignored": ["Artefact"]},
        separators=(",", ":")).encode())
    # Invented rows in the deepapl slides.csv layout (no deepapl bytes).
    rows = (b'slide,patient,diagnosis,label,cells_signed,cells_here\r\nS1,P1,AML,"Blast",12,10\r\n'
            b'S1,P1,AML,Lymphocyte,"3",3\r\nS2,P2,APL,"Smudge cells",0,0\r\n')
    write("LabelMap", "csvtable.csv", b"\x01" + rows)
    write("LabelMap", "slidetable.csv", b"\x02" + rows)
    write("LabelMap", "csv-quotes.csv", b'\x01a,"b ""q"" c",d\n1,"x\ny",3\n')


if __name__ == "__main__":
    make_label_maps()
    make_pngs()
    make_jpegs()
    make_models()
