#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Start srtpfwd with a profile of this folder:
#   drivers-config/run.sh PROFILE [srtpfwd app options...]
# PROFILE.sh sets the EAL array (and may prepare things, e.g. a veth pair);
# PROFILE.ini is passed as --config unless the options already name one.
# Env: SRTPFWD (default build/app/srtpfwd), plus what each profile reads.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
prof=${1:?usage: run.sh PROFILE [srtpfwd options] (profiles: see README.md)}
shift
[ -f "$here/$prof.sh" ] || { echo "run.sh: no profile '$prof' in $here" >&2; exit 2; }
SRTPFWD=${SRTPFWD:-$here/../build/app/srtpfwd}
args=("$@")	# before sourcing: a profile may use 'set --'
EAL=()
# shellcheck source=/dev/null
. "$here/$prof.sh"
case " ${args[*]-} " in
*" --config "*) ;;
*) args=(--config "$here/$prof.ini" "${args[@]}") ;;
esac
exec "$SRTPFWD" "${EAL[@]}" -- "${args[@]}"
