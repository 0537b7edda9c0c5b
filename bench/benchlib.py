"""Command line and Odoo start-up shared by the benchmark scripts."""

import argparse
import os
import sys

DEFAULT_CONFIG = os.path.join(os.path.dirname(__file__), "..", ".state", "odoo.conf")


def parser(doc, config_required=False, config_help=None):
    """An argument parser with --db, --config and --odoo-home."""
    result = argparse.ArgumentParser(
        description=doc, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    result.add_argument("--db", required=True)
    if config_required:
        result.add_argument("--config", required=True, help=config_help)
    else:
        result.add_argument("--config", default=DEFAULT_CONFIG, help=config_help)
    result.add_argument(
        "--odoo-home",
        default=os.environ.get(
            "ODOO_HOME", os.path.expanduser("~/.cache/kam_management/odoo-19.0")
        ),
    )
    return result


def load_odoo(args):
    """Make Odoo importable from --odoo-home and read --config (warnings only)."""
    sys.path.insert(0, os.path.abspath(args.odoo_home))
    from odoo.tools import config  # noqa: PLC0415

    config.parse_config(
        ["-c", os.path.abspath(args.config), "--log-level=warn"], setup_logging=True
    )
