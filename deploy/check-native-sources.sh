#!/usr/bin/env bash
# Checks the output of the VS native sources-only build (run by `make test` right after it):
# the native-image arguments register SunPKCS11 as a security provider, and the runner jar carries
# the project's native-image configuration for it. Exits non-zero on the first thing missing.
set -euo pipefail

SOURCES=${1:-vs-quarkus/target/native-sources}
ARGS=$SOURCES/native-image.args
RUNNER=$(ls "$SOURCES"/*-runner.jar 2>/dev/null | head -n 1 || true)

die() { printf '[native-sources] ERROR: %s\n' "$*" >&2; exit 1; }

[[ -s "$ARGS" ]] || die "$ARGS missing: did the sources-only build run?"
[[ -n "$RUNNER" ]] || die "no runner jar in $SOURCES"
grep -q -- '-H:AdditionalSecurityProviders=[^ ]*sun\.security\.pkcs11\.SunPKCS11' "$ARGS" ||
  die "SunPKCS11 is not registered as a security provider (quarkus.security.security-providers)"
for f in jni-config.json reflect-config.json native-image.properties; do
  unzip -l "$RUNNER" "META-INF/native-image/dev.mmo/vs-quarkus/$f" >/dev/null ||
    die "$f is not in $(basename "$RUNNER")"
done
printf '[native-sources] ok: %s (builder %s)\n' "$SOURCES" "$(cat "$SOURCES/graalvm.version" 2>/dev/null || echo '?')"
