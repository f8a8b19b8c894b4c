#!/usr/bin/env bash
# Creates .venv and installs the training package (torch pinned). Idempotent: a stamp keyed on
# training/pyproject.toml's hash skips the installs when nothing changed, so `npm test` pays
# for them once.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="$root/.venv"
stamp="$venv/.avatargan-installed"
python="${PYTHON:-python3}"

if [[ ! -x "$venv/bin/python" ]]; then
  echo "python-env: creating $venv with $($python --version 2>&1)"
  "$python" -m venv "$venv"
fi

want="$(sha256sum "$root/training/pyproject.toml" | cut -d' ' -f1)"
if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
  echo "python-env: up to date ($venv)"
  exit 0
fi

echo "python-env: installing torch and the training package into $venv"
# torch first, on its own, so its build is chosen here: PyPI's Linux wheel is the multi-GB CUDA
# one; TORCH_INDEX_URL=https://download.pytorch.org/whl/cpu gets the small CPU-only build.
torch_args=()
if [[ -n "${TORCH_INDEX_URL:-}" ]]; then torch_args=(--extra-index-url "$TORCH_INDEX_URL"); fi
"$venv/bin/python" -m pip install --quiet ${torch_args[@]+"${torch_args[@]}"} "torch==2.13.0"
"$venv/bin/python" -m pip install --quiet -e "$root/training[dev]"
echo "$want" > "$stamp"
echo "python-env: ready ($("$venv/bin/python" -c 'import torch; print("torch", torch.__version__)'))"
