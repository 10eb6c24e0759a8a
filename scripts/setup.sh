#!/usr/bin/env bash
# Installs every Debian package and npm dependency that the build, the server and the tests need.
# Idempotent: safe to run on every build; apt and npm skip what is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  # toolchain
  build-essential cmake ninja-build ccache pkg-config git clang-format clang libclang-rt-14-dev
  # libraries (see docs/ARCHITECTURE.md, "Dependencies", for why each is here)
  libboost-dev nlohmann-json3-dev libsoci-dev libsqlite3-dev libpq-dev libsodium-dev libssl-dev
  libspdlog-dev libfmt-dev libcli11-dev libtomlplusplus-dev liboath-dev libexpected-dev
  libgtest-dev libgmock-dev libbenchmark-dev zlib1g-dev libhowardhinnant-date-dev tzdata
  libgmime-3.0-dev libcurl4-openssl-dev libhpdf-dev libqrencode-dev libxml2-dev
  libxmlsec1-dev libzip-dev
  # services the server and the tests run for real
  clamav-daemon clamav postgresql sqlite3
  # PDF/A-2b of the documents kept for preservation (the daily protocol register): Ghostscript's
  # pdfwrite, and the sRGB profile of its output intent (package libgs-common)
  ghostscript
  # a real SMTP server for the outbox tests (run with Debian's /usr/bin/python3)
  python3-aiosmtpd
  # browser tests (Node.js and npm: see below)
  chromium
  # benchmarks and tools used by tests
  wrk nginx-light curl procps psmisc clamdscan poppler-utils zbar-tools
  # independent checks of preservation packages: xmllint (the SInCRO index against its schema),
  # the openssl command line (CAdES signatures, RFC 3161 time-stamps)
  libxml2-utils openssl
)

# Node.js: Debian's nodejs + npm, unless a Node.js with npm is already installed (some images ship
# one from another channel, whose nodejs package conflicts with Debian's npm).
command -v npm >/dev/null 2>&1 || packages+=(nodejs npm)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo_cmd apt-get update -qq
  $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# Node.js for the web toolchain: see scripts/node-env.sh.
. scripts/node-env.sh
if ! cst_node_ok; then
  pkg=$(cst_node_package) || { echo "no Node.js >= 20.19 and no packaged binary for $(uname -m)" >&2; exit 1; }
  echo "Node.js $(node -v 2>/dev/null || echo missing) is older than 20.19: installing $pkg from the npm registry into .tools/node"
  rm -rf .tools/node .tools/node-package
  npm install --prefix .tools/node-package --no-save --no-audit --no-fund "$pkg"
  ln -s "node-package/node_modules/${pkg%@*}" .tools/node
  . scripts/node-env.sh
  cst_node_ok || { echo "the Node.js installed in .tools/node does not run" >&2; exit 1; }
fi

if [ -d web ] && [ -f web/package-lock.json ]; then
  (cd web && { [ -d node_modules ] && [ node_modules/.package-lock.json -nt package-lock.json ] || npm ci --no-audit --no-fund; })
fi
