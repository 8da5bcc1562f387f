#!/usr/bin/env bash
# The faces the digit recogniser trains on (python -m ingest.digits.train), beyond what
# scripts/install.sh installs: Debian's Arundina, Noto and DejaVu, and Google Fonts' builds of
# Thai faces from npm's @fontsource packages, pinned, unpacked into .cache/digit-fonts.
# Only retraining needs them; the shipped model (ingest/digits/model/digits.npz) loads without.
# Usage (as root on Debian): scripts/fetch_digit_fonts.sh
set -euo pipefail
cd "$(dirname "$0")/.."

debian=(fonts-thai-tlwg fonts-arundina fonts-noto-core fonts-noto-extra fonts-dejavu-core)
# npm: Debian's, unless a Node.js install already brings one
command -v npm >/dev/null || debian+=(npm)
missing=()
for pkg in "${debian[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if (( ${#missing[@]} )); then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# name@version, as trained on (ingest/digits/train.py FONTSOURCE_FAMILIES)
packages=(sarabun@5.3.0 chakra-petch@5.3.0 bai-jamjuree@5.3.0 charm@5.2.7 charmonman@5.2.7
  fahkwang@5.3.0 k2d@5.2.8 kodchasan@5.2.8 koho@5.3.0 krub@5.2.7 mali@5.3.0 niramit@5.3.0
  kanit@5.3.0 prompt@5.3.0 mitr@5.3.0 ibm-plex-sans-thai@5.3.0 athiti@5.2.8 pridi@5.3.0
  taviraj@5.3.0 trirong@5.3.0 ibm-plex-sans-thai-looped@5.3.0)
dest=.cache/digit-fonts
mkdir -p "$dest"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for spec in "${packages[@]}"; do
  name=${spec%@*}
  [[ -d "$dest/$name/files" ]] && continue
  (cd "$work" && npm pack --silent "@fontsource/$spec" >/dev/null)
  mkdir -p "$dest/$name"
  tar -xzf "$work/fontsource-$name-${spec#*@}.tgz" -C "$dest/$name" --strip-components=1 \
    --wildcards 'package/files/*-thai-*-normal.woff' 'package/LICENSE'
done
echo "fetch_digit_fonts.sh: $(find "$dest" -name '*.woff' | wc -l) faces in $dest"
