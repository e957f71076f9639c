#!/usr/bin/env bash
# Checks the demo's HTML report in a real browser (issue 12, Checks). Not part of `make test`
# (CI has no browser). It
#   1. runs `upwind demo` (or takes an existing hotspots output folder) and `upwind report`;
#   2. opens report.html in headless Chromium and saves a screenshot (report.png, report-top.png);
#   3. fails if a map is blank: every map is rendered twice, as written and with its data layers
#      removed (frame, graticule and labels only); the data must change a visible share of pixels,
#      in each standalone map_*.svg and in the page's maps;
#   4. fails if Chinese renders as boxes (tofu): the page is rendered again with every CJK character
#      replaced by U+10FFFD, which no font has; if the headline looks the same, the CJK text was
#      boxes too. A probe also draws two different CJK characters of the report at 160 px in the
#      report's own font stack: they must differ from each other and from the missing-glyph box.
#
# Usage: scripts/check-report.sh [OUT]            (default OUT: .build/check-report)
#   UPWIND=path/to/upwind   use this binary (default: swift build -c $CONFIG --product upwind)
#   CONFIG=release          build configuration when UPWIND is not given (default debug: the demo then
#                           takes about 2 minutes on 2 cores, a first release build much longer)
#   DEMO_DIR=folder         report this hotspots output instead of running the demo
# Needs Debian's chromium, fonts-noto-cjk, imagemagick and python3; installs the first three with
# apt-get when missing.
set -euo pipefail
shopt -s nullglob

cd "$(dirname "$0")/.."
OUT="${1:-.build/check-report}"
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"
SUDO=""; [ "$(id -u)" = "0" ] || SUDO="sudo"

