"""Preview images for sharing (OpenGraph/Twitter cards): 1200x630 PNG drawn with Pillow, self-hosted.

``render_card(title=..., context=..., status=..., progress=...)`` draws the card: the Klimanetz mark, the kind
and place (roadmap, municipality) above, the title in large type (at most four lines, cut with "…"), a status
line and an optional progress bar. Fonts come from Debian's fonts-dejavu (CI installs them with apt); without
them Pillow's built-in font keeps the card readable. Pure function of its arguments: callers cache the bytes
under a key of those arguments (measures.seo) and answer with an ETag.
"""

from __future__ import annotations

import functools
import io
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

WIDTH, HEIGHT = 1200, 630
VERSION = "1"  # part of every cache key and ETag: bump when the drawing changes

GREEN = (31, 107, 62)
LIGHT_GREEN = (185, 228, 201)
INK = (28, 43, 34)
MUTED = (77, 94, 83)
BACKGROUND = (251, 252, 251)
LINE = (207, 220, 211)
WHITE = (255, 255, 255)

FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"))


@functools.cache
def _font(size: int, *, bold: bool = False) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    for folder in FONT_DIRS:
        if (folder / name).exists():
            return ImageFont.truetype(str(folder / name), size)
    return ImageFont.load_default(size=size)


def _wrap(draw: ImageDraw.ImageDraw, text: str, font, width: int, max_lines: int) -> list[str]:
    """Lines of ``text`` no wider than ``width`` pixels, at most ``max_lines`` (the last one cut with "…")."""
    lines: list[str] = []
    current = ""
    words = text.split()
    for index, word in enumerate(words):
        candidate = f"{current} {word}".strip()
        if draw.textlength(candidate, font=font) <= width or not current:
            current = candidate
            continue
        lines.append(current)
        current = word
        if len(lines) == max_lines:
            current = " ".join(words[index:])
            break
    if current:
        lines.append(current)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] += " …"
    if lines and draw.textlength(lines[-1], font=font) > width:
        last = lines[-1]
        while last and draw.textlength(last + " …", font=font) > width:
            last = last[:-1]
        lines[-1] = last.rstrip() + " …"
    return lines


def _mark(draw: ImageDraw.ImageDraw, x: int, y: int, size: int) -> None:
    """The Klimanetz mark (static/img/logo.svg) drawn at (x, y), ``size`` pixels wide."""
    scale = size / 32

    def p(px: float, py: float) -> tuple[float, float]:
        return x + px * scale, y + py * scale

    draw.ellipse([p(1, 1), p(31, 31)], fill=GREEN)
    draw.polygon([p(9, 20), p(12, 13), p(23, 9), p(20, 18), p(11, 23)], fill=LIGHT_GREEN)
    draw.line([p(9, 22), p(22, 22)], fill=WHITE, width=max(1, round(1.3 * scale)))
    draw.line([p(22, 22), p(23, 9)], fill=WHITE, width=max(1, round(1.3 * scale)))
    for cx, cy in ((9, 22), (23, 9), (22, 22)):
        draw.ellipse([p(cx - 2.2, cy - 2.2), p(cx + 2.2, cy + 2.2)], fill=WHITE)


def render_card(*, title: str, context: str = "", status: str = "", progress: int | None = None) -> bytes:
    """The PNG bytes of one card. ``progress`` 0..100 draws a bar; None draws none."""
    image = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND)
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 0, WIDTH, 16], fill=GREEN)
    margin = 72
    _mark(draw, margin, 64, 72)
    draw.text((margin + 96, 82), "Klimanetz", font=_font(40, bold=True), fill=GREEN)
    top = 176
    if context:
        for line in _wrap(draw, context, _font(30), WIDTH - 2 * margin, 1):
            draw.text((margin, top), line, font=_font(30), fill=MUTED)
        top += 56
    title_font = _font(60, bold=True)
    for line in _wrap(draw, title or "Klimanetz", title_font, WIDTH - 2 * margin, 4 if not context else 3):
        draw.text((margin, top), line, font=title_font, fill=INK)
        top += 74
    bottom = HEIGHT - 72
    if status or progress is not None:
        draw.line([(margin, bottom - 70), (WIDTH - margin, bottom - 70)], fill=LINE, width=2)
    if status:
        draw.text((margin, bottom - 44), status, font=_font(32, bold=True), fill=GREEN)
    if progress is not None:
        value = max(0, min(100, int(progress)))
        bar_left, bar_right = WIDTH - margin - 360, WIDTH - margin
        draw.rounded_rectangle([bar_left, bottom - 36, bar_right, bottom - 8], radius=14, fill=LINE)
        if value:
            filled = bar_left + (bar_right - bar_left) * value // 100
            box = [bar_left, bottom - 36, max(filled, bar_left + 28), bottom - 8]
            draw.rounded_rectangle(box, radius=14, fill=GREEN)
        label, font = f"{value} %", _font(30)
        draw.text((bar_left - 20 - draw.textlength(label, font=font), bottom - 40), label, font=font, fill=INK)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
