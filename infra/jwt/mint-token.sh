#!/usr/bin/env bash
# Mints an admin API token (RS256 JWT) with openssl only, signed with the dev key of init-keys.sh.
#
#   infra/jwt/mint-token.sh <operator|admin> [subject] [ttl-seconds]
#   TOKEN=$(infra/jwt/mint-token.sh admin alice 600)
#   curl -H "Authorization: Bearer $TOKEN" http://localhost:8080/api/game-servers
#
# Claims: iss (MMO_JWT_ISSUER, default mmo-dev), aud (MMO_JWT_AUDIENCE, default mmo-vs), sub and
# upn (the subject, default dev-<role>; the VS records it as the operator of a revocation), groups
# ([role]), iat, exp (iat + ttl, default 3600 s, at most 86400 s: the VS refuses older tokens), jti
# (random). Only the token goes to stdout.
#
# Environment:
#   MMO_JWT_ISSUER       the iss claim; must match the VS's                    [mmo-dev]
#   MMO_JWT_AUDIENCE     the aud claim; must be one the VS accepts             [mmo-vs]
#   MMO_JWT_PRIVATE_KEY  the signing key (PEM)               [infra/jwt/work/jwt-private-key.pem]
set -euo pipefail

JWT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
MAX_TTL=86400

die() { printf '[mint-token] ERROR: %s\n' "$*" >&2; exit 1; }
usage() { die "usage: $0 <operator|admin> [subject] [ttl-seconds]"; }

(($# >= 1 && $# <= 3)) || usage
role=$1
subject=${2:-dev-$role}
ttl=${3:-3600}
issuer=${MMO_JWT_ISSUER:-mmo-dev}
audience=${MMO_JWT_AUDIENCE:-mmo-vs}
key=${MMO_JWT_PRIVATE_KEY:-$JWT_DIR/work/jwt-private-key.pem}

[[ "$role" == operator || "$role" == admin ]] || usage
# The values go into JSON unescaped, so they are held to characters that need no escaping.
[[ "$subject" =~ ^[A-Za-z0-9._@-]{1,64}$ ]] || die "subject must be 1..64 of [A-Za-z0-9._@-]"
[[ "$issuer" =~ ^[A-Za-z0-9._:/-]{1,200}$ ]] || die "MMO_JWT_ISSUER must be 1..200 of [A-Za-z0-9._:/-]"
[[ "$audience" =~ ^[A-Za-z0-9._:/-]{1,200}$ ]] || die "MMO_JWT_AUDIENCE must be 1..200 of [A-Za-z0-9._:/-]"
[[ "$ttl" =~ ^[0-9]{1,6}$ ]] && ((ttl >= 1 && ttl <= MAX_TTL)) || die "ttl must be 1..$MAX_TTL seconds"
[[ -r "$key" ]] || die "no signing key at $key (run infra/jwt/init-keys.sh)"
command -v openssl >/dev/null 2>&1 || die "'openssl' not found"

b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }

now=$(date +%s)
header=$(printf '{"alg":"RS256","typ":"JWT"}' | b64url)
payload=$(printf '{"iss":"%s","aud":"%s","sub":"%s","upn":"%s","groups":["%s"],"iat":%d,"exp":%d,"jti":"%s"}' \
  "$issuer" "$audience" "$subject" "$subject" "$role" "$now" "$((now + ttl))" "$(openssl rand -hex 16)" \
  | b64url)
signature=$(printf '%s.%s' "$header" "$payload" | openssl dgst -sha256 -sign "$key" -binary | b64url)
printf '%s.%s.%s\n' "$header" "$payload" "$signature"
