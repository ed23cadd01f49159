#!/usr/bin/env bash
# Makes the dev/CI key pair for admin API tokens (RSA 3072, for RS256):
#   infra/jwt/work/jwt-private-key.pem  signs tokens (mint-token.sh); never leaves this machine
#   infra/jwt/work/jwt-public-key.pem   what the VS verifies tokens with (MMO_JWT_PUBLIC_KEY)
# Both live in infra/jwt/work/, which is git-ignored: no private key is ever committed.
#
# Idempotent: an existing key pair is kept (tokens minted earlier stay valid); the public key is
# derived from the private one on every run, so the two always match.
# Reset: rm -rf infra/jwt/work   (every token minted before stops working)
#
# Dev and CI only. In production the VS gets the public key of a real identity provider.
set -euo pipefail

JWT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
WORK_DIR=$JWT_DIR/work
PRIVATE_KEY=$WORK_DIR/jwt-private-key.pem
PUBLIC_KEY=$WORK_DIR/jwt-public-key.pem

log() { printf '[jwt-keys] %s\n' "$*"; }
die() { printf '[jwt-keys] ERROR: %s\n' "$*" >&2; exit 1; }

command -v openssl >/dev/null 2>&1 || die "'openssl' not found (run infra/setup.sh, it installs it)"

umask 077 # the private key is for this user only
mkdir -p "$WORK_DIR"

if [[ -s "$PRIVATE_KEY" ]]; then
  log "key pair present"
else
  log "generating an RSA 3072 key pair"
  # Written under a temporary name first: an interrupted run never leaves half a key behind.
  openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:3072 -out "$PRIVATE_KEY.tmp" 2>/dev/null
  mv -f "$PRIVATE_KEY.tmp" "$PRIVATE_KEY"
fi

tmp=$(mktemp "$PUBLIC_KEY.XXXXXX")
openssl pkey -in "$PRIVATE_KEY" -pubout -out "$tmp" || { rm -f "$tmp"; die "cannot read $PRIVATE_KEY"; }
if [[ -f "$PUBLIC_KEY" ]] && cmp -s "$tmp" "$PUBLIC_KEY"; then
  rm -f "$tmp"
else
  mv -f "$tmp" "$PUBLIC_KEY"
  log "wrote work/jwt-public-key.pem"
fi
log "VS verification key: $PUBLIC_KEY (. infra/jwt/env.sh exports it)"
