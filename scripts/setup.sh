#!/usr/bin/env bash
# Idempotent set-up of everything kam_management needs on this machine:
#   1. an Odoo 19 Community source tree ($ODOO_HOME or ~/.cache/kam_management/odoo-19.0)
#   2. system packages (PostgreSQL server, Chromium, build headers, wkhtmltopdf) when root
#   3. .venv with Odoo's requirements + requirements-dev.txt; for the tests also
#      .venv-lint with the linters
#   4. a private PostgreSQL cluster in .state/pg (Unix socket only) that is started
#      (as root, with the clone in a folder the postgres user cannot enter: in that
#      user's home, see pg_root in common.sh)
# Usage: setup.sh [run|test]  (run: only what scripts/run.sh needs; default test)
# Re-running it does only what is missing.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

ensure_odoo() {
  if [ -f "$ODOO_HOME/odoo-bin" ] && [ -d "$ODOO_HOME/addons" ]; then
    return 0
  fi
  if [ "$ODOO_HOME" = "$ODOO_CACHE" ]; then
    log "No Odoo 19 tree at $ODOO_HOME; trying a shallow clone of the official 19.0 branch"
    mkdir -p "$(dirname "$ODOO_CACHE")"
    if timeout 900 git clone --quiet --depth 1 --branch 19.0 https://github.com/odoo/odoo.git "$ODOO_CACHE.tmp" 2>/dev/null; then
      mv "$ODOO_CACHE.tmp" "$ODOO_CACHE"
      return 0
    fi
    rm -rf "$ODOO_CACHE.tmp"
  fi
  die "No Odoo 19 Community source found.
  Put an Odoo 19.0 Community tree (with odoo-bin, requirements.txt, addons/ and odoo/) at
      $ODOO_CACHE
  or point ODOO_HOME at one, e.g.  ODOO_HOME=/path/to/odoo-19.0 $0"
}

ensure_system_packages() {
  local missing=()
  pg_bin >/dev/null || missing+=(postgresql)
  command -v psql >/dev/null || missing+=(postgresql-client)
  command -v chromium >/dev/null || command -v google-chrome >/dev/null || missing+=(chromium)
  command -v pg_config >/dev/null || missing+=(libpq-dev)
  [ -f /usr/include/ldap.h ] || missing+=(libldap2-dev)
  [ -f /usr/include/sasl/sasl.h ] || missing+=(libsasl2-dev)
  command -v wkhtmltopdf >/dev/null || missing+=(wkhtmltopdf)
  # pdftotext / pdftoppm: the PDF tests read the reports' text, screenshots of PDFs
  command -v pdftotext >/dev/null || missing+=(poppler-utils)
  fc-list 2>/dev/null | grep -qi dejavu || missing+=(fonts-dejavu-core)
  [ ${#missing[@]} -eq 0 ] && return 0
  if is_root && command -v apt-get >/dev/null; then
    log "Installing Debian packages: ${missing[*]}"
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    die "Missing system packages: ${missing[*]}. Install them (Debian: sudo apt-get install ${missing[*]}) and run again."
  fi
}

# reinstall a venv's requirements only when the requirement files change
ensure_venv() {
  local venv=$1; shift
  local stamp="$venv/.kam-requirements" sum
  sum=$(cat "$@" | md5sum | cut -d' ' -f1)
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$sum" ] && [ -x "$venv/bin/python" ]; then
    return 0
  fi
  log "Building $(basename "$venv") (once; a few minutes)"
  [ -x "$venv/bin/python" ] || python3 -m venv "$venv"
  local constraints="$STATE/pip-constraints.txt"
  mkdir -p "$STATE"
  echo 'setuptools<70' > "$constraints"
  PIP_CONSTRAINT="$constraints" "$venv/bin/pip" install -q --disable-pip-version-check 'setuptools<70' wheel
  local f args=()
  for f in "$@"; do args+=(-r "$f"); done
  PIP_CONSTRAINT="$constraints" "$venv/bin/pip" install -q --disable-pip-version-check "${args[@]}"
  echo "$sum" > "$stamp"
}

# OCA addons from PyPI (requirements-oca.txt) into .state/oca, never into the venv
# and without their Python dependencies (pip would move lxml past Odoo's pin);
# reinstalled only when the list changes
ensure_oca_addons() {
  local target="$STATE/oca" stamp="$STATE/oca/.kam-requirements" sum
  mkdir -p "$OCA_ADDONS"
  sum=$(md5sum < "$REPO/requirements-oca.txt" | cut -d' ' -f1)
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$sum" ]; then
    return 0
  fi
  log "Installing the OCA addons of requirements-oca.txt into $target"
  rm -rf "$target.tmp"
  "$VENV/bin/pip" install -q --disable-pip-version-check --no-deps --target "$target.tmp" \
    -r "$REPO/requirements-oca.txt" || die "could not install the OCA addons (requirements-oca.txt)"
  rm -rf "$target"
  mv "$target.tmp" "$target"
  mkdir -p "$OCA_ADDONS"
  echo "$sum" > "$stamp"
}

ensure_postgres() {
  local bin
  bin=$(pg_bin) || die "PostgreSQL server binaries not found (Debian: apt-get install postgresql)"
  mkdir -p "$PGROOT" "$PGSOCK"
  if [ ! -f "$PGDATA_DIR/PG_VERSION" ]; then
    log "Creating the private PostgreSQL cluster in $PGDATA_DIR"
    mkdir -p "$PGDATA_DIR"
    if is_root; then chown -R postgres:postgres "$PGROOT" "$PGSOCK"; fi
    pg_as_owner "$bin/initdb" -D "$PGDATA_DIR" -A trust -E UTF8 --locale=C.UTF-8 -U postgres >/dev/null
    cat >> "$PGDATA_DIR/postgresql.conf" <<CONF
# kam_management private cluster: Unix socket only, tuned for throwaway test data
listen_addresses = ''
port = $PGPORT_PRIVATE
unix_socket_directories = '$PGSOCK'
unix_socket_permissions = 0777
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 200
shared_buffers = 512MB
work_mem = 16MB
maintenance_work_mem = 256MB
max_locks_per_transaction = 256
CONF
  fi
  if is_root; then chown postgres:postgres "$PGSOCK"; fi
  if ! pg_as_owner "$bin/pg_ctl" -D "$PGDATA_DIR" status >/dev/null 2>&1; then
    pg_as_owner "$bin/pg_ctl" -D "$PGDATA_DIR" -l "$PGROOT/server.log" -w -t 60 start >/dev/null \
      || die "PostgreSQL did not start; see $PGROOT/server.log"
  fi
  # the role Odoo uses (Odoo refuses to connect as 'postgres')
  psql -h "$PGSOCK" -p "$PGPORT_PRIVATE" -U postgres -d postgres -qAt -v ON_ERROR_STOP=1 -c \
    "DO \$\$BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname='$DB_USER') THEN CREATE ROLE $DB_USER LOGIN SUPERUSER CREATEDB; END IF; END\$\$;" >/dev/null
}

main() {
  local mode=${1:-test}
  case "$mode" in run|test) ;; *) die "usage: setup.sh [run|test]" ;; esac
  ensure_odoo
  ensure_system_packages
  ensure_venv "$VENV" "$ODOO_HOME/requirements.txt" "$REPO/requirements-dev.txt"
  # the linters only run with the tests
  [ "$mode" = run ] || ensure_venv "$LINT_VENV" "$REPO/requirements-lint.txt"
  ensure_oca_addons
  mkdir -p "$ODOO_DATA" "$LOGDIR"
  write_odoo_conf
  ensure_postgres
}

main "$@"
