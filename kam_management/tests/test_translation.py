import re

import polib

from odoo.tests import TransactionCase, tagged
from odoo.tools.misc import file_path
from odoo.tools.translate import TranslationModuleReader

from .common import load_dutch

PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|%[sd]|\{[a-z_]*\}")


@tagged("post_install", "-at_install")
class TestDutchTranslation(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.po = polib.pofile(file_path("kam_management/i18n/nl.po"))
        cls.translations = {
            entry.msgid: entry.msgstr
            for entry in cls.po
            if entry.msgstr and not entry.obsolete and "fuzzy" not in entry.flags
        }

    def _module_terms(self):
        reader = TranslationModuleReader(self.env.cr, modules=["kam_management"])
        terms = {}
        for module, _ttype, name, _res_id, source, _value, _comments in reader:
            if module == "kam_management" and source:
                terms.setdefault(source, name)
        return terms

    def test_every_term_has_a_dutch_translation(self):
        terms = self._module_terms()
        # sanity: the reader does see code, model and view terms of the module
        self.assertIn("Standards", terms)
        self.assertIn("Nonconformity and corrective action", terms)
        self.assertIn("This edition of the standard already exists.", terms)
        missing = sorted(f"{terms[src]}: {src!r}" for src in terms if src not in self.translations)
        self.assertFalse(
            missing,
            "Terms without a Dutch translation in i18n/nl.po:\n" + "\n".join(missing[:50]),
        )

    def test_placeholders_kept(self):
        wrong = [
            entry.msgid
            for entry in self.po
            if entry.msgstr
            and sorted(PLACEHOLDER.findall(entry.msgid))
            != sorted(PLACEHOLDER.findall(entry.msgstr))
        ]
        self.assertFalse(wrong, f"Placeholders differ between English and Dutch: {wrong}")

    def test_one_english_word_two_dutch_meanings(self):
        """A word with two meanings gets two source texts: the measured value of a
        supplier criterion is "Meetwaarde", a measure of the analysis "Maatregel"."""
        load_dutch(self.env)
        for model in ("kam.supplier.criterion", "kam.supplier.evaluation.line"):
            fields_nl = self.env[model].with_context(lang="nl_NL").fields_get(["measure"])
            self.assertEqual(fields_nl["measure"]["string"], "Meetwaarde", model)
        self.assertEqual(self.translations["Measure"], "Maatregel")

    def test_dutch_is_loaded(self):
        """With Dutch active, users see Dutch menus, clause titles and errors."""
        load_dutch(self.env)
        nl = self.env(context={"lang": "nl_NL"})
        menu = nl.ref("kam_management.menu_kam_clause")
        self.assertEqual(menu.name, self.translations["Clauses"])
        clause = nl.ref("kam_management.iso9001_2015_c10_2")
        self.assertEqual(clause.name, self.translations[clause.with_context(lang="en_US").name])
        self.assertNotEqual(clause.name, clause.with_context(lang="en_US").name)
