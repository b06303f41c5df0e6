#!/bin/sh
# chronoprop against Brian2 on this machine (see scripts/peer-compare.ts for what is measured).
#   scripts/peer/compare.sh                                   cuba-1s and brette-b4-5s, seeds 1-3, every Brian2 target
#   scripts/peer/compare.sh cuba-1s --seeds 1,2,3,4,5 --targets cython,cpp_standalone
# Needs Debian's Brian2 (apt-get install python3-brian g++) at /usr/bin/python3, or --python <path>.
set -e
cd "$(dirname "$0")/../.."
npm run build --silent
exec node dist/peer-compare.js "$@"
