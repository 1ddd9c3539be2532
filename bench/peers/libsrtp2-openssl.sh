#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# The fair SRTP peer for the benchmarks: libsrtp2 built from Debian's own
# source package (the version of the installed libsrtp2-1, Debian's patches
# applied) with its OpenSSL back end, as Janus, Asterisk and FreeSWITCH ship
# it, into a bench-local prefix. Debian's binary package is built with NSS,
# whose AES-CM is several times slower; nothing system-wide is replaced: the
# library keeps Debian's soname (libsrtp2.so.1), so LD_LIBRARY_PATH=PREFIX/lib
# makes srtpfwd and the engine benchmark use it (see bench/peers/README.md).
#
# Steps: install what is missing of dpkg-dev gcc make pkg-config libssl-dev;
# add a deb-src entry for bookworm main (/etc/apt/sources.list.d/
# srtpfwd-bench-src.list) unless one exists; apt-get update; apt-get source
# libsrtp2 into bench/.peers/src; ./configure --enable-openssl --prefix=PREFIX;
# make; make install. Idempotent: nothing is done when PREFIX already holds a
# build of the same source version (stamp file PREFIX/srtpfwd-peer.stamp).
# Root is needed only for the apt steps (none when everything is there).
#
# Usage: bench/peers/libsrtp2-openssl.sh [PREFIX]   (from anywhere)
#        default PREFIX: bench/.peers/libsrtp2-openssl
# Env:   SRC_VERSION (the source version to build; default: that of the
#        installed libsrtp2-1, else the newest one apt knows), FORCE=1 (rebuild),
#        JOBS (make -j, 2), DEBIAN_FLAGS=1 (compile with Debian's dpkg-buildflags,
#        -O2 and hardening, instead of upstream's -O3 -funroll-loops: a control
#        that the speed comes from OpenSSL, not the flags; use another PREFIX)
# Prints at the end: the prefix, the source version and the crypto back end.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
peers=$root/bench/.peers
PREFIX=${1:-$peers/libsrtp2-openssl}
JOBS=${JOBS:-2}
FORCE=${FORCE:-0}
DEBIAN_FLAGS=${DEBIAN_FLAGS:-0}
SRC_LIST=/etc/apt/sources.list.d/srtpfwd-bench-src.list
# shellcheck source=bench/peers/libsrtp2.sh
. "$here/libsrtp2.sh"
mkdir -p "$peers"
PREFIX=$(mkdir -p "$PREFIX" && cd "$PREFIX" && pwd)
stamp=$PREFIX/srtpfwd-peer.stamp
# Bench-local only: a prefix the loader searches by default would replace
# Debian's library for the whole system.
case $PREFIX in
/ | /usr | /usr/local | /lib* | /usr/lib*)
	echo "libsrtp2-openssl: $PREFIX is system-wide; give a bench-local prefix" >&2
	exit 1
	;;
esac
# Nothing built here is tracked.
[ -f "$peers/.gitignore" ] || echo '*' >"$peers/.gitignore"

say() { echo "libsrtp2-openssl: $*" >&2; }
need_root() {
	[ "$(id -u)" = 0 ] || { say "needs root for: $*"; exit 1; }
}
apt_opts=(-y -q -o DPkg::Lock::Timeout=300)

flags=()
if [ "$DEBIAN_FLAGS" = 1 ]; then
	flags=("CFLAGS=$(dpkg-buildflags --get CFLAGS)" "CPPFLAGS=$(dpkg-buildflags --get CPPFLAGS)"
		"LDFLAGS=$(dpkg-buildflags --get LDFLAGS)")
fi
conf="configure --enable-openssl --prefix=$PREFIX${flags[*]:+ ${flags[*]}}"

# The same source as Debian's binary, so the two builds differ in the crypto
# back end (and, unless DEBIAN_FLAGS=1, in the compiler flags) only.
want=${SRC_VERSION:-$(dpkg-query -W -f '${source:Version}' libsrtp2-1 2>/dev/null || true)}

