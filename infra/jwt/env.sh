# Sourceable (bash, zsh from the repo root, or POSIX sh from the repo root):
#   . infra/jwt/env.sh
# Exports what the VS needs to verify admin API tokens minted by infra/jwt/mint-token.sh with the
# dev key pair of infra/jwt/init-keys.sh. The issuer and audience keep any value already set.

if [ -n "${BASH_SOURCE:-}" ]; then
  _mmo_jwt_dir=$(cd "$(dirname "${BASH_SOURCE}")" && pwd)
elif _mmo_top=$(git rev-parse --show-toplevel 2>/dev/null) && [ -d "$_mmo_top/infra/jwt" ]; then
  _mmo_jwt_dir=$_mmo_top/infra/jwt
else
  _mmo_jwt_dir=$(pwd)/infra/jwt
fi

export MMO_JWT_PUBLIC_KEY="$_mmo_jwt_dir/work/jwt-public-key.pem"
export MMO_JWT_ISSUER="${MMO_JWT_ISSUER:-mmo-dev}"
export MMO_JWT_AUDIENCE="${MMO_JWT_AUDIENCE:-mmo-vs}"
if [ ! -r "$MMO_JWT_PUBLIC_KEY" ]; then
  echo "[env] warning: $MMO_JWT_PUBLIC_KEY missing; run infra/jwt/init-keys.sh" >&2
fi
unset _mmo_jwt_dir _mmo_top
