#!/usr/bin/env python3
"""Decodes every barcode in a rasterised page with zxing-cpp (a real, independent reader) and prints
one JSON object per code: format, text and the centre of its position in pixels."""
import json
import sys

import zxingcpp
from PIL import Image

image = Image.open(sys.argv[1])
found = []
for r in zxingcpp.read_barcodes(image):
    p = r.position
    xs = [p.top_left.x, p.top_right.x, p.bottom_left.x, p.bottom_right.x]
    ys = [p.top_left.y, p.top_right.y, p.bottom_left.y, p.bottom_right.y]
    found.append({"format": str(r.format).split(".")[-1], "text": r.text,
                  "x": sum(xs) / 4, "y": sum(ys) / 4})
json.dump(found, sys.stdout, ensure_ascii=False)