need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
[ -x /usr/bin/convert ] && [ -x /usr/bin/compare ] || need+=(imagemagick)
fc-list :lang=zh 2>/dev/null | grep -q . || need+=(fonts-noto-cjk)
if [ ${#need[@]} -gt 0 ]; then
  echo "check-report: installing ${need[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi
command -v python3 >/dev/null 2>&1 || { echo "check-report: python3 is needed"; exit 1; }
CONVERT=/usr/bin/convert; COMPARE=/usr/bin/compare   # Debian's ImageMagick (not a stand-in earlier in PATH)

if [ -z "${UPWIND:-}" ]; then
  swift build -c "${CONFIG:-debug}" --product upwind
  UPWIND="$(swift build -c "${CONFIG:-debug}" --show-bin-path)/upwind"
fi

if [ -n "${DEMO_DIR:-}" ]; then
  DIR="$DEMO_DIR"
else
  DIR="$OUT/demo"
  echo "check-report: running the demo into $DIR"
  "$UPWIND" demo --out "$DIR" | tail -3
fi
"$UPWIND" report "$DIR" --out "$OUT/report.html"

shot() {  # shot FILE PNG WIDTH HEIGHT
  chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --force-device-scale-factor=1 \
    --window-size="$3,$4" --screenshot="$2" "file://$1" >/dev/null 2>&1
  [ -s "$2" ] || { echo "check-report: FAIL: chromium wrote no screenshot of $1"; exit 1; }
}
differing() {  # differing A.png B.png -> number of pixels that differ by more than 3%
  { "$COMPARE" -metric AE -fuzz 3% "$1" "$2" null: 2>&1 >/dev/null || true; } | awk '{printf "%d\n", $1 + 0}'
}

# The controls: data layers removed (maps), CJK replaced by a codepoint no font has (tofu).
python3 - "$OUT" <<'PY'
import glob, os, re, sys
out = sys.argv[1]
layer = re.compile(r'<g class="layer layer-[^"]*">.*?</g>', re.S)   # layers hold no nested <g>
def strip(text): return layer.sub('', text)
for path in glob.glob(os.path.join(out, 'map_*.svg')):
    if path.endswith('.control.svg'): continue
    with open(path, encoding='utf-8') as f: text = f.read()
    stripped = strip(text)
    assert stripped != text, path + ': no data layer found'
    with open(path[:-4] + '.control.svg', 'w', encoding='utf-8') as f: f.write(stripped)
with open(os.path.join(out, 'report.html'), encoding='utf-8') as f: page = f.read()
with open(os.path.join(out, 'report.nomaps.html'), 'w', encoding='utf-8') as f: f.write(strip(page))
cjk = re.compile('[\u3400-\u4dbf\u4e00-\u9fff]')
with open(os.path.join(out, 'report.tofu.html'), 'w', encoding='utf-8') as f: f.write(cjk.sub('\U0010FFFD', page))
# Glyph probe: two different CJK characters of the report, in the report's own font stack.
chars = []
for c in cjk.findall(page):
    if c not in chars: chars.append(c)
    if len(chars) == 2: break
if len(chars) < 2: chars = ['河', '南']
stack = re.search(r'body \{[^}]*font-family: ([^;]+);', page).group(1)
for name, text in [('probe-a', chars[0]), ('probe-b', chars[1]), ('probe-tofu', '\U0010FFFD')]:
    with open(os.path.join(out, name + '.html'), 'w', encoding='utf-8') as f:
        f.write('<!DOCTYPE html><html><head><meta charset="utf-8"/><style>body{margin:0;background:#fff}'
                'div{position:absolute;left:20px;top:10px;font-size:160px;line-height:1;color:#000;font-family:%s}</style></head>'
                '<body><div>%s</div></body></html>' % (stack, text))
print('check-report: probe characters', ''.join(chars))
with open(os.path.join(out, 'cjk-count'), 'w') as f: f.write('%d\n' % len(cjk.findall(page)))
PY

fail=0
# 1. Standalone maps: each drawn with and without its data.
maps=("$OUT"/map_*.svg)
if [ ${#maps[@]} -eq 0 ]; then echo "check-report: FAIL: the report has no map"; fail=1; fi
for svg in "${maps[@]}"; do
  case "$svg" in *.control.svg) continue ;; esac
  name="$(basename "$svg" .svg)"
  read -r w h < <(python3 -c "import re,sys; t=open(sys.argv[1],encoding='utf-8').read(2000); m=re.search(r'width=\"([0-9.]+)\" height=\"([0-9.]+)\"',t); print(int(float(m.group(1)))+1, int(float(m.group(2)))+1)" "$svg")
  shot "$svg" "$OUT/$name.png" "$w" "$h"
  shot "${svg%.svg}.control.svg" "$OUT/$name.control.png" "$w" "$h"
  diff=$(differing "$OUT/$name.png" "$OUT/$name.control.png")
  total=$((w * h)); pct=$((100 * diff / total))
  if [ "$diff" -lt $((total / 50)) ]; then
    echo "check-report: FAIL: $name.svg: its data change only $diff of $total pixels (${pct}%): the map is blank"; fail=1
  else
    echo "check-report: ok: $name.svg: data change $diff of $total pixels (${pct}%)"
  fi
done

# 2. The page: screenshot, maps present, CJK not tofu.
shot "$OUT/report.html" "$OUT/report.png" 1400 7000
shot "$OUT/report.nomaps.html" "$OUT/report.nomaps.png" 1400 7000
shot "$OUT/report.tofu.html" "$OUT/report.tofu.png" 1400 7000
"$CONVERT" "$OUT/report.png" -crop 1400x1400+0+0 +repage "$OUT/report-top.png"
diff=$(differing "$OUT/report.png" "$OUT/report.nomaps.png")
if [ "$diff" -lt 100000 ]; then
  echo "check-report: FAIL: the page's maps change only $diff pixels: the map area is blank"; fail=1
else
  echo "check-report: ok: the page's maps draw $diff pixels"
fi
"$CONVERT" "$OUT/report.png" -crop 1400x420+0+0 +repage "$OUT/head.png"
"$CONVERT" "$OUT/report.tofu.png" -crop 1400x420+0+0 +repage "$OUT/head.tofu.png"
diff=$(differing "$OUT/head.png" "$OUT/head.tofu.png")
if [ "$(cat "$OUT/cjk-count")" -eq 0 ]; then
  echo "check-report: note: the report holds no Chinese text; only the probe below checks the fonts"
elif [ "$diff" -lt 200 ]; then
  echo "check-report: FAIL: the headline looks the same with its Chinese replaced by missing glyphs ($diff pixels differ): Chinese renders as boxes"; fail=1
else
  echo "check-report: ok: the headline's Chinese differs from missing-glyph boxes in $diff pixels"
fi
for p in probe-a probe-b probe-tofu; do shot "$OUT/$p.html" "$OUT/$p.png" 240 200; done
ink=$("$CONVERT" "$OUT/probe-a.png" -colorspace Gray -threshold 50% -format "%[fx:(1-mean)*w*h]" info: | awk '{printf "%d\n", $1 + 0}')
ab=$(differing "$OUT/probe-a.png" "$OUT/probe-b.png"); at=$(differing "$OUT/probe-a.png" "$OUT/probe-tofu.png")
if [ "$ink" -lt 300 ] || [ "$ab" -lt 300 ] || [ "$at" -lt 300 ]; then
  echo "check-report: FAIL: CJK probe: ink $ink px, two characters differ in $ab px, character vs missing glyph $at px: Chinese renders as boxes or not at all"; fail=1
else
  echo "check-report: ok: CJK probe: ink $ink px; two characters differ in $ab px; a character differs from the missing-glyph box in $at px"
fi
echo "check-report: fonts for Chinese: $(fc-match 'Noto Sans CJK SC' 2>/dev/null)"
echo "check-report: screenshots: $OUT/report.png (whole page), $OUT/report-top.png (first screen), $OUT/map_*.png"
if [ "$fail" -ne 0 ]; then echo "check-report: FAILED"; exit 1; fi
echo "check-report: passed"
