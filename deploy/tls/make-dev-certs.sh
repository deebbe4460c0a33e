#!/usr/bin/env bash
# Make a development CA and certificates for mutual TLS between capturectl and capture-agent.
#
#   deploy/tls/make-dev-certs.sh OUTDIR [CLIENT_NAME...]
#
# Writes into OUTDIR (created, mode 0700):
#   ca.pem, ca.key                the dev CA (keep ca.key away from the nodes)
#   agent.pem, agent.key          the agents' certificate: CN=capture-agent, SAN localhost, 127.0.0.1, ::1
#   console.pem, console.key      the console's certificate: CN=console
#   NAME.pem, NAME.key            one more client certificate per CLIENT_NAME (CN=NAME), e.g. "viewer"
# Each certificate is issued for its role only: the agent's for serverAuth, the console's and every CLIENT_NAME's for
# clientAuth (extendedKeyUsage), all CA:FALSE. Agents accept only clientAuth leaves, consoles only serverAuth leaves,
# so neither the CA's certificate nor the agent's passes as a console.
# Keys are ECDSA P-256, certificates valid for 825 days. Running it again replaces the files.
# For production use your own CA; these are for the lab and the tests.
set -euo pipefail

if [[ $# -lt 1 || "$1" == -h || "$1" == --help ]]; then
    sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'
    [[ $# -ge 1 ]] && exit 0 || exit 2
fi
command -v openssl >/dev/null || { echo "make-dev-certs: openssl is not installed (apt-get install openssl)" >&2; exit 1; }

out=$1; shift
for name in "$@"; do
    [[ "$name" =~ ^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$ ]] \
        || { echo "make-dev-certs: bad client name '$name': letters, digits, '.', '_', '-' (at most 64)" >&2; exit 2; }
    [[ "$name" != ca && "$name" != agent ]] || { echo "make-dev-certs: '$name' is reserved" >&2; exit 2; }
done

mkdir -p "$out"
chmod 0700 "$out"
umask 077
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

days=825
openssl ecparam -name prime256v1 -genkey -noout -out "$out/ca.key" 2>/dev/null
openssl req -x509 -new -key "$out/ca.key" -sha256 -days 3650 \
    -subj "/O=CaptureActors dev/CN=CaptureActors dev CA $(date -u +%Y%m%dT%H%M%SZ)-$RANDOM" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -out "$out/ca.pem"

issue() { # NAME CN SAN PURPOSE
    local name=$1 cn=$2 san=$3 purpose=$4
    openssl ecparam -name prime256v1 -genkey -noout -out "$out/$name.key" 2>/dev/null
    openssl req -new -key "$out/$name.key" -subj "/O=CaptureActors dev/CN=$cn" -out "$work/$name.csr"
    cat >"$work/$name.ext" <<EXT
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature,keyAgreement
extendedKeyUsage=$purpose
subjectAltName=$san
EXT
    openssl x509 -req -in "$work/$name.csr" -CA "$out/ca.pem" -CAkey "$out/ca.key" -CAcreateserial \
        -CAserial "$work/ca.srl" -days "$days" -sha256 -extfile "$work/$name.ext" -out "$out/$name.pem" 2>/dev/null
}

issue agent capture-agent "DNS:localhost,IP:127.0.0.1,IP:::1" serverAuth
issue console console "DNS:console" clientAuth
for name in "$@"; do
    issue "$name" "$name" "DNS:$name" clientAuth
done
chmod 0600 "$out"/*.key
chmod 0644 "$out"/*.pem
echo "make-dev-certs: CA and certificates in $out (ca.pem, agent.pem/.key, console.pem/.key${*:+, $*})"
