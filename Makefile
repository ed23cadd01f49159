# mmo: the entry points. `make test` and `make demo` do all the set-up themselves.
SHELL := /bin/bash
MVN := ./mvnw -B
# Long fuzzing runs: `make fuzz FUZZ_DURATION=30m` fuzzes every target that long.
FUZZ_DURATION ?= 5m

.PHONY: test demo bench load kick-times fuzz setup vectors fmt clean help native-sources manifests

help:
	@echo "make test    set up Redis, PostgreSQL, RabbitMQ and SoftHSM, then build and run every test"
	@echo "             (with the Kubernetes manifest checks and the VS native sources)"
	@echo "make demo    run the whole system, then a rogue host caught (Ctrl-C stops it)"
	@echo "make bench   JMH benchmarks; results in docs/benchmarks.md"
	@echo "make load    the VS under simulated game servers (SESSIONS=600 LOAD_SECONDS=30 REVOKES=50)"
	@echo "make kick-times  revoke -> clients out on real VS, GS and client processes (ROUNDS=20)"
	@echo "make fuzz    fuzz every decoder for FUZZ_DURATION each (default $(FUZZ_DURATION))"
	@echo "make setup   only the service and HSM set-up (infra/setup.sh)"
	@echo "make vectors regenerate the golden vectors and fuzz seeds"
	@echo "make fmt     format the Java sources (google-java-format)"
	@echo "make manifests       render and check every Kustomize overlay under k8s/ (docs/deploy.md)"
	@echo "make native-sources  the VS native-image sources, for a native build elsewhere (docs/deploy.md)"

setup:
	infra/setup.sh

test: setup
	source infra/softhsm/env.sh && $(MVN) verify
	$(MAKE) native-sources

# The VS's native-image sources (vs-quarkus/target/native-sources/): every Quarkus native build
# step runs here; the executable itself is compiled elsewhere (deploy/container/vs-native.Dockerfile).
native-sources:
	$(MVN) -q -pl vs-quarkus -am package -DskipTests \
	  -Dquarkus.native.enabled=true -Dquarkus.native.sources-only=true
	deploy/check-native-sources.sh

# Renders k8s/base and every overlay with the pinned kubectl and checks them (the deploy module).
manifests:
	$(MVN) -pl deploy verify

# The whole system, then a rogue host caught (demo/run.sh). DEMO_CLIENTS bots per game server.
demo:
	demo/run.sh

bench:
	bench/run.sh

# The VS under load: heartbeat -> receipt and revoke -> Revoke latency (docs/benchmarks.md).
SESSIONS ?= 600
LOAD_SECONDS ?= 30
REVOKES ?= 50
load: setup
	bench/vs-load.sh $(SESSIONS) $(LOAD_SECONDS) $(REVOKES)

# Revoke -> last client out and the hidden-revoke kick time, over ROUNDS game servers (docs/benchmarks.md).
ROUNDS ?= 20
kick-times: setup
	bench/kick-times.sh $(ROUNDS)

fuzz:
	$(MVN) -pl protocol -am verify -Dfuzz.duration=$(FUZZ_DURATION)

vectors:
	$(MVN) -q -pl protocol -am test-compile
	$(MVN) -q -pl protocol org.codehaus.mojo:exec-maven-plugin:java \
	  -Dexec.mainClass=dev.mmo.protocol.vectors.VectorGenerator -Dexec.classpathScope=test \
	  -Dexec.args=$(CURDIR)/protocol/src/test/resources

fmt:
	$(MVN) -q spotless:apply

clean:
	$(MVN) -q clean