report() {
	local lib
	lib=$(readlink -f "$PREFIX/lib/libsrtp2.so.1")
	echo "prefix:   $PREFIX"
	echo "source:   libsrtp2 $(sed -n 's/^source //p' "$stamp") (Debian source package, Debian's patches)"
	echo "build:    $(sed -n 's/^configure/.\/configure/p' "$stamp")"
	echo "library:  $lib (soname $(objdump -p "$lib" | awk '/SONAME/ { print $2 }'); needs $(objdump -p "$lib" | awk '/NEEDED/ { printf "%s ", $2 }'))"
	echo "crypto:   $(LIBSRTP2_OPENSSL_PREFIX=$PREFIX libsrtp2_peer_name openssl)"
	echo "          $(strings "$lib" | awk '/ using openssl$/ { printf "%s%s", s, $0; s = "; " }')"
	echo "use:      LD_LIBRARY_PATH=$PREFIX/lib <srtpfwd or srtp_bench>"
}

if [ "$FORCE" != 1 ] && [ -n "$want" ] && [ -f "$stamp" ] && [ -e "$PREFIX/lib/libsrtp2.so.1" ] &&
	grep -qx "source $want" "$stamp" && grep -qxF "$conf" "$stamp"; then
	say "already built from libsrtp2 $want in $PREFIX"
	report
	exit 0
fi

# ---------------------------------------------------------------- build needs
missing=()
for pkg in dpkg-dev gcc make pkg-config libssl-dev; do
	[ "$(dpkg-query -W -f '${db:Status-Status}' "$pkg" 2>/dev/null)" = installed ] || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
	need_root "apt-get install ${missing[*]}"
	say "installing ${missing[*]}"
	apt-get update -q
	DEBIAN_FRONTEND=noninteractive apt-get install "${apt_opts[@]}" --no-install-recommends "${missing[@]}"
fi

# ---------------------------------------------------------------- deb-src
# Is there an enabled deb-src for bookworm main? One-line .list files, and
# deb822 .sources stanzas (Types: deb deb-src, Suites: ... bookworm ...).
has_deb_src() {
	local f
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[ -f "$f" ] || continue
		grep -Eq '^[[:space:]]*deb-src([[:space:]]+\[[^]]*\])?[[:space:]]+[^[:space:]]+[[:space:]]+bookworm[[:space:]].*\bmain\b' "$f" &&
			return 0
	done
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] || continue
		awk 'BEGIN { RS = ""; IGNORECASE = 1; found = 0 }
		     {
			t = s = c = 0; en = 1
			n = split($0, l, "\n")
			for (i = 1; i <= n; i++) {
				if (l[i] ~ /^Types:/ && l[i] ~ /[[:space:]]deb-src([[:space:]]|$)/) t = 1
				if (l[i] ~ /^Suites:/ && l[i] ~ /[[:space:]]bookworm([[:space:]]|$)/) s = 1
				if (l[i] ~ /^Components:/ && l[i] ~ /[[:space:]]main([[:space:]]|$)/) c = 1
				if (l[i] ~ /^Enabled:[[:space:]]*no/) en = 0
			}
			if (t && s && c && en) found = 1
		     }
		     END { exit !found }' "$f" && return 0
	done
	return 1
}

# The mirror and key of the existing binary entry for bookworm main, so the
# sources come from where the packages do; deb.debian.org otherwise.
debian_mirror() {
	local f uri=
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] || continue
		uri=$(awk 'BEGIN { RS = "" }
		     / deb([[:space:]]|$)/ && /Suites:[^\n]*[[:space:]]bookworm([[:space:]]|\n|$)/ && /Components:[^\n]*main/ {
			n = split($0, l, "\n")
			for (i = 1; i <= n; i++) if (l[i] ~ /^URIs:/) { split(l[i], u, /[[:space:]]+/); print u[2]; exit }
		     }' "$f")
		[ -n "$uri" ] && break
	done
	echo "${uri:-http://deb.debian.org/debian}"
}

