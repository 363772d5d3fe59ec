#!/usr/bin/env bash
# Sets up a fresh machine that has Node 20 and npm: pnpm, the workspace's packages, the Debian packages
# for Fashion-MNIST and Chromium (the browser test drives /usr/bin/chromium; needs root or sudo), and the
# materialised data sets under .cache/data.
# Idempotent: each step is skipped when already done.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v pnpm >/dev/null 2>&1 || [ "$(pnpm --version)" != "12.4.2" ]; then
  npm i -g pnpm@12.4.2 # corepack fails on these machines ("No compatible signature")
fi

APT=()
if [ ! -e /usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz ] && [ -z "${FASHION_MNIST_DIR:-}" ]; then
  APT+=(dataset-fashion-mnist)
fi
if [ ! -x /usr/bin/chromium ] && [ -z "${CHROMIUM_PATH:-}" ]; then
  APT+=(chromium)
fi
if [ ${#APT[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${APT[@]}" >/dev/null
fi

pnpm install --frozen-lockfile
if [ ! -f .cache/data/spam-assassin/test.jsonl ] || [ ! -f .cache/data/fashion-mnist/test.jsonl ]; then
  pnpm data
fi
