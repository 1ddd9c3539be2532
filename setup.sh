#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# The two commands of the README, on a fresh Debian 12 machine (as root):
#   ./setup.sh run    install what is missing, build, forward demo traffic, show stats
#   ./setup.sh test   install what is missing, build, run the whole test suite
set -euo pipefail
cd "$(dirname "$0")"

usage() {
	echo "usage: $0 run|test" >&2
	exit 2
}

[ $# -eq 1 ] || usage
case "$1" in
run | test) ;;
*) usage ;;
esac

scripts/install-deps.sh
scripts/build.sh build
if [ "$1" = run ]; then
	exec scripts/demo.sh build/app/srtpfwd
fi
exec tests/run_all.sh
