#!/usr/bin/env bash
# Decode throughput: SmearScan (release build, one thread) against plain TurboJPEG C code and
# against djpeg on the same files, full and 1/2 scale, in megapixels of the stored image
# per second.
#
#   in memory    smearscan benchmark decode  vs  decode-baseline.c (TurboJPEG from C, one
#                                                 handle and one buffer reused; same flags)
#                file read excluded on both sides; thread CPU time; fastest of 5 rounds,
#                3 alternated runs
#   whole file   smearscan (read + decode)   vs  djpeg -outfile /dev/null, one process per
#                                                 file (start, read, decode, PPM to /dev/null);
#                                                 user+sys CPU time of the djpeg processes
# CPU time rather than wall time because the machine is shared: wall-clock figures swing
# by 2x with other builds, CPU time far less.
#
# Files: the six overview scans and 500 deepapl cells (every 20th by path, the five
# truncated cells left out). Usage: Benchmarks/decode.sh [results-file]
set -euo pipefail
cd "$(dirname "$0")/.."
DATA="${SMEARSCAN_DATA:-../shared/data}"
OUT="${1:-Benchmarks/decode-results.txt}"

swift build -c release --product smearscan >/dev/null
BIN="$(swift build -c release --show-bin-path)/smearscan"
BASELINE="$(mktemp -d)/decode-baseline"
trap 'rm -rf "$(dirname "$BASELINE")"' EXIT
cc -O2 Benchmarks/decode-baseline.c -lturbojpeg -o "$BASELINE"

TRUNCATED='BL_7821735.jpg|SMU_8371935.jpg|BL_7744281.jpg|BL_6611696.jpg|LY_8338724.jpg'
mapfile -t OVERVIEWS < <(find "$DATA/overviews" -name '*.jpg' | LC_ALL=C sort)
mapfile -t CELLS < <(find "$DATA/deepapl" -name '*.jpg' | LC_ALL=C sort | grep -Ev "$TRUNCATED" | awk 'NR % 20 == 1' | head -n 500)

field() { tr ' ' '\n' | awk -F= -v k="$1" '$1 == k { print $2 }'; }
max() { awk -v a="$1" -v b="$2" 'BEGIN { print (a == "" || b + 0 > a + 0) ? b : a }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2fx", a / b }'; }

# djpeg, one process per file: user+sys CPU seconds of the loop, best of three, as megapixels/s.
djpeg_rate() {  # scale megapixels files...
    local scale=$1 mp=$2 best= cpu
    shift 2
    for _ in 1 2 3; do
        cpu=$( { TIMEFORMAT='%3U %3S'; time (for f in "$@"; do djpeg -scale "1/$scale" -outfile /dev/null "$f"; done); } 2>&1 | awk '{ print $1 + $2 }')
        best=$(awk -v t="$cpu" -v b="$best" 'BEGIN { print (b == "" || t < b) ? t : b }')
    done
    awk -v mp="$mp" -v t="$best" 'BEGIN { printf "%.1f", mp / t }'
}

{
    echo "# SmearScan decode benchmark $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores shared with other builds, libjpeg-turbo $(dpkg-query -W -f '${Version}' libturbojpeg0 2>/dev/null || echo '?')"
    printf '%-13s %-5s %10s %10s %7s   %14s %10s %7s\n' set scale smearscan C-baseline ratio "smearscan+read" djpeg ratio
    for set in overviews cells; do
        if [ "$set" = overviews ]; then files=("${OVERVIEWS[@]}"); else files=("${CELLS[@]}"); fi
        for scale in 1 2; do
            # Alternate the two in-memory decoders, keeping each one's best run, so load
            # from other processes on the shared machine hits both alike.
            ours= c= ours_read=
            for _ in 1 2 3; do
                line=$("$BIN" benchmark decode --scale "$scale" --rounds 5 "${files[@]}")
                mp=$(echo "$line" | field megapixels)
                ours=$(max "$ours" "$(echo "$line" | field megapixels_per_second)")
                ours_read=$(max "$ours_read" "$(awk -v mp="$mp" -v s="$(echo "$line" | field seconds)" \
                    -v r="$(echo "$line" | field read_seconds)" 'BEGIN { printf "%.1f", mp / (s + r) }')")
                c=$(max "$c" "$("$BASELINE" "$scale" 5 "${files[@]}" | field megapixels_per_second)")
            done
            dj=$(djpeg_rate "$scale" "$mp" "${files[@]}")
            printf '%-13s 1/%-3s %10s %10s %7s   %14s %10s %7s\n' "$set(${#files[@]})" "$scale" \
                "$ours" "$c" "$(ratio "$ours" "$c")" "$ours_read" "$dj" "$(ratio "$ours_read" "$dj")"
        done
    done
} | tee "$OUT"