if ! has_deb_src; then
	need_root "adding $SRC_LIST"
	key=/usr/share/keyrings/debian-archive-keyring.gpg
	opt=
	[ -f "$key" ] && opt="[signed-by=$key] "
	say "adding $SRC_LIST (deb-src for bookworm main)"
	{
		echo "# Added by srtpfwd bench/peers/libsrtp2-openssl.sh: Debian sources for the"
		echo "# bench-local libsrtp2 OpenSSL build. Safe to remove."
		echo "deb-src ${opt}$(debian_mirror) bookworm main"
	} >"$SRC_LIST"
fi
# (grep -c, not -q: an early exit would fail the pipe under pipefail)
if [ "$(apt-cache showsrc libsrtp2 2>/dev/null | grep -c '^Version:')" = 0 ]; then
	need_root "apt-get update"
	apt-get update -q -o DPkg::Lock::Timeout=300
fi
if [ -z "$want" ]; then
	want=$(apt-cache showsrc libsrtp2 | awk '/^Version:/ { print $2 }' | sort -V | tail -1)
fi
[ -n "$want" ] || { say "apt knows no source package libsrtp2"; exit 1; }

# Idempotent also when the version was only known after apt-get update.
if [ "$FORCE" != 1 ] && [ -f "$stamp" ] && [ -e "$PREFIX/lib/libsrtp2.so.1" ] &&
	grep -qx "source $want" "$stamp" && grep -qxF "$conf" "$stamp"; then
	say "already built from libsrtp2 $want in $PREFIX"
	report
	exit 0
fi

# ---------------------------------------------------------------- source
src=$peers/src/libsrtp2-$want
rm -f "$stamp"	# a failed build below leaves no stamp behind
rm -rf "$src"
mkdir -p "$src"
say "apt-get source libsrtp2=$want -> $src"
# As root apt downloads unsandboxed (a notice, not an error).
(cd "$src" && apt-get source -q "libsrtp2=$want" >apt-source.log 2>&1) ||
	{ cat "$src/apt-source.log" >&2; exit 1; }
tree=$(find "$src" -mindepth 1 -maxdepth 1 -type d -name 'libsrtp*' -print -quit)
if [ -z "$tree" ] || [ ! -x "$tree/configure" ]; then
	say "no source tree in $src"
	exit 1
fi

# ---------------------------------------------------------------- build
say "building in $tree (log: $tree/build.log)"
(
	cd "$tree"
	# (configure keeps upstream's CFLAGS only when none are given.)
	./configure --enable-openssl --prefix="$PREFIX" "${flags[@]}"
	# shared_library: Debian's soname libsrtp2.so.1 (the default target is
	# only the static library).
	make -j"$JOBS" shared_library
	# An older build's files go first (only libsrtp2's own: PREFIX may hold more).
	rm -rf "${PREFIX:?}"/lib/libsrtp2.* "${PREFIX:?}"/lib/pkgconfig/libsrtp2.pc "${PREFIX:?}"/include/srtp2
	make install
) >"$tree/build.log" 2>&1 || { tail -40 "$tree/build.log" >&2; exit 1; }

grep -q '^#define OPENSSL 1' "$tree/crypto/include/config.h" ||
	{ say "configure did not select OpenSSL (see $tree/config.log)"; exit 1; }
[ -e "$PREFIX/lib/libsrtp2.so.1" ] || { say "no $PREFIX/lib/libsrtp2.so.1 after make install"; exit 1; }
grep -aq 'counter mode using openssl' "$PREFIX/lib/libsrtp2.so.1" ||
	{ say "$PREFIX/lib/libsrtp2.so.1 has no OpenSSL AES-CM"; exit 1; }
{
	echo "source $want"
	echo "$conf"
	echo "openssl $(pkg-config --modversion openssl)"
	echo "built $(date -u '+%Y-%m-%d %H:%M UTC')"
} >"$stamp"
say "built libsrtp2 $want with OpenSSL into $PREFIX"
report
