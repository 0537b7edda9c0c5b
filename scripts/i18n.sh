#!/usr/bin/env bash
# Refresh the i18n folders of kam_management and kam_management_helpdesk: export
# each .pot from a fresh install and merge it into nl.po (existing Dutch
# translations are kept, new terms are added empty, terms that disappeared are
# dropped). Fill in the new msgstr lines afterwards; the test suite fails while
# any term has no Dutch translation.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
run_setup test
read -r TPL _ < <(bash "$REPO/scripts/kamctl.sh" templates)
db="kam_i18n_$$"
copy_db "$TPL" "$db"
trap 'drop_db "$db"' EXIT
odoo_bin -d "$db" -i kam_management,helpdesk_mgmt,kam_management_helpdesk --stop-after-init \
  --no-http --log-level=warn
for addon in kam_management kam_management_helpdesk; do
I18N="$REPO/$addon/i18n"
mkdir -p "$I18N"
odoo_bin i18n export -d "$db" -l pot -o "$I18N/$addon.pot" "$addon" >/dev/null
"$VENV/bin/python" - "$I18N/$addon.pot" "$I18N/nl.po" <<'PY'
import os
import sys

import polib

pot_path, po_path = sys.argv[1:]
pot = polib.pofile(pot_path)
old = polib.pofile(po_path) if os.path.exists(po_path) else polib.POFile()
known = {e.msgid: e.msgstr for e in old if e.msgstr and not e.obsolete}
po = polib.POFile(wrapwidth=78)
po.metadata = dict(pot.metadata)
po.metadata.update({"Language": "nl", "Plural-Forms": "nplurals=2; plural=(n != 1);",
                    "Language-Team": "Dutch", "Last-Translator": ""})
po.header = "Dutch translation of kam_management"
missing = 0
for entry in pot:
    entry.msgstr = known.get(entry.msgid, "")
    missing += not entry.msgstr
    po.append(entry)
po.save(po_path)
print(f"{po_path}: {len(po)} terms, {missing} without a translation")
PY
done
