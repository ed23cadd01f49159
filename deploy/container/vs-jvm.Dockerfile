# The validation server, JVM mode (Quarkus fast-jar). Build context: the repository root, after
#   ./mvnw -B -pl vs-quarkus -am package -DskipTests
#   docker build -f deploy/container/vs-jvm.Dockerfile -t mmo-vs:0.1.0 .
# With SoftHSM, pkcs11-tool and keytool for the dev overlay's token (docs/deploy.md):
#   docker build -f deploy/container/vs-jvm.Dockerfile --build-arg WITH_SOFTHSM=true \
#     -t mmo-vs:0.1.0-softhsm .
FROM eclipse-temurin:17-jre-noble

ARG WITH_SOFTHSM=false

# The JVM and SunPKCS11 come with the base image. SoftHSM only for development: production reaches
# a network HSM through its vendor's PKCS#11 library, mounted at run time.
RUN set -eu; \
    if [ "$WITH_SOFTHSM" = "true" ]; then \
      apt-get update; \
      apt-get install -y --no-install-recommends softhsm2 opensc; \
      rm -rf /var/lib/apt/lists/*; \
    fi; \
    groupadd --system --gid 10001 mmo; \
    useradd --system --uid 10001 --gid mmo --home-dir /nonexistent --no-create-home \
      --shell /usr/sbin/nologin mmo

WORKDIR /opt/mmo/vs
# Owned by root and read-only to the service user: the application cannot rewrite itself.
COPY vs-quarkus/target/quarkus-app/lib/ lib/
COPY vs-quarkus/target/quarkus-app/app/ app/
COPY vs-quarkus/target/quarkus-app/quarkus/ quarkus/
COPY vs-quarkus/target/quarkus-app/quarkus-run.jar quarkus-run.jar

USER 10001:10001
# 8080: game servers (/gs) and the admin API (/api). 9000: /q/health and /q/metrics only,
# unauthenticated: the VS binds it to loopback unless MMO_VS_MANAGEMENT_HOST says otherwise, and
# inside a container loopback is unreachable, so the image listens on the container's interfaces.
# Publish 9000 to probes and Prometheus only (Kubernetes sets the pod's address instead).
EXPOSE 8080 9000
ENV MMO_VS_MANAGEMENT_HOST=0.0.0.0
# The heap follows the container's memory limit; the root file system may be read-only (/tmp is
# a volume in the manifests).
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError -Djava.io.tmpdir=/tmp"
# The HSM signer re-initializes a PKCS#11 library a fault left stuck (vs-quarkus README, "HSM").
ENTRYPOINT ["java", "--add-opens", "jdk.crypto.cryptoki/sun.security.pkcs11.wrapper=ALL-UNNAMED", \
    "-jar", "/opt/mmo/vs/quarkus-run.jar"]
