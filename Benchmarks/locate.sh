#!/usr/bin/env bash
# Locator speed, release build, one thread, decode excluded (images are decoded first);
# thread CPU time, fastest of the rounds (the machine is shared).
# Usage: Benchmarks/locate.sh [rounds]   (from anywhere; data from ../shared/data)
set -euo pipefail
cd "$(dirname "$0")/.."
passes="${1:-3}"
data="${SMEARSCAN_DATA:-../shared/data}"
swift build -c release --product smearscan >/dev/null
bin=.build/release/smearscan
echo "BCCD fields (640x480), scale given (0.072 µm/px):"
"$bin" benchmark locate --rounds "$passes" --scale 0.072 "$data"/bccd/BCCD/JPEGImages/*.jpg
echo "BCCD fields, scale estimated from red cells:"
"$bin" benchmark locate --rounds "$passes" "$data"/bccd/BCCD/JPEGImages/*.jpg
echo "Overview scans (~2900x2960), scale given (0.21 µm/px):"
"$bin" benchmark locate --rounds "$passes" --scale 0.21 "$data"/overviews/*.jpg
echo "Overview scans, scale estimated:"
"$bin" benchmark locate --rounds "$passes" "$data"/overviews/*.jpg
echo "Single-cell images (360x363), scale given (0.1 µm/px):"
"$bin" benchmark locate --rounds "$passes" --scale 0.1 "$data"/pbc/*/*.jpg
