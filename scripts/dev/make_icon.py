"""Draw the KAM app icon (static/description/icon.png) with Pillow.

Three bands for Kwaliteit (blue), Arbo (orange) and Milieu (green) behind a
white shield with a check mark. Run: .venv/bin/python scripts/dev/make_icon.py
"""

import pathlib

from PIL import Image, ImageDraw

SIZE = 256
OUT = pathlib.Path(__file__).resolve().parents[2] / "kam_management/static/description/icon.png"


def main():
    img = Image.new("RGBA", (SIZE, SIZE), (0, 0, 0, 0))
    mask = Image.new("L", (SIZE, SIZE), 0)
    ImageDraw.Draw(mask).rounded_rectangle((0, 0, SIZE - 1, SIZE - 1), radius=48, fill=255)
    bands = Image.new("RGBA", (SIZE, SIZE))
    draw = ImageDraw.Draw(bands)
    colours = [(31, 94, 168), (232, 126, 32), (46, 150, 84)]
    third = SIZE / 3
    for i, colour in enumerate(colours):
        draw.rectangle((0, i * third, SIZE, (i + 1) * third + 1), fill=colour)
    img.paste(bands, (0, 0), mask)
    draw = ImageDraw.Draw(img)
    cx = SIZE / 2
    shield = [
        (cx, 38),
        (cx + 78, 66),
        (cx + 72, 150),
        (cx, 220),
        (cx - 72, 150),
        (cx - 78, 66),
    ]
    draw.polygon(shield, fill=(255, 255, 255, 245))
    draw.line(
        [(cx - 40, 128), (cx - 10, 160), (cx + 44, 96)], fill=(31, 94, 168), width=20, joint="curve"
    )
    img.save(OUT)


if __name__ == "__main__":
    main()
