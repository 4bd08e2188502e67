#!/usr/bin/env bash
# End-to-end throughput and peak memory of `smearscan analyze` (release build): decode,
# locate, classify, write, over a batch folder (default: all of ../shared/data/deepapl).
#
#   Benchmarks/analyze.sh [--model PATH] [--jobs N] [--scale UM_PER_PX] [BATCH_FOLDER]
#
# Prints wall seconds, CPU seconds, cells, cells/s (wall and per CPU second) and peak RSS,
# for --jobs 1 and the requested jobs (default: the core count), so the parallel speed-up
# is measured against the single-thread baseline on the same machine. Without --model the
# shipped model in Models/ is used. On a shared machine, compare CPU-second figures.
set -euo pipefail
cd "$(dirname "$0")/.."
model=() jobs=$(nproc) scale=() batch=../shared/data/deepapl
while [ $# -gt 0 ]; do
    case "$1" in
        --model) model=(--model "$2"); shift 2 ;;
        --jobs) jobs="$2"; shift 2 ;;
        --scale) scale=(--scale "$2"); shift 2 ;;
        *) batch="$1"; shift ;;
    esac
done
swift build -c release --product smearscan >/dev/null
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for j in 1 "$jobs"; do
    rm -rf "$out/run"
    /usr/bin/time -f "%e %U %S %M" -o "$out/time" .build/release/smearscan analyze "$batch" --out "$out/run" \
        --jobs "$j" --quiet "${model[@]}" "${scale[@]}" || [ $? -eq 2 ]
    read -r wall user sys rss < <(tail -n 1 "$out/time")  # time adds a status line on exit 2
    cells=$(cat "$out"/run/*/summary.json | grep -o '"cells_total": [0-9]*' | awk '{s += $2} END {print s}')
    awk -v j="$j" -v w="$wall" -v u="$user" -v s="$sys" -v r="$rss" -v c="$cells" 'BEGIN {
        printf "jobs %s: %d cells in %.1f s wall (%.1f s CPU): %.0f cells/s, %.0f cells per CPU-second, peak RSS %.0f MB\n",
            j, c, w, u + s, c / w, c / (u + s), r / 1024 }'
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
