from odoo import api, models

from ..tools import core_shortcuts


class KamPageMixin(models.AbstractModel):
    """A page of a list (``web_search_read``, ``web_read``) read in fewer steps, for the
    models whose lists grow large (cases, actions). The values are the ORM's own
    (``tests/test_page_read.py`` compares them field by field); only the way to them is
    shorter:

    - the plain columns of the page (dates, selections, texts, booleans, many2one ids)
      are formatted from the cache in one pass per column instead of one ORM read per
      cell (``core_shortcuts.read_format``);
    - the display names of the many2one columns (stage, responsible, department) fetch
      only what a display name reads (the name column, following related fields: a
      user's name is their contact's) instead of whole rows: the contact rows of the
      responsibles alone have some sixty columns."""

    _name = "kam.page.mixin"
    _description = "List pages read in fewer steps"

    @api.readonly
    def web_read(self, specification):
        named = [
            name
            for name, spec in specification.items()
            if name in self._fields
            and self._fields[name].type == "many2one"
            and "display_name" in (spec or {}).get("fields", {})
        ]
        if named and self._origin:
            # the page's values are in the cache already (search_fetch); a fetch()
            # would check the record rules on the page once more
            for name in named:
                self._kam_fetch_display_names(self._origin.mapped(name))
        return super().web_read(specification)

    @api.model
    def _kam_fetch_display_names(self, records):
        """Fetch the columns the display names of ``records`` are made of: the model's
        ``_rec_name``, following related fields to their stored column. A model with its
        own display name fetches what it reads itself."""
        records = records.sudo()
        path = [records._rec_name] if records._rec_name else []
        while records and path:
            field = records._fields.get(path.pop(0))
            if field is None or not (field.store or field.related):
                return
            if not field.related:
                records.fetch([field.name])
                return
            first, *rest = field.related.split(".")
            records.fetch([first])
            records, path = records.mapped(first), rest + path

    def _read_format(self, fnames, load="_classic_read"):
        return core_shortcuts.read_format(self, fnames, load, super()._read_format)
