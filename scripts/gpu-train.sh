#!/usr/bin/env bash
# One time-boxed training session on a CUDA machine, for a GPU that is lent for minutes at a time:
#   1. pack the 64 px faces from ../shared/data if the pack is not there yet;
#   2. resume RUN (its latest.pt, or a compact checkpoint brought along) or start it with the v2
#      recipe, and train in the background (setsid, so a dropped session does not kill it) for
#      MINUTES, in bfloat16 where the GPU supports it; train --minutes saves and stops cleanly;
#   3. copy out the exported generator, a compact resumable checkpoint, the metrics and the
#      newest sample grid, and print the GPU's images/s.
#
# usage: scripts/gpu-train.sh RUN_FOLDER [MINUTES] [OUT_FOLDER]
#   RUN_FOLDER  runs/v2 (holding latest.pt or compact.pt.gz to resume; else a new run starts there)
#   MINUTES     training wall time (default 9)
#   OUT_FOLDER  where results go (default $OUT, else RUN_FOLDER/out)
# Also runs on a CPU (that is how it is tested): AVATARGAN_DEVICE=cpu and a short MINUTES.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
run="${1:?usage: scripts/gpu-train.sh RUN_FOLDER [MINUTES] [OUT_FOLDER]}"
minutes="${2:-9}"
out="${3:-${OUT:-$run/out}}"
device="${AVATARGAN_DEVICE:-auto}"
pack="${AVATARGAN_PACK:-data/faces64}"
python="${PYTHON:-$root/.venv/bin/python}"
if [[ ! -x "$python" ]]; then python="$(command -v python3)"; fi
mkdir -p "$out" "$run"
export PYTHONPATH="$root/training${PYTHONPATH:+:$PYTHONPATH}"

if ! "$python" -c "import torch" 2>/dev/null; then
  echo "gpu-train: $python has no torch; run scripts/python-env.sh first (or set PYTHON)" >&2
  exit 2
fi
"$python" -c "import torch; print('gpu-train: torch', torch.__version__, '| cuda:', torch.cuda.is_available() and torch.cuda.get_device_name(0))"

if [[ ! -f "$pack/meta.json" ]]; then
  "$python" -m avatargan pack "${AVATARGAN_SOURCE:-../shared/data/anime-faces-64.tar}" --out "$pack" --resolution 64
fi

# The checkpoint to continue from: the run's latest.pt, else a compact one brought along.
if [[ ! -f "$run/latest.pt" && -f "$run/compact.pt.gz" ]]; then cp "$run/compact.pt.gz" "$run/latest.pt"; fi
if [[ -f "$run/latest.pt" ]]; then
  args=(--resume "$run" --data "$pack")
  echo "gpu-train: resuming $run/latest.pt"
else
  # The v2 recipe (README, "The shipped models"); a longer --kimg than any one session covers.
  # AVATARGAN_RECIPE replaces the --set list (e.g. a wider network for a GPU).
  recipe="${AVATARGAN_RECIPE:---set g.channel_base=1024 --set g.channel_max=128 --set d.channel_base=1024 --set d.channel_max=128 --set cls_weight=1 --set g_cls_weight=0.2 --set g_cls_until=0.5 --set ms_weight=0.5 --set snapshot_kimg=50}"
  # shellcheck disable=SC2206 # the recipe is a list of flags, split on spaces on purpose
  args=(--data "$pack" --out "$run" --preset 64 --batch "${AVATARGAN_BATCH:-16}" --kimg 5000 $recipe)
  echo "gpu-train: starting a new run in $run"
fi
log="$out/train.log"
setsid "$python" -m avatargan train "${args[@]}" --device "$device" --minutes "$minutes" --no-progress \
  > "$log" 2>&1 < /dev/null &
wait $! || { echo "gpu-train: training failed; the end of $log:" >&2; tail -n 20 "$log" >&2; exit 1; }

"$python" -m avatargan export --checkpoint "$run/latest.pt" --out "$out/generator" --force --float16 \
  --compact "$out/compact.pt.gz"
cp "$run/metrics.jsonl" "$out/" 2>/dev/null || true
newest="$(ls -t "$run"/samples-*.png 2>/dev/null | head -n 1 || true)"
if [[ -n "$newest" ]]; then cp "$newest" "$out/"; fi
"$python" - "$run/metrics.jsonl" <<'EOF'
import json, sys
records = [json.loads(line) for line in open(sys.argv[1]) if '"images_per_s"' in line]
if records:
    last = records[-1]
    print(f"gpu-train: {last['kimg']:.1f} kimg; last interval {last['images_per_s']:.0f} images/s")
EOF
grep -h "stopped\|done:" "$log" | tail -n 2
echo "gpu-train: results in $out"
