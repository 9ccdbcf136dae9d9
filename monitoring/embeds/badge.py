"""The progress badge for newsletters and websites: "Kreis Düren | 12 % abgeschlossen", as SVG and as PNG.

Two boxes as the usual status badges have them: the organisation on dark green, the share of completed measures
on light green. The PNG is drawn with Pillow in DejaVu (the fonts of networks.preview), at twice the size for sharp
type on high-density screens; both are pure functions of their texts, so callers cache them by an ETag of those.
"""

from __future__ import annotations

import functools
import hashlib
import io

from django.utils.html import escape
from PIL import Image, ImageDraw

from networks.preview import GREEN, INK, LIGHT_GREEN, WHITE, _font

VERSION = "1"  # part of the ETag: bump when the drawing changes
HEIGHT, FONT_SIZE, PAD = 22, 12, 7
SCALE = 2  # PNG pixels per SVG unit


def etag(label: str, text: str) -> str:
    return '"' + hashlib.sha256(f"{VERSION}|{label}|{text}".encode()).hexdigest()[:32] + '"'


def _widths(label: str, text: str) -> tuple[int, int]:
    draw = ImageDraw.Draw(Image.new("RGB", (1, 1)))
    font = _font(FONT_SIZE * SCALE)
    measure = [round(draw.textlength(t, font=font) / SCALE) + 2 * PAD for t in (label, text)]
    return measure[0], measure[1]


def _hex(rgb: tuple[int, int, int]) -> str:
    return "#" + "".join(f"{c:02x}" for c in rgb)


def svg(label: str, text: str) -> bytes:
    left, right = _widths(label, text)
    width = left + right
    baseline = 15
    title = escape(f"{label}: {text}")
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{HEIGHT}" viewBox="0 0 {width} {HEIGHT}" '
        f'role="img" aria-label="{title}"><title>{title}</title>'
        f'<rect width="{left}" height="{HEIGHT}" rx="3" fill="{_hex(GREEN)}"/>'
        f'<rect x="{left}" width="{right}" height="{HEIGHT}" rx="3" fill="{_hex(LIGHT_GREEN)}"/>'
        f'<rect x="{left}" width="4" height="{HEIGHT}" fill="{_hex(LIGHT_GREEN)}"/>'
        f'<g font-family="DejaVu Sans,Verdana,sans-serif" font-size="{FONT_SIZE}">'
        f'<text x="{PAD}" y="{baseline}" fill="{_hex(WHITE)}">{escape(label)}</text>'
        f'<text x="{left + PAD}" y="{baseline}" fill="{_hex(INK)}">{escape(text)}</text></g></svg>'
    ).encode()


@functools.lru_cache(maxsize=256)
def png(label: str, text: str) -> bytes:
    left, right = _widths(label, text)
    image = Image.new("RGB", ((left + right) * SCALE, HEIGHT * SCALE), LIGHT_GREEN)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, left * SCALE - 1, HEIGHT * SCALE), fill=GREEN)
    font = _font(FONT_SIZE * SCALE)
    middle = HEIGHT * SCALE / 2
    draw.text((PAD * SCALE, middle), label, font=font, fill=WHITE, anchor="lm")
    draw.text(((left + PAD) * SCALE, middle), text, font=font, fill=INK, anchor="lm")
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
