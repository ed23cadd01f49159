#!/bin/sh
# Makes the SoftHSM token "mmo-vs" and the VS key on it (ECDSA P-256, generated on the token,
# sensitive, never extractable), as infra/softhsm/init-token.sh does on a workstation, then prints
# the key's certificate and key_id. Idempotent: an existing token and key are left alone.
# Environment: SOFTHSM2_CONF, MMO_HSM_CONFIG, MMO_HSM_PIN, MMO_HSM_SO_PIN, MMO_HSM_KEY_ALIAS.
set -eu

TOKEN_LABEL=mmo-vs
LIBRARY=/usr/lib/softhsm/libsofthsm2.so

keytool_p11() {
  keytool "$@" -storetype PKCS11 -providerClass sun.security.pkcs11.SunPKCS11 \
    -providerArg "$MMO_HSM_CONFIG" -storepass:env MMO_HSM_PIN
}

if softhsm2-util --show-slots | grep -Eq "^[[:space:]]*Label:[[:space:]]+$TOKEN_LABEL[[:space:]]*$"; then
  echo "token '$TOKEN_LABEL' present"
else
  echo "initialising token '$TOKEN_LABEL'"
  softhsm2-util --init-token --free --label "$TOKEN_LABEL" \
    --so-pin "$MMO_HSM_SO_PIN" --pin "$MMO_HSM_PIN" >/dev/null
fi

if keytool_p11 -list -alias "$MMO_HSM_KEY_ALIAS" >/dev/null 2>&1; then
  echo "key '$MMO_HSM_KEY_ALIAS' present"
else
  echo "generating key '$MMO_HSM_KEY_ALIAS' (EC secp256r1) on the token"
  keytool_p11 -genkeypair -alias "$MMO_HSM_KEY_ALIAS" -keyalg EC -groupname secp256r1 \
    -sigalg SHA256withECDSA -dname "CN=mmo validation server" -validity 3650
fi

# The point of the HSM: refuse a key that is not sensitive or was ever extractable.
access=$(pkcs11-tool --module "$LIBRARY" --login --pin "$MMO_HSM_PIN" --list-objects --type privkey |
  sed -n 's/^[[:space:]]*Access:[[:space:]]*//p' | head -n 1)
case ",$(echo "$access" | sed 's/, */,/g')," in
  *,sensitive,*never\ extractable,*) echo "key attributes: $access" ;;
  *) echo "ERROR: key '$MMO_HSM_KEY_ALIAS' is not sensitive and never extractable: $access" >&2; exit 1 ;;
esac

keytool_p11 -exportcert -rfc -alias "$MMO_HSM_KEY_ALIAS"
