#!/usr/bin/env bash
# The main job: install dependencies, build, install the Qwen plugin into a
# plugin directory and list the models through the loaded plugin.
#
#   bash scripts/run-main.sh            # uses $OPENCLAW_STATE_DIR or ~/.openclaw
#
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

bash scripts/install-deps.sh
cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release -DOPENCLAW_BUILD_TESTS=OFF
cmake --build build/release

state_dir="${OPENCLAW_STATE_DIR:-$HOME/.openclaw}"
plugin_dir="${OPENCLAW_PLUGIN_DIR:-$state_dir/plugins}"
# The plugin and its manifest land in <plugin dir>/qwen/; claw-host in build/release/bin.
cmake --install build/release --prefix "$plugin_dir" --component plugin
cmake --install build/release --prefix build/release --component host

echo "Installed the Qwen plugin into $plugin_dir/qwen"
build/release/bin/claw-host --plugin-dir "$plugin_dir" plugins list
build/release/bin/claw-host --plugin-dir "$plugin_dir" models list
