"""Draw the logo of the demo company Van der Berg Metaaltechniek B.V.
(static/img/demo_company_logo.png) with Pillow: a steel-blue I-beam mark and
the name. Run: .venv/bin/python scripts/dev/make_demo_logo.py
"""

import pathlib

from PIL import Image, ImageDraw, ImageFont

OUT = (
    pathlib.Path(__file__).resolve().parents[2] / "kam_management/static/img/demo_company_logo.png"
)
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
FONT_LIGHT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
STEEL = (38, 70, 110)
ORANGE = (226, 120, 36)


def main():
    width, height = 720, 180
    img = Image.new("RGBA", (width, height), (255, 255, 255, 0))
    draw = ImageDraw.Draw(img)
    # the mark: an I-beam in a rounded square
    draw.rounded_rectangle((10, 20, 150, 160), radius=22, fill=STEEL)
    draw.rectangle((40, 45, 120, 62), fill=(255, 255, 255))
    draw.rectangle((71, 62, 89, 118), fill=(255, 255, 255))
    draw.rectangle((40, 118, 120, 135), fill=(255, 255, 255))
    draw.rectangle((10, 146, 150, 160), fill=ORANGE)
    # the name
    draw.text((175, 28), "VAN DER BERG", font=ImageFont.truetype(FONT, 58), fill=STEEL)
    draw.text((178, 100), "METAALTECHNIEK", font=ImageFont.truetype(FONT_LIGHT, 40), fill=ORANGE)
    img = img.crop(img.getbbox())
    img.save(OUT, optimize=True)


if __name__ == "__main__":
    main()
