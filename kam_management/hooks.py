"""Uninstall: the module leaves nothing behind and logs no error.

Odoo deletes the records of the module's XML ids one by one (newest first),
then fields, models and tables. Three kinds of rows would stop it, each
logged as an ERROR and leaving the record behind: rows of the module's own
tables that refer to its data (cases to their stages, indicators to the demo
users), activities of the module's activity types, and the business
documents of the demo (its confirmed sale and purchase orders, their
pickings and stock moves, the stock of its products), which refer to the
demo's products and contacts. The hook removes exactly these, before Odoo
starts: only the module's own rows, the activities of its own types, and the
demo's documents found from the module's XML ids (nothing else of a company's
sales, purchases or stock).

Records Odoo makes by itself for the demo's records have no XML id of the
module and would stay: the demo declares the second company's contact and
working-time calendar and the employees' work contacts itself (so Odoo's
uninstall removes them, after the records that use them), and the hook removes
the stock locations and sequences Odoo made with the demo's company (see
``_remove_company_records``). Odoo itself also keeps some bookkeeping of the
module's models: the XML ids other modules (mail, portal, rating...) gave the
selection values and the inheritance of the fields they add to every ``kam.*``
model, and the rows of the foreign keys the module put on other modules'
tables; the hook removes those (``_remove_bookkeeping``), and the notes the
install wrote on records that are not the module's (``_remove_install_notes``)."""

import re

from odoo.tools import SQL

from odoo.addons.base.models.ir_model import MODULE_UNINSTALL_FLAG

MODULE = "kam_management"


def uninstall_hook(env):
    _remove_demo_documents(env)
    _remove_activities(env)
    _remove_company_records(env)
    _remove_install_notes(env)
    _remove_bookkeeping(env)
    _release_own_tables(env)
    env.invalidate_all()


def _own(env, model):
    """The records of ``model`` created by the module (its XML ids)."""
    ids = (
        env["ir.model.data"]
        .sudo()
        .search([("module", "=", MODULE), ("model", "=", model)])
        .mapped("res_id")
    )
    return env[model].sudo().with_context(active_test=False).browse(ids).exists()


def _remove_demo_documents(env):
    """The demo's orders (XML ids of the module), the pickings and stock moves
    they made, and the stock and inventory moves of the demo's own products.
    Done moves cannot be deleted through the ORM (stock keeps them as history):
    they and their lines go by SQL, then the pickings and orders, cancelled, by
    the ORM (their messages, followers and attachments with them)."""
    if "sale.order" not in env or "purchase.order" not in env:
        return
    sales, purchases = _own(env, "sale.order"), _own(env, "purchase.order")
    products = _own(env, "product.product")
    if not (sales or purchases or products):
        return
    Move = env["stock.move"].sudo().with_context(active_test=False)
    pickings = sales.picking_ids | purchases.picking_ids
    moves = (
        pickings.move_ids
        | sales.order_line.move_ids
        | purchases.order_line.move_ids
        | Move.search([("product_id", "in", products.ids), ("is_inventory", "=", True)])
    )
    references = moves.reference_ids
    cr = env.cr
    env.flush_all()
    if moves:
        cr.execute(SQL("DELETE FROM stock_move_line WHERE move_id IN %s", tuple(moves.ids)))
        cr.execute(SQL("DELETE FROM stock_move WHERE id IN %s", tuple(moves.ids)))
    if products:
        cr.execute(SQL("DELETE FROM stock_quant WHERE product_id IN %s", tuple(products.ids)))
        if "product.value" in env:
            # the cost history of the demo's products (stock_account)
            cr.execute(SQL("DELETE FROM product_value WHERE product_id IN %s", tuple(products.ids)))
    for records in (pickings, sales, purchases):
        if records:
            cr.execute(
                SQL(
                    "UPDATE %s SET state = 'cancel' WHERE id IN %s",
                    SQL.identifier(records._table),
                    tuple(records.ids),
                )
            )
    env.invalidate_all()
    pickings.unlink()
    sales.unlink()
    purchases.unlink()
    # the stock references (order names) that only these documents used
    references = references.exists().filtered(lambda r: not r.move_ids)
    references.unlink()


def _remove_activities(env):
    """Activities of the module's own activity types (done ones too): a type
    in use cannot be deleted, and an activity needs its type."""
    types = _own(env, "mail.activity.type")
    if types:
        env["mail.activity"].sudo().with_context(active_test=False).search(
            [("activity_type_id", "in", types.ids)]
        ).unlink()


def _remove_company_records(env):
    """What Odoo made by itself with a company of the module (the demo's second
    company) and would keep, company emptied, once Odoo deletes the company:
    its stock locations (transit, inventory adjustment, production, scrap) and
    its sequences (scrap, group payments). Only those made with the company
    (same transaction, so the same creation time) and that nothing else refers
    to (no stock move of the user's, say); the company's own reference to them
    is cleared first. Its contact and calendar have XML ids of the demo."""
    companies = _own(env, "res.company")
    for company in companies:
        records = []
        if "stock.location" in env:
            Location = env["stock.location"].sudo().with_context(active_test=False)
            records.append(
                Location.search(
                    [("company_id", "=", company.id), ("create_date", "=", company.create_date)]
                )
            )
        Sequence = env["ir.sequence"].sudo().with_context(active_test=False)
        sequences = Sequence.search(
            [("company_id", "=", company.id), ("create_date", "=", company.create_date)]
        )
        if "batch_payment_sequence_id" in company._fields:
            batch = company.batch_payment_sequence_id.sudo()
            if batch.create_date == company.create_date:
                sequences |= batch
        records.append(sequences)
        own = {
            name: False
            for name, field in company._fields.items()
            if field.type == "many2one"
            and field.store
            and any(
                field.comodel_name == found._name and company[name] in found for found in records
            )
        }
        if own:
            company.sudo().write(own)
        # as Odoo deletes during an uninstall (the defaults of the company's
        # products, e.g. its production location, go with the locations)
        for found in records:
            _unreferenced(found).with_context(**{MODULE_UNINSTALL_FLAG: True}).unlink()


