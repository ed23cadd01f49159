# The validation server as a native executable, built from the native sources that `make test`
# produces (GraalVM is not on our machines, so the executable is compiled here, in a container).
# Build context: the repository root, after
#   ./mvnw -B -pl vs-quarkus -am package -DskipTests \
#     -Dquarkus.native.enabled=true -Dquarkus.native.sources-only=true
#   docker build -f deploy/container/vs-native.Dockerfile -t mmo-vs:0.1.0-native .
# The builder must be the Mandrel release that vs-quarkus/target/native-sources/graalvm.version
# names (25.0 for Quarkus 3.33). SunPKCS11 in a native image is not yet proven: run the smoke test
# of docs/deploy.md ("Native image") against a token before using this image.

FROM quay.io/quarkus/ubi9-quarkus-mandrel-builder-image:jdk-25 AS build
COPY --chown=1001:1001 vs-quarkus/target/native-sources /project
WORKDIR /project
# native-image.args holds every option Quarkus chose, the executable's name and the runner jar.
RUN native-image $(cat native-image.args) -J-Xmx6g && \
    mkdir -p /project/lib && \
    cp "$GRAALVM_HOME/lib/libj2pkcs11.so" /project/lib/

FROM registry.access.redhat.com/ubi9/ubi-minimal:9.5
WORKDIR /opt/mmo/vs
COPY --from=build /project/vs-quarkus-0.1.0-SNAPSHOT-runner /opt/mmo/vs/vs
# SunPKCS11's JNI library, loaded by System.loadLibrary at the first token access.
COPY --from=build /project/lib/ /opt/mmo/vs/lib/
USER 10001:10001
# 9000 (health, metrics) is unauthenticated: see vs-jvm.Dockerfile.
EXPOSE 8080 9000
ENV MMO_VS_MANAGEMENT_HOST=0.0.0.0
ENTRYPOINT ["/opt/mmo/vs/vs", "-Djava.library.path=/opt/mmo/vs/lib", "-Djava.io.tmpdir=/tmp"]
