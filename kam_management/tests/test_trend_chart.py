from lxml import etree

from odoo.tests import TransactionCase, tagged

from odoo.addons.kam_management.tools.trend_chart import LEFT, RIGHT, WIDTH, render_svg

SVG_NS = "{http://www.w3.org/2000/svg}"
MONTHS = [
    "november 2025",
    "december 2025",
    "januari 2026",
    "februari 2026",
    "maart 2026",
    "april 2026",
    "mei 2026",
    "juni 2026",
    "juli 2026",
    "augustus 2026",
    "september 2026",
    "oktober 2026",
]


@tagged("post_install", "-at_install")
class TestTrendChart(TransactionCase):
    """The indicator's trend: values, target line, readable period labels, escaped texts."""

    def _parse(self, svg):
        return etree.fromstring(svg.encode())

    def _points(self, labels, value=420.0, target=410.0):
        return [(label, value + i, target, "red") for i, label in enumerate(labels)]

    def test_labels_do_not_overlap(self):
        """Twelve long Dutch month names: every other one, the latest always shown,
        and no two labels closer than the longest one is wide."""
        root = self._parse(render_svg(self._points(MONTHS), "kWh/t", "Streefwaarde"))
        labels = [el for el in root.iter(f"{SVG_NS}text") if "".join(el.itertext()) in set(MONTHS)]
        shown = ["".join(el.itertext()) for el in labels]
        self.assertEqual(shown, MONTHS[1::2])
        xs = [float(el.get("x")) for el in labels]
        step = (WIDTH - LEFT - RIGHT) / (len(MONTHS) - 1)
        self.assertEqual(round(xs[1] - xs[0], 1), round(2 * step, 1))
        self.assertGreater(xs[1] - xs[0], len("september 2026") * 6.5)
        # the latest label ends inside the picture instead of being cut off
        self.assertEqual((labels[-1].get("text-anchor"), xs[-1]), ("end", WIDTH - 2))

    def test_short_labels_all_shown(self):
        labels = ["Q1", "Q2", "Q3", "Q4"]
        root = self._parse(render_svg(self._points(labels)))
        texts = ["".join(el.itertext()) for el in root.iter(f"{SVG_NS}text")]
        for label in labels:
            self.assertIn(label, texts)

    def test_values_target_and_status(self):
        points = [("jan", 5.0, 4.0, "red"), ("feb", None, 4.0, "none"), ("mrt", 3.0, 4.0, "green")]
        root = self._parse(render_svg(points, "Waarde", "Streefwaarde"))
        dots = list(root.iter(f"{SVG_NS}circle"))
        self.assertEqual([d.get("fill") for d in dots], ["#dc3545", "#28a745"])
        self.assertEqual(len(list(root.iter(f"{SVG_NS}polyline"))), 1)
        target = [p for p in root.iter(f"{SVG_NS}path") if p.get("stroke-dasharray")]
        self.assertEqual(len(target), 1)
        self.assertEqual(target[0].get("d").count("M"), 3)

    def test_empty_and_escaped(self):
        root = self._parse(render_svg([], empty_text="Nog geen <waarden> & zo"))
        self.assertEqual("".join(root.itertext()), "Nog geen <waarden> & zo")
        svg = render_svg([("<b>jan</b>", 1.0, None, "none")], "<i>x</i>")
        self.assertNotIn("<b>", svg)
        self.assertNotIn("<i>", svg)
        self._parse(svg)
