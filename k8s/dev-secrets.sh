#!/usr/bin/env bash
# Makes the Secrets and ConfigMaps that k8s/overlays/dev refers to but never contains, with fresh
# random values, in the namespace mmo-dev of the current kubectl context (docs/deploy.md):
#
#   k8s/dev-secrets.sh               before `kubectl apply -k k8s/overlays/dev`
#   k8s/dev-secrets.sh trust-anchors after the Job mmo-softhsm-init has finished: the GS trust
#                                    anchors from the VS key it made
#
# Existing objects are kept (the database, the broker and the token were initialised with them).
# Nothing is written to the repository; the GS key only passes through a temporary directory.
# Environment: MMO_NAMESPACE [mmo-dev], KUBECTL [kubectl].
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
NS=${MMO_NAMESPACE:-mmo-dev}
KUBECTL=${KUBECTL:-kubectl}

log() { printf '[dev-secrets] %s\n' "$*"; }
die() { printf '[dev-secrets] ERROR: %s\n' "$*" >&2; exit 1; }
k() { "$KUBECTL" -n "$NS" "$@"; }
exists() { k get "$1" "$2" >/dev/null 2>&1; }
random() { openssl rand -hex 24; }

command -v "$KUBECTL" >/dev/null 2>&1 || die "'$KUBECTL' not found"
command -v openssl >/dev/null 2>&1 || die "'openssl' not found"

secret() {
  local name=$1; shift
  if exists secret "$name"; then
    log "secret $name present"
  else
    k create secret generic "$name" "$@" >/dev/null
    log "secret $name created"
  fi
}

secrets() {
  "$KUBECTL" get namespace "$NS" >/dev/null 2>&1 || "$KUBECTL" create namespace "$NS" >/dev/null
  secret mmo-vs-hsm --from-literal=pin="$(random)" --from-literal=so-pin="$(random)"
  secret mmo-vs-db --from-literal=username=mmo --from-literal=password="$(random)"
  secret mmo-vs-rabbitmq --from-literal=username=mmo --from-literal=password="$(random)"
  if exists secret mmo-gs-key; then
    log "secret mmo-gs-key present"
  else
    local tmp
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' RETURN
    (umask 077 && openssl genpkey -algorithm ed25519 -out "$tmp/gs-key.pem")
    k create secret generic mmo-gs-key --from-file=gs-key.pem="$tmp/gs-key.pem" \
      --from-literal=gs-id="${MMO_GS_ID:-gs-dev-1}" >/dev/null
    log "secret mmo-gs-key created for gs_id ${MMO_GS_ID:-gs-dev-1}; enrol this public key (hex)" \
      "with POST /api/game-servers:"
    # The raw 32-byte Ed25519 public key: the last 32 bytes of its SubjectPublicKeyInfo.
    openssl pkey -in "$tmp/gs-key.pem" -pubout -outform DER | tail -c 32 | od -An -tx1 | tr -d ' \n'
    echo
  fi
  # The admin API's verification key: the dev key pair of infra/jwt (tokens from mint-token.sh).
  "$ROOT/infra/jwt/init-keys.sh" >/dev/null
  if exists configmap mmo-vs-jwt; then
    log "configmap mmo-vs-jwt present"
  else
    k create configmap mmo-vs-jwt \
      --from-file=public-key.pem="$ROOT/infra/jwt/work/jwt-public-key.pem" >/dev/null
    log "configmap mmo-vs-jwt created"
  fi
}

trust_anchors() {
  local tmp key_id
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' RETURN
  k wait --for=condition=complete --timeout=300s job/mmo-softhsm-init >/dev/null ||
    die "job mmo-softhsm-init has not completed"
  k logs job/mmo-softhsm-init |
    sed -n '/-----BEGIN CERTIFICATE-----/,/-----END CERTIFICATE-----/p' >"$tmp/vs-cert.pem"
  [[ -s "$tmp/vs-cert.pem" ]] || die "no certificate in the log of job mmo-softhsm-init"
  openssl x509 -in "$tmp/vs-cert.pem" -pubkey -noout >"$tmp/vs-public-key.pem"
  # The GS reads one uncompressed P-256 point (130 hex characters) per line: the last 65 bytes of
  # the key's SubjectPublicKeyInfo, as GET /api/trust-anchors shows it.
  openssl pkey -pubin -in "$tmp/vs-public-key.pem" -outform DER | tail -c 65 | od -An -tx1 |
    tr -d ' \n' >"$tmp/trust-anchors.txt"
  echo >>"$tmp/trust-anchors.txt"
  k create configmap mmo-gs-trust-anchors --from-file=trust-anchors.txt="$tmp/trust-anchors.txt" \
    --dry-run=client -o yaml | k apply -f - >/dev/null
  key_id=$(openssl pkey -pubin -in "$tmp/vs-public-key.pem" -outform DER | sha256sum | cut -d' ' -f1)
  log "configmap mmo-gs-trust-anchors holds the VS key $key_id"
}

case "${1:-secrets}" in
  secrets) secrets ;;
  trust-anchors) trust_anchors ;;
  *) die "usage: $0 [secrets|trust-anchors]" ;;
esac
