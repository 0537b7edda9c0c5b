from lxml import etree

from odoo.tests import TransactionCase, tagged

from odoo.addons.kam_management.models.kam_cause import CAUSE_CATEGORIES
from odoo.addons.kam_management.tools.ishikawa import ELLIPSIS, MAX_CAUSES, render_svg

SVG_NS = "{http://www.w3.org/2000/svg}"
ALLOWED_TAGS = {"svg", "g", "line", "path", "polygon", "rect", "text", "tspan", "title"}
BONES = CAUSE_CATEGORIES


def _bones(**causes):
    return [{"key": key, "label": label, "causes": causes.get(key, [])} for key, label in BONES]


@tagged("post_install", "-at_install")
class TestIshikawaSvg(TransactionCase):
    def _parse(self, svg):
        self.assertTrue(svg.startswith("<svg"), svg[:40])
        return etree.fromstring(svg.encode())

    def _by_class(self, root, css):
        return [el for el in root.iter() if css in (el.get("class") or "").split()]

    def _texts(self, element):
        return ["".join(el.itertext()) for el in element.iter(f"{SVG_NS}text")]

    def test_empty_skeleton(self):
        """Without causes the spine, the six bones and the effect box are drawn."""
        root = self._parse(render_svg("Cracked flanges", _bones()))
        self.assertEqual(root.tag, f"{SVG_NS}svg")
        self.assertEqual(root.get("viewBox"), "0 0 900 380")
        self.assertEqual(root.get("width"), "100%")
        labels = ["".join(el.itertext()) for el in self._by_class(root, "kam-ishikawa-label")]
        self.assertEqual(labels, [label for _key, label in BONES])
        self.assertEqual(len(self._by_class(root, "kam-ishikawa-bone")), 6)
        self.assertFalse(self._by_class(root, "kam-ishikawa-cause"))
        self.assertFalse(self._by_class(root, "kam-ishikawa-legend"))
        effect = self._by_class(root, "kam-ishikawa-effect")[0]
        self.assertIn("Cracked flanges", " ".join(self._texts(effect)))
        # plain SVG only: no script, style, image, foreignObject, external link
        tags = {etree.QName(el).localname for el in root.iter()}
        self.assertLessEqual(tags, ALLOWED_TAGS)
        # an empty effect and no bones still give a valid drawing
        self._parse(render_svg("", []))

    def test_escaping(self):
        """User text is escaped: no markup can be injected, the SVG stays well-formed."""
        evil = '<script>alert(1)</script> & "x"'
        bones = _bones(man=[{"name": evil, "root": False}])
        bones[1]["label"] = '<b onload="x">Machine</b>'
        svg = render_svg(evil, bones)
        self.assertNotIn("<script", svg)
        self.assertNotIn("<b ", svg)
        self.assertIn("&lt;script&gt;", svg)
        root = self._parse(svg)
        tags = {etree.QName(el).localname for el in root.iter()}
        self.assertLessEqual(tags, ALLOWED_TAGS)
        cause = self._by_class(root, "kam-ishikawa-cause")[0]
        self.assertEqual(cause.find(f"{SVG_NS}title").text, evil)
        self.assertEqual(self._texts(cause), [evil])
        self.assertEqual(root.get("aria-label"), evil)
        # characters that are invalid in XML are dropped rather than breaking the parse
        self._parse(render_svg("bad\x00\x1b effect", _bones(man=[{"name": "a\x07b"}])))

    def test_root_causes(self):
        """Root causes are drawn in red and bold with a marker, and get a legend."""
        bones = _bones(
            method=[
                {"name": "Outdated work instruction", "root": True},
                {"name": "No first-article inspection", "root": False},
            ]
        )
        root = self._parse(render_svg("Effect", bones, root_text="Root cause"))
        causes = self._by_class(root, "kam-ishikawa-cause")
        self.assertEqual(len(causes), 2)
        roots = self._by_class(root, "kam-ishikawa-root")
        self.assertEqual(len(roots), 1)
        self.assertEqual(self._texts(roots[0]), ["Outdated work instruction"])
        text = roots[0].find(f"{SVG_NS}text")
        self.assertEqual(text.get("font-weight"), "bold")
        self.assertEqual(text.get("fill"), "#c0392b")
        self.assertIsNotNone(roots[0].find(f"{SVG_NS}polygon"), "root marker")
        other = next(c for c in causes if c not in roots)
        self.assertNotEqual(other.find(f"{SVG_NS}text").get("fill"), "#c0392b")
        self.assertIsNone(other.find(f"{SVG_NS}polygon"))
        legend = self._by_class(root, "kam-ishikawa-legend")
        self.assertEqual(self._texts(legend[0]), ["Root cause"])

    def test_more_causes(self):
        """At most MAX_CAUSES causes per bone are shown, then "+N more"."""
        causes = [{"name": f"Cause {i}"} for i in range(MAX_CAUSES + 3)]
        root = self._parse(render_svg("Effect", _bones(machine=causes)))
        shown = self._by_class(root, "kam-ishikawa-cause")
        self.assertEqual(len(shown), MAX_CAUSES)
        self.assertEqual(
            [self._texts(c)[0] for c in shown], [f"Cause {i}" for i in range(MAX_CAUSES)]
        )
        more = self._by_class(root, "kam-ishikawa-more")
        self.assertEqual(["".join(m.itertext()) for m in more], ["+3 more"])
        # the template is translatable
        root = self._parse(
            render_svg("Effect", _bones(machine=causes), more_text="+%(count)s autres")
        )
        more = self._by_class(root, "kam-ishikawa-more")
        self.assertEqual(["".join(m.itertext()) for m in more], ["+3 autres"])
        # exactly the limit: no "+N more"
        root = self._parse(render_svg("Effect", _bones(machine=causes[:MAX_CAUSES])))
        self.assertFalse(self._by_class(root, "kam-ishikawa-more"))

    def test_causes_wrap_not_cut(self):
        """A cause of a normal length is wrapped on up to four lines, never cut;
        only an extreme text ends with an ellipsis (full text in <title>)."""
        name = "Er is geen onderhoudsinterval vastgelegd voor de ponsstempels van pers 3"
        root = self._parse(render_svg("Braam op beugels", _bones(management=[{"name": name}])))
        cause = self._by_class(root, "kam-ishikawa-cause")[0]
        lines = [el.text for el in cause.iter(f"{SVG_NS}tspan")] or self._texts(cause)
        self.assertGreater(len(lines), 1, "wrapped")
        self.assertLessEqual(len(lines), 4)
        self.assertEqual(" ".join(lines), name, "every word shown")
        self.assertNotIn(ELLIPSIS, " ".join(lines))
        # all causes of the demo fit without an ellipsis, also five on one bone
        causes = [
            {"name": f"Geen onderhoudsinterval vastgelegd voor stempels ({i})"}
            for i in range(MAX_CAUSES)
        ]
        svg = render_svg("Effect", _bones(machine=causes, method=causes))
        self.assertNotIn(ELLIPSIS, svg)
        root = self._parse(svg)
        height = float(root.get("viewBox").split()[3])
        for text in root.iter(f"{SVG_NS}tspan"):
            self.assertLess(float(text.get("y")), height)
            self.assertGreater(float(text.get("y")), 0)
        # an extreme text is cut after four lines
        long_name = "Sensor calibration overdue " * 20
        long_effect = "Customer complaint about cracked flanges " * 10
        root = self._parse(render_svg(long_effect, _bones(man=[{"name": long_name}])))
        cause = self._by_class(root, "kam-ishikawa-cause")[0]
        lines = [el.text for el in cause.iter(f"{SVG_NS}tspan")]
        self.assertEqual(len(lines), 4)
        self.assertTrue(lines[-1].endswith(ELLIPSIS), lines)
        self.assertEqual(cause.find(f"{SVG_NS}title").text, long_name.strip())
        effect = self._by_class(root, "kam-ishikawa-effect")[0]
        lines = [el.text for el in effect.iter(f"{SVG_NS}tspan")]
        self.assertLessEqual(len(lines), 5)
        self.assertTrue(lines[-1].endswith(ELLIPSIS), lines)
        # a short name is kept as is
        root = self._parse(render_svg("Effect", _bones(man=[{"name": "Worn die"}])))
        self.assertEqual(self._texts(self._by_class(root, "kam-ishikawa-cause")[0]), ["Worn die"])

    def test_legend_inside_the_drawing(self):
        """The root-cause legend starts at the left edge: inside the page whatever
        the font's width."""
        root = self._parse(
            render_svg("Effect", _bones(man=[{"name": "Worn die", "root": True}]), width=900)
        )
        legend = self._by_class(root, "kam-ishikawa-legend")[0]
        text = next(legend.iter(f"{SVG_NS}text"))
        self.assertLess(float(text.get("x")), 100)
        self.assertLess(float(text.get("y")), float(root.get("viewBox").split()[3]))

    def test_size(self):
        """The drawing size is configurable and used as the viewBox."""
        root = self._parse(render_svg("Effect", _bones(), width=600, height=300))
        self.assertEqual(root.get("viewBox"), "0 0 600 300")


