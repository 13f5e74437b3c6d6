#!/usr/bin/env bash
# Runs each fuzz target for a fixed time (default 600 s each) and copies any crashing
# input into tests/fixtures/fuzz/<target>/, where `cargo test` replays it forever after.
#
#   fuzz/run.sh [seconds] [target...]
#
# Needs cargo-fuzz (`cargo install cargo-fuzz`). libFuzzer's sanitizer flags are
# unstable rustc options; RUSTC_BOOTSTRAP lets the stable toolchain accept them.
set -euo pipefail
cd "$(dirname "$0")"
seconds=${1:-600}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(front_matter markdown urls)
export RUSTC_BOOTSTRAP=1
status=0
for target in "${targets[@]}"; do
  seeds="../tests/fixtures/fuzz/$target"
  mkdir -p "corpus/$target" "$seeds"
  echo "== $target for ${seconds}s"
  if ! cargo fuzz run "$target" "corpus/$target" "$seeds" -- -max_total_time="$seconds" -rss_limit_mb=4096 -timeout=10; then
    status=1
  fi
  for crash in artifacts/"$target"/*; do
    [ -e "$crash" ] || continue
    cp "$crash" "$seeds/"
    echo "kept $crash as a regression input in $seeds"
  done
done
exit $status
