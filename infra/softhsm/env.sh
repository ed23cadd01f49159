# Sourceable (bash, zsh from the repo root, or POSIX sh from the repo root):
#   . infra/softhsm/env.sh
# Exports what the VS, the tests and the Makefile/Maven runs need to reach the
# project-local SoftHSM token made by infra/softhsm/init-token.sh.
# PIN and alias keep any value already set; the paths always point here.
# The default PIN is for dev/CI only.

# Locate this directory: bash tells us the sourced file; plain sh does not,
# so fall back to the git top level / current directory.
if [ -n "${BASH_SOURCE:-}" ]; then
  _mmo_hsm_dir=$(cd "$(dirname "${BASH_SOURCE}")" && pwd)
elif _mmo_top=$(git rev-parse --show-toplevel 2>/dev/null) && [ -d "$_mmo_top/infra/softhsm" ]; then
  _mmo_hsm_dir=$_mmo_top/infra/softhsm
else
  _mmo_hsm_dir=$(pwd)/infra/softhsm
fi

export SOFTHSM2_CONF="$_mmo_hsm_dir/work/softhsm2.conf"
export MMO_HSM_CONFIG="$_mmo_hsm_dir/work/sunpkcs11.cfg"
export MMO_HSM_PIN="${MMO_HSM_PIN:-mmo-dev-pin}"
export MMO_HSM_KEY_ALIAS="${MMO_HSM_KEY_ALIAS:-mmo-vs-1}"
# Key id of the current VS key, once init-token.sh has made it.
if [ -r "$_mmo_hsm_dir/work/vs-key-id.txt" ]; then
  MMO_HSM_KEY_ID=$(cat "$_mmo_hsm_dir/work/vs-key-id.txt")
  export MMO_HSM_KEY_ID
fi
if [ ! -r "$SOFTHSM2_CONF" ]; then
  echo "[env] warning: $SOFTHSM2_CONF missing; run infra/setup.sh (or infra/softhsm/init-token.sh)" >&2
fi
unset _mmo_hsm_dir _mmo_top
