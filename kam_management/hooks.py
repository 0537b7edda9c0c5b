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

Left behind with demo data (records Odoo made itself for the demo's records,
without an XML id): the partner, working-time calendar, four stock locations
and two sequences of the demo's second company, the work contacts of the demo
employees and a contact made by a demo complaint."""

import re

from odoo.tools import SQL

MODULE = "kam_management"


def uninstall_hook(env):
    _remove_demo_documents(env)
    _remove_activities(env)
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
