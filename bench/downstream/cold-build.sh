#!/usr/bin/env bash
# The cold build of a fresh downstream crate that depends on one client
# crate (by path, as it would by git or a registry): its dependency count
# and the wall time of `cargo build` from an empty target directory.
#
#   bash bench/downstream/cold-build.sh [CLIENT] [FEATURES]
#
# CLIENT defaults to elasticpath; FEATURES (e.g. `tls-aws-lc-rs`) are the
# client's features to turn on. Crates come from the local cargo cache
# (`--offline` after one fetch), so the time is compiling only. Figures
# for the README: run on an idle machine, note the cores.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
client="${1:-elasticpath}"
features="${2:-}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

mkdir -p "$work/downstream/src"
dependency="{ path = \"$root/clients/$client\""
if [ -n "$features" ]; then
  dependency="$dependency, default-features = false, features = [\"$features\"]"
fi
dependency="$dependency }"
cat >"$work/downstream/Cargo.toml" <<TOML
[package]
name = "downstream"
version = "0.1.0"
edition = "2024"
publish = false

[dependencies]
${client}-client = $dependency

[workspace]
TOML
cat >"$work/downstream/src/lib.rs" <<RS
//! A downstream crate: builds the client.
pub fn client() -> ${client}_client::Client {
    ${client}_client::Client::builder().build().expect("the default server")
}
RS
# The workspace's lock file, so the versions are the ones CI tests.
cp "$root/Cargo.lock" "$work/downstream/Cargo.lock"
cd "$work/downstream"
cargo fetch --quiet
count="$(cargo tree --offline --edges normal,build --prefix none --format '{p}' | sed 's/ (.*//' | sort -u | wc -l)"
start="$(date +%s)"
CARGO_TARGET_DIR="$work/target" cargo build --offline --quiet
end="$(date +%s)"
echo "client: ${client}-client${features:+ (features: $features)}"
echo "crates in the build (normal and build dependencies, the downstream crate included): $count"
echo "cold debug build: $((end - start)) s on $(nproc) cores"
for heavy in aws-lc-sys aws-lc-rs ring cmake; do
  if cargo tree --offline --edges normal,build --prefix none --format '{p}' | grep -q "^$heavy "; then
    echo "  includes $heavy"
  fi
done
