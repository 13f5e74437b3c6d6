#!/usr/bin/env bash
# folio against Hugo, side by side: see bench/compare.py for what it measures.
exec python3 "$(dirname "$0")/compare.py" "$@"
