#!/usr/bin/env bash
# Decode throughput: SmearScan (release build, one thread) against libjpeg-turbo's own tools
# on the same files, full and 1/2 scale, as megapixels (of the stored image) per second.
#
#   in memory    smearscan benchmark decode  vs  tjbench   (both: file read excluded,
#                                                            fastest of several runs)
#   whole file   smearscan read + decode     vs  djpeg -outfile /dev/null, one process
#                                                per file (read, decode, PPM to /dev/null)
#
# Files: the six overview scans and 500 deepapl cells (every 20th by path, the five
# truncated cells left out). Usage: Benchmarks/decode.sh [results-file]
set -euo pipefail
cd "$(dirname "$0")/.."
DATA="${SMEARSCAN_DATA:-../shared/data}"
OUT="${1:-Benchmarks/decode-results.txt}"

swift build -c release --product smearscan >/dev/null
BIN="$(swift build -c release --show-bin-path)/smearscan"

TRUNCATED='BL_7821735.jpg|SMU_8371935.jpg|BL_7744281.jpg|BL_6611696.jpg|LY_8338724.jpg'
mapfile -t OVERVIEWS < <(find "$DATA/overviews" -name '*.jpg' | sort)
mapfile -t CELLS < <(find "$DATA/deepapl" -name '*.jpg' | LC_ALL=C sort | grep -Ev "$TRUNCATED" | awk 'NR % 20 == 1' | head -n 500)

# tjbench over files: time-weighted megapixels/s (total megapixels / total time).
tjbench_rate() {  # scale benchtime files...
    local scale=$1 benchtime=$2; shift 2
    for f in "$@"; do
        tjbench "$f" -rgb -nowrite -quiet -benchtime "$benchtime" -warmup 0.02 -scale "1/$scale" \
            -stoponwarning -limitscans 2>/dev/null | awk 'NF >= 9 && $1 == "RGB" { print $5 * $6 / 1e6, $NF }'
    done | awk '{ mp += $1; t += $1 / $2 } END { printf "%.1f", mp / t }'
}

max() { awk -v a="$1" -v b="$2" 'BEGIN { print (a == "" || b + 0 > a + 0) ? b : a }'; }

# djpeg, one process per file: best of three loops, megapixels/s.
djpeg_rate() {  # scale megapixels files...
    local scale=$1 mp=$2; shift 2
    local best=
    for _ in 1 2 3; do
        local start end
        start=$(date +%s.%N)
        for f in "$@"; do djpeg -scale "1/$scale" -outfile /dev/null "$f"; done
        end=$(date +%s.%N)
        best=$(awk -v s="$start" -v e="$end" -v b="$best" 'BEGIN { t = e - s; if (b == "" || t < b) b = t; print b }')
    done
    awk -v mp="$mp" -v t="$best" 'BEGIN { printf "%.1f", mp / t }'
}

field() { tr ' ' '\n' | awk -F= -v k="$1" '$1 == k { print $2 }'; }

{
    echo "# SmearScan decode benchmark, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores (shared with other builds), libjpeg-turbo $(dpkg-query -W -f '${Version}' libturbojpeg0 2>/dev/null || echo '?')"
    printf '%-10s %-5s %9s %11s %9s %7s %13s %9s %7s\n' set scale ours_mp/s tjbench_mp/s ratio "" ours+read_mp/s djpeg_mp/s ratio
    for set in overviews cells; do
        if [ "$set" = overviews ]; then files=("${OVERVIEWS[@]}"); rounds=5; bench=0.5
        else files=("${CELLS[@]}"); rounds=5; bench=0.02; fi
        for scale in 1 2; do
            # Alternate the two in-memory decoders and keep each one's best of three, so
            # load from other processes on the shared machine hits both alike.
            ours= tj= ours_read=
            for _ in 1 2 3; do
                line=$("$BIN" benchmark decode --scale "$scale" --rounds "$rounds" "${files[@]}")
                mp=$(echo "$line" | field megapixels)
                seconds=$(echo "$line" | field seconds)
                read=$(echo "$line" | field read_seconds)
                ours=$(max "$ours" "$(echo "$line" | field megapixels_per_second)")
                ours_read=$(max "$ours_read" "$(awk -v mp="$mp" -v s="$seconds" -v r="$read" 'BEGIN { printf "%.1f", mp / (s + r) }')")
                tj=$(max "$tj" "$(tjbench_rate "$scale" "$bench" "${files[@]}")")
            done
            dj=$(djpeg_rate "$scale" "$mp" "${files[@]}")
            printf '%-10s 1/%-3s %9s %11s %9s %7s %13s %9s %7s\n' "$set(${#files[@]})" "$scale" "$ours" "$tj" \
                "$(awk -v a="$ours" -v b="$tj" 'BEGIN { printf "%.2fx", a / b }')" "" \
                "$ours_read" "$dj" "$(awk -v a="$ours_read" -v b="$dj" 'BEGIN { printf "%.2fx", a / b }')"
        done
    done
} | tee "$OUT"
