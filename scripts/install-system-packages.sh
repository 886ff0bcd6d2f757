#!/usr/bin/env bash
# Install the Debian packages Disan needs, where this user can; otherwise
# name them so an administrator can.
set -euo pipefail

packages=(
  python3-venv python3-dev build-essential pkg-config
  libvips42 libvips-dev libvips-tools libturbojpeg0
  tesseract-ocr tesseract-ocr-vie tesseract-ocr-chi-tra tesseract-ocr-chi-tra-vert
  chromium unicode-data
)

missing=()
for pkg in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
  apt=(apt-get)
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  apt=(sudo apt-get)
else
  echo "Disan needs these Debian packages, which this user cannot install:" >&2
  echo "  sudo apt-get install ${missing[*]}" >&2
  echo "Without tesseract-ocr the rest still runs; OCR jobs then say it is missing." >&2
  exit 0
fi

echo "Installing Debian packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${apt[@]}" update -qq
"${apt[@]}" install -y -qq --no-install-recommends "${missing[@]}"
