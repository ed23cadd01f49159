package dev.mmo.vs.batch;

import static java.util.Objects.requireNonNull;

import dev.mmo.protocol.Rejection;
import dev.mmo.protocol.bytes.Hex;
import dev.mmo.protocol.crypto.EcdsaP256Signature;
import dev.mmo.protocol.wire.BatchHead;
import dev.mmo.protocol.wire.Codec;
import dev.mmo.vs.redis.LuaScript;
import dev.mmo.vs.redis.RedisKeys;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The batch-head chain tip in Redis ({@link RedisKeys#batchChainTip()}, no TTL: the batch signer
 * owns it and rebuilds it when it is gone). The typed wrapper of {@code lua/batch_chain_tip.lua}.
 *
 * <p>A tip read back is decoded strictly and its fields cross-checked; one that does not parse is
 * {@link TipState.Kind#DAMAGED}, and like a stale one it is only ever replaced by a rebuild, never
 * extended.
 */
@ApplicationScoped
public class ChainTips {
  private static final LuaScript SCRIPT = LuaScript.load("batch_chain_tip");

  private final ReactiveRedisDataSource redis;

  public ChainTips(ReactiveRedisDataSource redis) {
    this.redis = requireNonNull(redis, "redis");
  }

  /** The tip as it stands. */
  public Uni<TipState> read() {
    return run(List.of("read"));
  }

  /**
   * Sets the tip to {@code next} if it still is {@code seen} and was written by this Redis run.
   *
   * @return the state after the call: {@code next} when {@code seen} was current, else what is
   *     there
   */
  Uni<TipState> compareAndSet(ChainTip seen, ChainTip next) {
    List<String> args = new ArrayList<>(13);
    args.add("cas");
    args.add("1");
    args.add(Long.toString(seen.epoch()));
    args.add(Long.toString(seen.seq()));
    args.add(seen.head().isPresent() ? seen.hash().hex() : "");
    args.add("");
    addTip(args, next);
    return run(args);
  }

  /**
   * Replaces the tip that {@code seen} read, whatever its state, with {@code next}: the last step
   * of a rebuild.
   */
  Uni<TipState> replace(TipState seen, ChainTip next) {
    List<String> args = new ArrayList<>(13);
    args.add("replace");
    if (seen.raw().isEmpty()) {
      args.add("0");
      args.add("");
      args.add("");
      args.add("");
      args.add("");
    } else {
      TipState.Raw raw = seen.raw().get();
      args.add("1");
      args.add(raw.epoch());
      args.add(raw.seq());
      args.add(raw.hash());
      args.add(raw.run());
    }
    addTip(args, next);
    return run(args);
  }

  /** Whether {@code after}, the state a change returned, is exactly {@code wanted}. */
  static boolean holds(TipState after, ChainTip wanted) {
    return after.kind() == TipState.Kind.CURRENT && after.tip().orElseThrow().equals(wanted);
  }

  private static void addTip(List<String> args, ChainTip tip) {
    args.add(Long.toString(tip.epoch()));
    args.add(Long.toString(tip.seq()));
    args.add(tip.head().isPresent() ? tip.hash().hex() : "");
    args.add(tip.head().map(h -> Hex.encode(Codec.encodeBatchHead(h.head()))).orElse(""));
    args.add(tip.head().map(h -> h.signature().bytes().hex()).orElse(""));
    args.add(tip.durable() ? "1" : "0");
    args.add(tip.committed() ? "1" : "0");
  }

  private Uni<TipState> run(List<String> args) {
    return SCRIPT.run(redis, List.of(RedisKeys.batchChainTip()), args).map(ChainTips::parseReply);
  }

  private static TipState parseReply(Response reply) {
    if (reply.size() < 2) {
      throw new IllegalStateException("unexpected reply from batch_chain_tip: " + reply);
    }
    String state = reply.get(0).toString();
    if (state.equals("absent")) {
      return new TipState(TipState.Kind.ABSENT, Optional.empty(), Optional.empty(), "no tip");
    }
    if (reply.size() != 10) {
      throw new IllegalStateException("unexpected reply from batch_chain_tip: " + reply);
    }
    String[] f = new String[8];
    for (int i = 0; i < f.length; i++) {
      f[i] = reply.get(i + 2).toString();
    }
    TipState.Raw raw = new TipState.Raw(f[0], f[1], f[2], f[7]);
    if (state.equals("damaged")) {
      return new TipState(
          TipState.Kind.DAMAGED, Optional.of(raw), Optional.empty(), "the tip key is not a hash");
    }
    if (state.equals("stale")) {
      return new TipState(
          TipState.Kind.STALE,
          Optional.of(raw),
          Optional.empty(),
          "the tip was written by an earlier Redis run");
    }
    try {
      return new TipState(
          TipState.Kind.CURRENT,
          Optional.of(raw),
          Optional.of(parse(f[0], f[1], f[2], f[3], f[4], f[5], f[6])),
          "");
    } catch (IllegalStateException e) {
      return new TipState(
          TipState.Kind.DAMAGED, Optional.of(raw), Optional.empty(), e.getMessage());
    }
  }

  private static ChainTip parse(
      String epoch,
      String seq,
      String hash,
      String head,
      String signature,
      String durable,
      String committed) {
    long epochValue;
    try {
      epochValue = Long.parseLong(epoch);
    } catch (NumberFormatException e) {
      throw new IllegalStateException("the batch chain tip in Redis has no valid epoch");
    }
    if (epochValue < 1) {
      throw new IllegalStateException("the batch chain tip in Redis has epoch " + epoch);
    }
    boolean isDurable = flag(durable, "durable");
    boolean isCommitted = flag(committed, "committed");
    if (seq.equals("-1") && hash.isEmpty() && head.isEmpty() && signature.isEmpty()) {
      return new ChainTip(epochValue, Optional.empty(), isDurable, isCommitted);
    }
    SignedHead signed;
    try {
      BatchHead decoded = Codec.decodeBatchHead(Hex.decode(head));
      signed = new SignedHead(decoded, EcdsaP256Signature.of(Hex.decode(signature)));
    } catch (Rejection | IllegalArgumentException e) {
      throw new IllegalStateException("the batch chain tip in Redis does not decode");
    }
    if (!Long.toString(signed.seq()).equals(seq) || !signed.hash().hex().equals(hash)) {
      throw new IllegalStateException("the batch chain tip in Redis contradicts its own head");
    }
    return new ChainTip(epochValue, Optional.of(signed), isDurable, isCommitted);
  }

  private static boolean flag(String value, String name) {
    if (!value.equals("1") && !value.equals("0")) {
      throw new IllegalStateException("the batch chain tip in Redis has " + name + "=" + value);
    }
    return value.equals("1");
  }
}