def _remove_install_notes(env):
    """The notes Odoo wrote, while installing or updating the module, on
    records that are not the module's: the tracking of the demo's changes to
    the main company, its contact, the contact's people and bank account (their
    name, tax id, address...). They are the notes of those transactions (the
    same creation time as the module's XML ids) and of the system (no message
    or e-mail of a person); nothing written later, by anyone, is touched. The
    notes on the module's own records go with them."""
    if "mail.message" not in env:
        return
    env.flush_all()
    env.cr.execute("SELECT DISTINCT create_date FROM ir_model_data WHERE module = %s", [MODULE])
    moments = [row[0] for row in env.cr.fetchall()]
    if not moments:
        return
    env["mail.message"].sudo().search(
        [
            ("create_date", "in", moments),
            ("message_type", "=", "notification"),
            ("model", "!=", False),
            ("model", "not in", list(_own_models(env))),
        ]
    ).unlink()


def _unreferenced(records):
    """``records`` less those that a row of another table refers to by a key
    that forbids deleting them (ON DELETE RESTRICT or NO ACTION)."""
    if not records:
        return records
    cr = records.env.cr
    records.env.flush_all()
    cr.execute(
        """SELECT t.relname, a.attname FROM pg_constraint c
            JOIN pg_class t ON t.oid = c.conrelid
            JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
            WHERE c.contype = 'f' AND c.confdeltype IN ('a', 'r')
            AND c.confrelid = %s::regclass""",
        [records._table],
    )
    used = set()
    for table, column in cr.fetchall():
        cr.execute(
            SQL(
                "SELECT DISTINCT %s FROM %s WHERE %s IN %s",
                SQL.identifier(column),
                SQL.identifier(table),
                SQL.identifier(column),
                tuple(records.ids),
            )
        )
        used.update(row[0] for row in cr.fetchall())
    return records.filtered(lambda r: r.id not in used)


def _remove_bookkeeping(env):
    """What Odoo keeps of the module's models once it has deleted them: the XML
    ids that other modules (mail, portal, rating, sms...) gave the selection
    values and the inheritance of the fields they add to every ``kam.*`` model
    (the records go with the models, these ids would point at nothing), and the
    rows of the foreign keys the module put on other modules' tables (its
    fields on res.company and survey.user_input, its many2many tables to
    res.company): Odoo drops the keys with their columns and tables, but only
    the rows of the module's own models go with them."""
    models = env["ir.model"].sudo().search([("model", "in", list(_own_models(env)))])
    if not models:
        return
    cr = env.cr
    env.flush_all()
    cr.execute(
        """DELETE FROM ir_model_data d WHERE d.module != %(module)s AND (
            (d.model = 'ir.model.fields.selection' AND d.res_id IN (
                SELECT s.id FROM ir_model_fields_selection s
                JOIN ir_model_fields f ON f.id = s.field_id WHERE f.model_id IN %(models)s))
            OR (d.model = 'ir.model.inherit' AND d.res_id IN (
                SELECT i.id FROM ir_model_inherit i WHERE i.model_id IN %(models)s)))""",
        {"module": MODULE, "models": tuple(models.ids)},
    )
    cr.execute(
        """DELETE FROM ir_model_constraint WHERE type = 'f' AND model NOT IN %s
            AND module = (SELECT id FROM ir_module_module WHERE name = %s)""",
        [tuple(models.ids), MODULE],
    )


def _release_own_tables(env):
    """The foreign keys of the module's own tables that forbid deleting what
    they refer to (a case its stage, an indicator its owner): Odoo deletes the
    module's data before it drops these tables, so their rows would keep it.
    They now delete their own rows with it (ON DELETE CASCADE): the rows go
    with the tables anyway. Keys that already cascade or set null are kept as
    they are, so no row is left pointing at nothing. Odoo drops the keys
    itself later on (ir.model.constraint)."""
    env.cr.execute(
        """SELECT t.relname, c.conname, pg_get_constraintdef(c.oid) FROM pg_constraint c
            JOIN pg_class t ON t.oid = c.conrelid
            WHERE c.contype = 'f' AND c.confdeltype IN ('a', 'r')
            AND t.relnamespace = current_schema::regnamespace AND t.relname IN %s""",
        [tuple(_own_tables(env)) or ("",)],
    )
    for table, name, definition in env.cr.fetchall():
        definition = re.sub(r" ON DELETE (RESTRICT|NO ACTION)", "", definition)
        env.cr.execute(
            SQL(
                "ALTER TABLE %s DROP CONSTRAINT %s,"
                " ADD CONSTRAINT %s %s ON DELETE CASCADE NOT VALID",
                SQL.identifier(table),
                SQL.identifier(name),
                SQL.identifier(name),
                SQL(definition.replace("%", "%%")),
            )
        )


def _own_tables(env):
    """The tables of the models the module defines (not those it extends)."""
    return {
        model._table
        for model in env.registry.values()
        if model._original_module == MODULE and model._auto and not model._abstract
    }


def _own_models(env):
    """The names of the models the module defines (not those it extends)."""
    return {model._name for model in env.registry.values() if model._original_module == MODULE}
