"""Colour dropout: red and blue ink (stamps, seals, pen signatures) faded out of the OCR image.

Tesseract binarises each colour channel on its own and counts a pixel as ink if any channel is
dark, so a red stamp (dark in green and blue) or a blue signature is read as text: garbage
words, and the typed letters under the stamp broken. Only the image given to tesseract is
changed; the archived page keeps its colours.
"""

from __future__ import annotations

from PIL import Image, ImageChops

# PIL's HSV hue runs 0-255 over the colour circle. Stamp and pen inks are red, magenta, purple
# or blue (0-40 and 190-360 degrees); yellow to cyan is left alone, so cream or yellowed
# paper and brown printed borders are never touched.
_INK_HUES = (round(40 * 256 / 360), round(190 * 256 / 360))
# Chroma (brightest minus darkest channel, 0-255): black and grey print stays under ~25 even
# with blur and JPEG colour fringes; stamp and pen ink over paper is ~55 and more.
_CHROMA_FROM, _CHROMA_FULL = 30, 55
# Ink over paper keeps the paper's light in its brightest channel; where a stamp covers typed
# text that channel stays dark. Coloured pixels lighter than _LIGHT_FROM fade to white, darker
# ones keep their brightest channel, so typed letters under a lightly inked stamp survive.
_LIGHT_FROM, _LIGHT_FULL = 120, 170


def _ramp(start: int, full: int) -> list[int]:
    """A 256-entry lookup table: 0 up to start, rising to 255 at full."""
    return [0 if v <= start else 255 if v >= full else (v - start) * 255 // (full - start)
            for v in range(256)]


_CHROMA_WEIGHT = _ramp(_CHROMA_FROM, _CHROMA_FULL)
_INK_HUE = [0 if _INK_HUES[0] <= h < _INK_HUES[1] else 255 for h in range(256)]
_LIFT = [v if v <= _LIGHT_FROM else 255 if v >= _LIGHT_FULL
         else v + (255 - v) * (v - _LIGHT_FROM) // (_LIGHT_FULL - _LIGHT_FROM)
         for v in range(256)]


def drop_colour_ink(image: Image.Image) -> Image.Image:
    """A copy of the page with red and blue ink faded out; black text and everything else kept.

    A pixel of a red-to-blue hue becomes the grey of its brightest channel, lifted to white
    where that is light, in proportion to how coloured it is. Every other pixel is left as it
    was, so a page without coloured ink reaches tesseract unchanged. Greyscale and bilevel
    pages come back as they are: there is no colour to drop.
    """
    if image.mode in ("1", "L", "LA", "I", "I;16", "F"):
        return image
    rgb = image.convert("RGB")
    red, green, blue = rgb.split()
    brightest = ImageChops.lighter(red, ImageChops.lighter(green, blue))
    darkest = ImageChops.darker(red, ImageChops.darker(green, blue))
    chroma = ImageChops.subtract(brightest, darkest)
    hue = rgb.convert("HSV").getchannel("H")
    weight = ImageChops.multiply(chroma.point(_CHROMA_WEIGHT), hue.point(_INK_HUE))
    # RGB, not greyscale: tesseract thresholds colour pages differently, and a page without
    # stamps must read exactly as it did.
    grey = brightest.point(_LIFT)
    out = Image.composite(Image.merge("RGB", (grey, grey, grey)), rgb, weight)
    out.info.update({k: v for k, v in image.info.items() if k == "dpi"})
    return out
