#!/usr/bin/env bash
# The peer range of @huggingface/transformers, tested at its ends: the workspace runs the lowest version
# the range allows (the catalog's); this installs the newest the registry has in the range into
# .cache/peers/<version> (npm, no install scripts: onnxruntime-node's would download CUDA files) and runs
# the end-to-end tests of text and vision with every import of transformers.js pointing there.
set -euo pipefail
cd "$(dirname "$0")/../.."
range=$(node -p 'require("./packages/text/package.json").peerDependencies["@huggingface/transformers"]')
lowest=$(node -p 'JSON.parse(require("fs").readFileSync("packages/core/node_modules/@huggingface/transformers/package.json", "utf8")).version')
newest=$(npm view "@huggingface/transformers@$range" version --json | node -e '
  const v = JSON.parse(require("fs").readFileSync(0, "utf8")); console.log(Array.isArray(v) ? v.at(-1) : v)')
echo "peer range $range: the workspace tests $lowest; testing the newest in the registry, $newest"
for version in $(printf '%s\n' "$newest" | sort -u); do
  dir=".cache/peers/$version"
  entry="$PWD/$dir/node_modules/@huggingface/transformers/dist/transformers.node.mjs"
  if [ ! -f "$entry" ]; then
    mkdir -p "$dir"
    (cd "$dir" && echo '{"private":true}' > package.json &&
      npm install --ignore-scripts --no-audit --no-fund --loglevel=error "@huggingface/transformers@$version")
  fi
  got=$(node -p "JSON.parse(require('fs').readFileSync('$dir/node_modules/@huggingface/transformers/package.json', 'utf8')).version")
  echo "transformers.js $got: end-to-end tests"
  SIDENET_TRANSFORMERS="$entry" SIDENET_TRANSFORMERS_VERSION="$got" pnpm exec vitest run --project text --project vision e2e
done
