# SPDX-License-Identifier: BSD-3-Clause
# shellcheck shell=bash
# The two libsrtp2 builds the benchmarks measure srtpfwd against, by name:
#   debian   Debian's libsrtp2-1 (NSS back end), the system library
#   openssl  the bench-local OpenSSL build of the same Debian source
#            (bench/peers/libsrtp2-openssl.sh), same soname libsrtp2.so.1,
#            picked up through LD_LIBRARY_PATH; nothing is relinked
#   openssl-NAME  another such build, in bench/.peers/libsrtp2-openssl-NAME (a
#            control, e.g. DEBIAN_FLAGS=1 bench/peers/libsrtp2-openssl.sh
#            bench/.peers/libsrtp2-openssl-debflags)
#
#   . bench/peers/libsrtp2.sh
#   libsrtp2_peers_default      # "debian openssl" when the OpenSSL build exists, else "debian"
#   libsrtp2_peer_env PEER      # the env(1) words that select PEER (none for debian)
#   libsrtp2_peer_lib PEER      # the libsrtp2.so.1 file PEER means (resolved path)
#   libsrtp2_peer_name PEER     # its column name, e.g. "libsrtp2 2.5.0 Debian (NSS)"
#   libsrtp2_peer_check PEER BIN  # BIN under PEER's env loads PEER's library, else fail
# Env: LIBSRTP2_OPENSSL_PREFIX (bench/.peers/libsrtp2-openssl, as the build script).

libsrtp2_peers_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
LIBSRTP2_OPENSSL_PREFIX=${LIBSRTP2_OPENSSL_PREFIX:-$(cd "$libsrtp2_peers_dir/../.." && pwd)/bench/.peers/libsrtp2-openssl}

libsrtp2_peers_default() {
	if [ -e "$LIBSRTP2_OPENSSL_PREFIX/lib/libsrtp2.so.1" ]; then
		echo "debian openssl"
	else
		echo "debian"
	fi
}

# The prefix of an OpenSSL peer.
libsrtp2_peer_prefix() {
	case $1 in
	openssl) echo "$LIBSRTP2_OPENSSL_PREFIX" ;;
	openssl-*) echo "$(dirname "$LIBSRTP2_OPENSSL_PREFIX")/libsrtp2-$1" ;;
	*) echo "libsrtp2: unknown peer '$1' (debian, openssl, openssl-NAME)" >&2; return 1 ;;
	esac
}

libsrtp2_peer_env() {
	local prefix
	[ "$1" = debian ] && return 0
	prefix=$(libsrtp2_peer_prefix "$1") || return 1
	echo "LD_LIBRARY_PATH=$prefix/lib"
}

libsrtp2_peer_lib() {
	case $1 in
	debian)
		# The library the loader finds without LD_LIBRARY_PATH.
		readlink -f "$(/sbin/ldconfig -p | awk '$1 == "libsrtp2.so.1" && /x86-64/ && f == "" { f = $NF } END { print f }')"
		;;
	*)
		local prefix
		prefix=$(libsrtp2_peer_prefix "$1") || return 1
		readlink -f "$prefix/lib/libsrtp2.so.1"
		;;
	esac
}

# "libsrtp2 2.5.0 Debian (NSS)", "libsrtp2 2.5.0 OpenSSL 3.0.19 (bench-local build)":
# the version string and back end from the library file itself.
libsrtp2_peer_name() {
	local lib ver back ossl
	lib=$(libsrtp2_peer_lib "$1") || return 1
	[ -e "$lib" ] || { echo "libsrtp2 ($1: not built)"; return 0; }
	ver=$(strings "$lib" | awk '/^libsrtp2 [0-9]/ && v == "" { v = $2 } END { print v }')
	if grep -aq 'counter mode using openssl' "$lib"; then
		ossl=$(dpkg-query -W -f '${Version}' libssl3 2>/dev/null | sed 's/-.*//')
		back="OpenSSL ${ossl:-3}"
	elif grep -aq 'counter mode using NSS' "$lib"; then
		back=NSS
	else
		back="built-in crypto"
	fi
	case $1 in
	debian) echo "libsrtp2 ${ver:-?} Debian ($back)" ;;
	openssl) echo "libsrtp2 ${ver:-?} $back (bench-local build)" ;;
	*) echo "libsrtp2 ${ver:-?} $back (bench-local build ${1#openssl-})" ;;
	esac
}

libsrtp2_peer_check() {
	local peer=$1 bin=$2 want got envw
	want=$(libsrtp2_peer_lib "$peer") || return 1
	envw=$(libsrtp2_peer_env "$peer") || return 1
	# shellcheck disable=SC2086
	got=$(env $envw ldd "$bin" | awk '$1 == "libsrtp2.so.1" { print $3 }')
	got=$(readlink -f "$got")
	if [ -z "$want" ] || [ "$got" != "$want" ]; then
		echo "libsrtp2 peer $peer: $bin loads '${got:-nothing}', not '$want'" >&2
		return 1
	fi
}
