"""Rendered text lines with per-glyph labels and scanner-like damage, for training and tests."""

from __future__ import annotations

import io
import random
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont
from scipy import ndimage

from ingest.digits.model import CLASS_INDEX, REJECT
from ingest.digits.segment import Glyph

# A token is drawn as one shaped string; its label is its class when it is a single digit or
# separator, REJECT otherwise. A token of one space only moves the pen.
Token = str


@dataclass(frozen=True)
class Scan:
    """The damage one rendered line gets; drawn at random by random_scan."""

    thicken: int = 0  # +1 bolder strokes (toner spread), -1 thinner (light print)
    shear: float = 0.0  # slant, as oblique faces and some typewriters have
    stretch: float = 1.0  # horizontal scale: condensed or expanded faces
    warp: float = 0.0  # elastic distortion, in consonant heights: shapes of unseen faces
    rotate_deg: float = 0.0
    resample: float = 1.0  # < 1: scanned at a lower resolution and scaled back up
    ink: int = 20
    paper: int = 250
    blur_sigma: float = 0.0
    noise_sigma: float = 0.0
    jpeg_quality: int | None = None
    threshold_scale: float = 1.0  # binarisation threshold relative to Otsu's
    seed: int = 0  # of the sensor noise


def random_scan(rng: random.Random, *, warp_share: float = 0.5) -> Scan:
    """Scanner effects over a range wider than a good office scanner's (seeded); warp_share
    of the lines are also bent elastically."""
    return Scan(
        thicken=rng.choices((0, 1, -1), (0.65, 0.2, 0.15))[0],
        shear=rng.uniform(-0.15, 0.15) if rng.random() < 0.3 else 0.0,
        stretch=rng.uniform(0.85, 1.15) if rng.random() < 0.4 else 1.0,
        warp=rng.uniform(0.03, 0.08) if rng.random() < warp_share else 0.0,
        rotate_deg=rng.uniform(-2.0, 2.0),
        resample=rng.uniform(0.55, 0.9) if rng.random() < 0.25 else 1.0,
        ink=rng.randint(0, 100),
        paper=rng.randint(185, 255),
        blur_sigma=rng.uniform(0.0, 1.3) if rng.random() < 0.85 else 0.0,
        noise_sigma=rng.uniform(0.0, 8.0),
        jpeg_quality=rng.randint(30, 95) if rng.random() < 0.6 else None,
        threshold_scale=rng.uniform(0.88, 1.12),
        seed=rng.getrandbits(32),
    )


def token_label(token: Token) -> str:
    return token if token in CLASS_INDEX else REJECT


def render_line(tokens: Sequence[Token], font: ImageFont.FreeTypeFont, *, x_height: float,
                latin: ImageFont.FreeTypeFont | None = None) -> tuple[Image.Image, np.ndarray]:
    """A clean line (L, black on white) and its label map: token index + 1 under its ink.

    `latin` draws the tokens without Thai letters or digits, for Thai-only faces.
    """
    def face(token: Token) -> ImageFont.FreeTypeFont:
        if latin is None or any("\u0e00" <= ch <= "\u0e7f" for ch in token):
            return font
        return latin

    space = font.getlength(" ")
    margin = round(0.8 * x_height)
    width = round(sum(space if t == " " else face(t).getlength(t) for t in tokens)) + 2 * margin
    height = round(3.6 * x_height) + 2 * margin
    image = Image.new("L", (width, height), 255)
    labels = Image.new("L", (width, height), 0)
    draw, mark = ImageDraw.Draw(image), ImageDraw.Draw(labels)
    mark.fontmode = "1"  # no anti-aliasing: a label value must never blend with another
    x, baseline = float(margin), margin + 2.2 * x_height
    for index, token in enumerate(tokens):
        if token == " ":
            x += space
            continue
        draw.text((x, baseline), token, font=face(token), fill=0, anchor="ls")
        mark.text((x, baseline), token, font=face(token), fill=index + 1, anchor="ls")
        x += face(token).getlength(token)
    return image, np.asarray(labels)


