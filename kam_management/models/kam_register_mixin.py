import psycopg2

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain
from odoo.tools import mute_logger

from ..tools import xlsx


class KamRegisterMixin(models.AbstractModel):
    """A model with Excel registers ("Export to Excel" on its lists).

    The model inherits this mixin and declares its registers beside its fields:

        def _kam_registers(self):
            return super()._kam_registers() + [
                xlsx.Register("complaint", self.env._("Complaint register"),
                              columns=self._kam_complaint_register_columns,
                              domain=[("case_type", "=", "complaint")])
            ]

    A list view with ``js_class="kam_xlsx_list"`` opened by an action whose
    context holds ``kam_xlsx_register: <name>`` gets the button; it downloads
    /kam/xlsx/<name> with the list's filters. The route finds the model of a
    register through the registry (every model that inherits this mixin), so a
    new register is declared on its own model only. Register names are unique
    across models.
    """

    _name = "kam.register.mixin"
    _description = "KAM register (Excel export)"

    def _kam_registers(self):
        """The registers of this model (a list of ``tools.xlsx.Register``);
        extend with ``super()``."""
        return []

    @api.model
    def _kam_register(self, name):
        """The register ``name`` of this model, None if it has none by that name."""
        return next((r for r in self._kam_registers() if r.name == name), None)

    @api.model
    def _kam_register_index(self):
        """{register name: (model name, register)} over every model with registers."""
        mixin = self.env.registry[self._name]
        declared = [
            (name, register)
            for name, model_class in self.env.registry.items()
            if issubclass(model_class, mixin) and not model_class._abstract
            for register in self.env[name]._kam_registers()
        ]
        return xlsx.index_registers(declared)

    @api.model
    def _kam_register_model(self, name):
        """The name of the model that declares register ``name``, or None."""
        found = self._kam_register_index().get(name)
        return found[0] if found else None

    @api.model
    def _kam_register_export(self, name, domain=None):
        """Register ``name`` of this model as an Excel file, with the extra filters
        ``domain`` (the list view's). The records are searched as the current
        user, so access rights and record rules apply.

        :return: (file name, xlsx content)
        :raise UserError: unknown register, invalid filter
        :raise AccessError: no right to read the records or a column
        """
        register = self._kam_register(name)
        if not register:
            raise UserError(self.env._("There is no register %(register)s.", register=name))
        try:
            for term in domain or []:
                # an operator Odoo does not know as written (upper case...) would
                # only be logged as a deprecation, on the server: refuse it here
                if isinstance(term, list | tuple) and len(term) == 3:
                    if not isinstance(term[1], str) or term[1] != term[1].lower():
                        raise ValueError(term[1])
            filters = Domain(domain or [])
            filters.validate(self)
        except (ValueError, TypeError, KeyError, IndexError, RecursionError) as error:
            raise UserError(
                self.env._("The filter of the export is not valid: %(error)s", error=error)
            ) from error
        try:
            # a value the database refuses is the user's mistake, answered below: it
            # is not logged as a failed query of the server
            with self.env.cr.savepoint(flush=False), mute_logger("odoo.sql_db"):
                records = self.search(
                    Domain.AND([Domain(list(register.domain)), filters]),
                    order=register.order,
                )
        except (ValueError, TypeError, KeyError, RecursionError) as error:
            # a field that cannot be searched (not stored), an operator it does not know...
            raise UserError(
                self.env._("The filter of the export is not valid: %(error)s", error=error)
            ) from error
        except psycopg2.DataError as error:
            # a value the database cannot cast (("id", "in", ["x"])...)
            raise UserError(
                self.env._("The filter of the export is not valid: %(error)s", error=error.pgerror)
            ) from error
        content = xlsx.write_register(records, register.title, register.get_columns())
        return register.file_name(fields.Date.context_today(self)), content
