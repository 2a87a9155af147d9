#!/usr/bin/env bash
# Starts the jpackage app image under a virtual display and waits for its window "GoldFinch Reader".
#   packaging/check-image.sh [IMAGE_DIR]     (default: packaging/target/jpackage/GoldFinchReader)
# Needs Xvfb, xwininfo (x11-utils) and the GTK 3 library JavaFX uses (libgtk-3-0).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
image=${1:-$here/target/jpackage/GoldFinchReader}
launcher="$image/bin/GoldFinchReader"
[[ -x $launcher ]] || { echo "no app image at $image (build it: ./mvnw -B -P package -DskipTests package)"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
disp=:$((60 + RANDOM % 20))
Xvfb $disp -screen 0 1400x900x24 -nolisten tcp >/dev/null 2>&1 & xv=$!
export DISPLAY=$disp HOME=$tmp
"$launcher" >"$tmp/app.log" 2>&1 & app=$!
found=""
for _ in $(seq 1 60); do
  sleep 1
  if xwininfo -root -tree 2>/dev/null | grep -q '"GoldFinch Reader"'; then found=1; break; fi
  kill -0 $app 2>/dev/null || break
done
kill $app 2>/dev/null; sleep 1; kill -9 $app 2>/dev/null; kill $xv 2>/dev/null
if [[ -z $found ]]; then echo "the app image did not open its window within 60 s:"; tail -5 "$tmp/app.log"; exit 1; fi
echo "app image starts: window \"GoldFinch Reader\" is up"
