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
 * owns it and rebuilds it from PostgreSQL when it is gone). The typed wrapper of {@code
 * lua/batch_chain_cas.lua}.
 *
 * <p>A tip read back from Redis is decoded strictly and its fields cross-checked; a tip that does
 * not parse fails the operation, so a damaged key stops signing instead of forking the chain.
 */
@ApplicationScoped
public class ChainTips {
  private static final LuaScript COMPARE_AND_SET = LuaScript.load("batch_chain_cas");
  private static final String SEQ = "seq";
  private static final String HASH = "hash";
  private static final String HEAD = "head";
  private static final String SIGNATURE = "sig";
  private static final String DURABLE = "durable";

  private final ReactiveRedisDataSource redis;

  public ChainTips(ReactiveRedisDataSource redis) {
    this.redis = requireNonNull(redis, "redis");
  }

  /**
   * The tip as it stands; empty when there is none (a new chain, or Redis lost it). One command,
   * atomic by itself: only changes need the script.
   */
  public Uni<Optional<ChainTip>> current() {
    return redis
        .hash(String.class)
        .hgetall(RedisKeys.batchChainTip())
        .map(
            fields ->
                fields.isEmpty()
                    ? Optional.empty()
                    : Optional.of(
                        parse(
                            fields.get(SEQ),
                            fields.get(HASH),
                            fields.get(HEAD),
                            fields.get(SIGNATURE),
                            fields.get(DURABLE))));
  }

  /**
   * Sets the tip to {@code next} if it still is {@code seen} (empty: if there is no tip).
   *
   * @return the tip after the call: {@code next} when {@code seen} was current, else the tip there
   *     is (empty when none)
   */
  public Uni<Optional<ChainTip>> compareAndSet(Optional<ChainTip> seen, ChainTip next) {
    List<String> args = new ArrayList<>(7);
    args.add(seen.map(t -> Long.toString(t.seq())).orElse("-1"));
    args.add(seen.map(t -> t.hash().hex()).orElse(""));
    args.add(Long.toString(next.seq()));
    args.add(next.hash().hex());
    args.add(Hex.encode(Codec.encodeBatchHead(next.head().head())));
    args.add(next.head().signature().bytes().hex());
    args.add(next.durable() ? "1" : "0");
    return COMPARE_AND_SET
        .run(redis, List.of(RedisKeys.batchChainTip()), args)
        .map(ChainTips::parseReply);
  }

  private static Optional<ChainTip> parseReply(Response reply) {
    if (reply.size() == 0) {
      return Optional.empty();
    }
    if (reply.size() != 5) {
      throw new IllegalStateException("unexpected reply from batch_chain_cas: " + reply);
    }
    String[] f = new String[5];
    for (int i = 0; i < f.length; i++) {
      Response field = reply.get(i);
      f[i] = field == null ? null : field.toString();
    }
    return Optional.of(parse(f[0], f[1], f[2], f[3], f[4]));
  }

  private static ChainTip parse(
      String seq, String hash, String head, String signature, String durable) {
    if (seq == null || hash == null || head == null || signature == null || durable == null) {
      throw new IllegalStateException("the batch chain tip in Redis lacks fields");
    }
    SignedHead signed;
    try {
      BatchHead decoded = Codec.decodeBatchHead(Hex.decode(head));
      signed = new SignedHead(decoded, EcdsaP256Signature.of(Hex.decode(signature)));
    } catch (Rejection | IllegalArgumentException e) {
      throw new IllegalStateException("the batch chain tip in Redis does not decode", e);
    }
    if (!Long.toString(signed.seq()).equals(seq) || !signed.hash().hex().equals(hash)) {
      throw new IllegalStateException("the batch chain tip in Redis contradicts its own head");
    }
    if (!durable.equals("1") && !durable.equals("0")) {
      throw new IllegalStateException("the batch chain tip in Redis has durable=" + durable);
    }
    return new ChainTip(signed, durable.equals("1"));
  }
}
