#!/usr/bin/env bash
# Builds the JMH uber-jar and runs the benchmarks; arguments go to JMH unchanged
# (bench/run.sh DecodeVerify, bench/run.sh -f 3, bench/run.sh -l). Ends with the ratio of the
# game server's decode+verify to raw BouncyCastle verify, computed from the JSON results.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

# The HSM benchmarks sign with the VS key on the project's SoftHSM token (made by
# infra/softhsm/init-token.sh); JMH's forked JVMs inherit these variables.
# shellcheck source=../infra/softhsm/env.sh
. infra/softhsm/env.sh

./mvnw -B -q -pl bench -am package -DskipTests -Dspotless.check.skip=true

result=bench/target/jmh-result.json
rm -f "$result"
java -jar bench/target/benchmarks.jar -rf json -rff "$result" "$@"

# -l, -h and friends run nothing and write no results.
if [[ ! -s "$result" ]]; then
  exit 0
fi

python3 - "$result" <<'PY'
import json
import sys

with open(sys.argv[1]) as f:
    runs = json.load(f)

scores = {}
secondary = {}
print()
print(f"{'benchmark':<46} {'ops/s':>12} {'± error':>10}")
for run in runs:
    name = run["benchmark"].removeprefix("dev.mmo.bench.")
    if run.get("params"):
        name += "(" + ",".join(f"{k}={v}" for k, v in run["params"].items()) + ")"
    metric = run["primaryMetric"]
    # JMH writes "NaN" as the error of a single measurement iteration.
    score, error = float(metric["score"]), float(metric["scoreError"])
    scores[name] = (score, error)
    secondary[name] = {
        k: (float(m["score"]), float(m["scoreError"]))
        for k, m in run.get("secondaryMetrics", {}).items()
    }
    print(f"{name:<46} {score:>12,.0f} {error:>10,.0f}")

subject = "DecodeVerifyBench.decodeVerify"
peers = [
    ("raw BC verify, bytes API", "Ed25519VerifyBench.rawBytes"),
    ("raw BC verify, PublicPoint", "Ed25519VerifyBench.rawPublicPoint"),
]
print()
print("decode+verify / peer (target >= 0.90; error: relative errors added)")
for label, peer in peers:
    if subject not in scores or peer not in scores:
        print(f"  vs {label:<28} n/a (not both run)")
        continue
    (s, se), (p, pe) = scores[subject], scores[peer]
    ratio = s / p
    error = ratio * (se / s + pe / p)
    verdict = "met" if ratio >= 0.9 else "NOT met"
    print(f"  vs {label:<28} {ratio:.3f} ± {error:.3f}  {verdict}")

# GS: verified inputs/s through the real input path on 2 threads vs raw verify/s on 2 threads.
pipe = scores.get("GsPipelineBench.pipeline")
raw2 = scores.get("GsPipelineBench.rawVerify")
if pipe and raw2:
    ratio = pipe[0] / raw2[0]
    error = ratio * (pipe[1] / pipe[0] + raw2[1] / raw2[0])
    verdict = "met" if ratio >= 0.9 else "NOT met"
    print()
    print("GS input pipeline on 2 threads / raw BC verify on 2 threads (target >= 0.90)")
    print(f"  pipeline {pipe[0]:,.0f}/s ({pipe[0] / 2:,.0f}/s per core), raw {raw2[0]:,.0f}/s: "
          f"{ratio:.3f} ± {error:.3f}  {verdict}")

# VS batch signing: statements/s through BatchSealer on the token, against raw token signs/s.
raw = scores.get("HsmSignBench.rawSign1Thread")
batches = sorted(
    (int(n.split("batchSize=")[1].rstrip(")")), n)
    for n in scores
    if n.startswith("BatchSealBench.seal(")
)
if raw or batches:
    print()
    print("VS batch signing on SoftHSM (target: HSM signatures per statement <= 1/100, moonshot 1/1000)")
    for threads in ("1Thread", "2Threads"):
        peer = scores.get(f"HsmSignBench.rawSign{threads}")
        if peer:
            print(f"  raw token signs/s, {threads:<8}      {peer[0]:>12,.0f} ± {peer[1]:,.0f}")
    for size, name in batches:
        stmts, stmts_err = secondary[name].get("statements", (float("nan"), float("nan")))
        sigs = secondary[name].get("hsmSignatures", (float("nan"), float("nan")))[0]
        line = (
            f"  batch of {size:<5} statements/s {stmts:>12,.0f} ± {stmts_err:,.0f}"
            f"  HSM signatures/statement {sigs / stmts:.4f}"
        )
        if raw:
            line += f"  x raw 1-thread signs/s {stmts / raw[0]:.2f}"
        print(line)
PY
