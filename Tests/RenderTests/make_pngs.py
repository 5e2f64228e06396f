#!/usr/bin/env python3
"""Writes PNGs of every colour type, bit depth, tRNS form and interlacing, with an encoder of its own
(not the decoder under test), and beside each NAME.png the pixels it holds as NAME.rgba: 8-bit RGBA,
grey repeated into R, G and B, 16-bit samples by their high byte, low depths scaled to 0-255.
Usage: make_pngs.py DIR"""
import os
import random
import struct
import sys
import zlib

ADAM7 = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]
CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}


def chunk(kind, body):
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)


def pack_row(pixels, depth):
    """Samples of one row (a flat list) to bytes, high bits first below 8 bits."""
    if depth == 16:
        return b"".join(struct.pack(">H", v) for v in pixels)
    if depth == 8:
        return bytes(pixels)
    out, acc, bits = bytearray(), 0, 0
    for v in pixels:
        acc = (acc << depth) | v
        bits += depth
        if bits == 8:
            out.append(acc)
            acc, bits = 0, 0
    if bits:
        out.append(acc << (8 - bits))
    return bytes(out)


def filtered(row, prev, bpp, kind):
    """PNG filter 0 (none), 1 (sub) or 2 (up) applied to one row of bytes."""
    if kind == 1:
        return bytes((row[i] - (row[i - bpp] if i >= bpp else 0)) & 0xFF for i in range(len(row)))
    if kind == 2:
        return bytes((row[i] - (prev[i] if prev else 0)) & 0xFF for i in range(len(row)))
    return row


def write(path, width, height, depth, ctype, pixels, palette=None, trns=None, interlace=False, rng=None):
    """pixels[y][x] is a tuple of samples at the image's depth."""
    ch = CHANNELS[ctype]
    bpp = max(1, ch * depth // 8)
    passes = ADAM7 if interlace else [(0, 0, 1, 1)]
    raw = bytearray()
    for x0, y0, dx, dy in passes:
        xs, ys = list(range(x0, width, dx)), list(range(y0, height, dy))
        if not xs or not ys:
            continue
        prev = None
        for y in ys:
            row = pack_row([s for x in xs for s in pixels[y][x]], depth)
            kind = rng.choice([0, 1, 2])
            raw += bytes([kind]) + filtered(row, prev, bpp, kind)
            prev = row
    data = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, depth, ctype, 0, 0, 1 if interlace else 0))
    if palette:
        data += chunk(b"PLTE", bytes(c for rgb in palette for c in rgb))
    if trns is not None:
        data += chunk(b"tRNS", trns)
    data += chunk(b"IDAT", zlib.compress(bytes(raw))) + chunk(b"IEND", b"")
    with open(path, "wb") as f:
        f.write(data)


def eight(v, depth):
    return v >> 8 if depth == 16 else v * 255 // ((1 << depth) - 1)


def case(d, name, width, height, depth, ctype, interlace, rng, transparent=False):
    top = (1 << depth) - 1
    palette = trns = None
    if ctype == 3:
        n = min(1 << depth, 12)
        palette = [tuple(rng.randrange(256) for _ in range(3)) for _ in range(n)]
        pixels = [[(rng.randrange(n),) for _ in range(width)] for _ in range(height)]
        alphas = [rng.randrange(256) for _ in range(n // 2)] if transparent else None
        trns = bytes(alphas) if alphas else None
        rgba = [palette[p[0]] + ((alphas[p[0]] if alphas and p[0] < len(alphas) else 255),) for row in pixels for p in row]
    else:
        ch = CHANNELS[ctype]
        pixels = [[tuple(rng.randrange(top + 1) for _ in range(ch)) for _ in range(width)] for _ in range(height)]
        key = None
        if transparent and ctype in (0, 2):
            key = pixels[height // 2][width // 2]        # one colour present in the image, made transparent
            pixels[0][0] = key
            trns = b"".join(struct.pack(">H", v) for v in key)
        rgba = []
        for row in pixels:
            for p in row:
                g = [eight(v, depth) for v in p]
                colour = g[:3] if ctype in (2, 6) else [g[0]] * 3
                alpha = g[-1] if ctype in (4, 6) else (0 if key is not None and p == key else 255)
                rgba.append(tuple(colour) + (alpha,))
    write(os.path.join(d, name + ".png"), width, height, depth, ctype, pixels, palette, trns, interlace, rng)
    with open(os.path.join(d, name + ".rgba"), "wb") as f:
        f.write(bytes(c for p in rgba for c in p))


def main(d):
    rng = random.Random(7)
    for ctype, depths in ((0, (1, 2, 4, 8, 16)), (2, (8, 16)), (3, (1, 2, 4, 8)), (4, (8, 16)), (6, (8, 16))):
        for depth in depths:
            for interlace in (False, True):
                for transparent in ((False, True) if ctype in (0, 2, 3) else (False,)):
                    w, h = rng.randrange(1, 23), rng.randrange(1, 19)
                    name = "c%d-d%d%s%s" % (ctype, depth, "-adam7" if interlace else "", "-trns" if transparent else "")
                    case(d, name, w, h, depth, ctype, interlace, rng, transparent)


main(sys.argv[1])
