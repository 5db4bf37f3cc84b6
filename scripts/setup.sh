#!/usr/bin/env bash
# Installs brainevent's build dependencies on Debian/Ubuntu when any is missing, and the packages
# named as arguments.
set -euo pipefail
packages=(g++ clang libc++-dev libc++abi-dev cmake ninja-build libeigen3-dev libxsimd-dev catch2
  libbenchmark-dev "$@")
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "installing: ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}"
fi
