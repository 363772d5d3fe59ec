#!/usr/bin/env bash
# `pnpm notebooks`: executes every notebook headless with the tslab kernel, in place (the executed outputs
# are committed), and fails on any cell error. Installs Debian's jupyter-nbconvert, jupyter-client and
# python3-ipykernel when missing (root or sudo).
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$(cd ../.. && pwd)
if ! /usr/bin/python3 -c "import nbconvert, ipykernel, jupyter_client" 2>/dev/null; then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq jupyter-nbconvert jupyter-client python3-ipykernel > /dev/null
fi
# tslab resolves packages by their "main" field: the workspace packages' dist/
pnpm -C "$ROOT" build > /dev/null
export PATH="$ROOT/examples/node_modules/.bin:$PATH"
tslab install --python=/usr/bin/python3 > /dev/null 2>&1
for nb in 0*.ipynb; do
  echo "executing $nb"
  log=$(mktemp)
  if ! PYDEVD_DISABLE_FILE_VALIDATION=1 /usr/bin/python3 -Xfrozen_modules=off -m jupyter nbconvert --to notebook \
    --execute --inplace --ExecutePreprocessor.timeout=900 "$nb" > "$log" 2>&1; then
    tail -40 "$log" >&2
    echo "$nb: a cell failed (re-run with --allow-errors to see the cell's output)" >&2
    exit 1
  fi
done
