# The game server, JVM mode. Build context: the repository root, after
#   ./mvnw -B -pl gs-vertx -am package -DskipTests
#   docker build -f deploy/container/gs.Dockerfile -t mmo-gs:0.1.0 .
FROM eclipse-temurin:17-jre-noble

RUN groupadd --system --gid 10001 mmo && \
    useradd --system --uid 10001 --gid mmo --home-dir /nonexistent --no-create-home \
      --shell /usr/sbin/nologin mmo

WORKDIR /opt/mmo/gs
COPY gs-vertx/target/gs-vertx.jar gs-vertx.jar

USER 10001:10001
# 7000: clients (/play). 7001: /health and /metrics only.
EXPOSE 7000 7001
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError -Djava.io.tmpdir=/tmp"
ENTRYPOINT ["java", "-jar", "/opt/mmo/gs/gs-vertx.jar", "run"]
