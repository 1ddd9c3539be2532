#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# The LI tests' PKI (openssl CLI, EC P-256, valid for 2 days):
#   ca.crt/ca.key              the test CA
#   mf.crt/mf.key              the mediation function's server certificate (SAN IP:198.18.200.2),
#                              signed by the test CA
#   box.crt/box.key            srtpfwd's client certificate, signed by the test CA
#   other-ca.crt/other-ca.key  an unrelated CA
#   other-box.crt/other-box.key a client certificate signed by the other CA (the MF must refuse it)
# Keys are unencrypted PEM (PKCS#8).
#
# usage: make_ca.sh DIR      (creates DIR; prints nothing on success, exits non-zero on failure)
set -euo pipefail

DIR=${1:?usage: make_ca.sh DIR}
DAYS=2
mkdir -p "$DIR"
cd "$DIR"

newkey() {
	openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null
	chmod 600 "$1"
}

# make_ca NAME CN
make_ca() {
	newkey "$1.key"
	openssl req -x509 -new -key "$1.key" -sha256 -days "$DAYS" -subj "/CN=$2" \
		-addext "basicConstraints=critical,CA:TRUE,pathlen:0" \
		-addext "keyUsage=critical,keyCertSign,cRLSign" \
		-addext "subjectKeyIdentifier=hash" -out "$1.crt" 2>/dev/null
}

# make_leaf NAME CA CN EXTENSIONS...
make_leaf() {
	local name=$1 ca=$2 cn=$3
	shift 3
	newkey "$name.key"
	openssl req -new -key "$name.key" -subj "/CN=$cn" -out "$name.csr" 2>/dev/null
	printf '%s\n' "basicConstraints=critical,CA:FALSE" "keyUsage=critical,digitalSignature" \
		"subjectKeyIdentifier=hash" "authorityKeyIdentifier=keyid" "$@" >"$name.ext"
	openssl x509 -req -in "$name.csr" -CA "$ca.crt" -CAkey "$ca.key" -set_serial "0x$(openssl rand -hex 8)" \
		-sha256 -days "$DAYS" -extfile "$name.ext" -out "$name.crt" 2>/dev/null
	rm -f "$name.csr" "$name.ext"
	openssl verify -CAfile "$ca.crt" "$name.crt" >/dev/null
}

make_ca ca "srtpfwd li test ca"
make_leaf mf ca "mf1.li.test" "extendedKeyUsage=serverAuth" "subjectAltName=IP:198.18.200.2"
make_leaf box ca "srtpfwd-box.li.test" "extendedKeyUsage=clientAuth"
make_ca other-ca "unrelated test ca"
make_leaf other-box other-ca "srtpfwd-box.li.test" "extendedKeyUsage=clientAuth"
# The other CA's client certificate must not verify against the test CA.
if openssl verify -CAfile ca.crt other-box.crt >/dev/null 2>&1; then
	echo "make_ca.sh: other-box.crt verifies against the test CA" >&2
	exit 1
fi