@tagged("post_install", "-at_install")
class TestCaseFishbone(TransactionCase):
    def test_each_root_cause_once(self):
        """A root cause found by the 5 x why and also drawn as a 4M/6M line is on
        the fishbone once."""
        case = self.env["kam.case"].create({"title": "Braam op beugels"})
        self.env["kam.cause"].create(
            [
                {
                    "case_id": case.id,
                    "method": "fishbone",
                    "category": "management",
                    "name": "Geen onderhoudsinterval voor ponsstempels",
                    "is_root_cause": True,
                },
                {
                    "case_id": case.id,
                    "method": "why",
                    "question": "Waarom was de stempel versleten?",
                    "category": "management",
                    "name": "Geen onderhoudsinterval voor ponsstempels.",
                    "is_root_cause": True,
                },
                {
                    "case_id": case.id,
                    "method": "why",
                    "question": "Waarom een braam?",
                    "name": "De stempel was versleten",
                },
            ]
        )
        svg = case.ishikawa_svg
        self.assertEqual(svg.count("<title>Geen onderhoudsinterval voor ponsstempels"), 1)
        root = etree.fromstring(svg.encode())
        roots = [el for el in root.iter() if "kam-ishikawa-root" in (el.get("class") or "")]
        self.assertEqual(len(roots), 1)