def damage(image: Image.Image, labels: np.ndarray, scan: Scan, *, x_height: float = 30.0
           ) -> tuple[Image.Image, np.ndarray]:
    """The line as a scanner would deliver it, and the label map moved the same way."""
    out = image
    if scan.warp > 0:
        out, labels = _warp(out, labels, scan.warp * x_height, x_height / 2, scan.seed)
    if scan.thicken > 0:
        out = out.filter(ImageFilter.MinFilter(3))
    elif scan.thicken < 0:
        out = out.filter(ImageFilter.MaxFilter(3))
    label_image = Image.fromarray(labels)
    if scan.shear or scan.stretch != 1.0:
        # slant about the middle of the line, so the text stays on the canvas
        mid = out.size[1] / 2
        size = (round(out.size[0] * max(1.0, scan.stretch)), out.size[1])
        matrix = (1 / scan.stretch, scan.shear, -scan.shear * mid, 0.0, 1.0, 0.0)
        out = out.transform(size, Image.Transform.AFFINE, matrix, Image.Resampling.BILINEAR,
                            fillcolor=255)
        label_image = label_image.transform(size, Image.Transform.AFFINE, matrix,
                                            Image.Resampling.NEAREST, fillcolor=0)
    if scan.rotate_deg:
        out = out.rotate(scan.rotate_deg, resample=Image.Resampling.BILINEAR, fillcolor=255)
        label_image = label_image.rotate(scan.rotate_deg, resample=Image.Resampling.NEAREST)
    if scan.resample < 1.0:
        size = out.size
        small = (max(1, round(size[0] * scan.resample)), max(1, round(size[1] * scan.resample)))
        out = out.resize(small, Image.Resampling.BILINEAR).resize(size,
                                                                  Image.Resampling.BILINEAR)
    out = out.point([round(scan.ink + (scan.paper - scan.ink) * v / 255) for v in range(256)])
    if scan.blur_sigma > 0:
        out = out.filter(ImageFilter.GaussianBlur(scan.blur_sigma))
    if scan.noise_sigma > 0:
        rng = np.random.default_rng(scan.seed)
        grain = rng.standard_normal(out.size[::-1], dtype=np.float32) * scan.noise_sigma
        grain += np.asarray(out, dtype=np.float32)
        out = Image.fromarray(np.clip(grain, 0, 255).astype(np.uint8), "L")
    if scan.jpeg_quality is not None:
        buf = io.BytesIO()
        out.save(buf, "JPEG", quality=scan.jpeg_quality)
        out = Image.open(io.BytesIO(buf.getvalue())).convert("L")
    return out, np.asarray(label_image)


def _warp(image: Image.Image, labels: np.ndarray, amount: float, scale: float, seed: int
          ) -> tuple[Image.Image, np.ndarray]:
    """Elastic distortion (Simard et al. 2003): a smooth random displacement field bends
    strokes the way another type designer might have drawn them."""
    rng = np.random.default_rng(seed ^ 0x5EED)
    h, w = labels.shape
    step = max(2, round(scale))
    coarse = (h // step + 2, w // step + 2)
    fields = []
    for _ in range(2):
        noise = Image.fromarray(rng.standard_normal(coarse).astype(np.float32), "F")
        fields.append(np.asarray(noise.resize((w, h), Image.Resampling.BICUBIC)) * amount)
    rows, cols = np.mgrid[0:h, 0:w].astype(np.float32)
    where = [rows + fields[0], cols + fields[1]]
    pixels = ndimage.map_coordinates(np.asarray(image, dtype=np.float32), where, order=1,
                                     mode="constant", cval=255.0)
    moved = ndimage.map_coordinates(labels, where, order=0, mode="constant", cval=0)
    return Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8), "L"), moved


def glyph_labels(glyphs: Sequence[Glyph], labels: np.ndarray, tokens: Sequence[Token],
                 totals: np.ndarray | None = None) -> list[str | None]:
    """Each glyph's class from the label map; None where it is unfit to learn from.

    A blob joining a digit to its neighbour, or a digit broken into pieces, is left out: the
    reader splits the first and the second is too rare to teach.
    """
    if totals is None:
        totals = np.bincount(labels.ravel(), minlength=len(tokens) + 1)
    out: list[str | None] = []
    for glyph in glyphs:
        under = labels[glyph.top : glyph.bottom, glyph.left : glyph.right][glyph.mask]
        counts = np.bincount(under, minlength=len(tokens) + 1)
        counts[0] = 0
        if counts.sum() == 0:
            out.append(None)
            continue
        top = int(np.argmax(counts))
        kinds = {token_label(tokens[int(i) - 1])
                 for i in np.flatnonzero(counts > 0.1 * counts.sum())}
        kind = token_label(tokens[top - 1])
        if kinds == {REJECT}:
            out.append(REJECT)
        elif len(kinds) > 1 or counts[top] < 0.85 * counts.sum() or (
            counts[top] < 0.5 * totals[top]
        ):
            out.append(None)
        else:
            out.append(kind)
    return out
