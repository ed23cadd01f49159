package dev.mmo.vs.admin.limits;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mmo.protocol.crypto.Sha256;
import dev.mmo.transport.Sources;
import dev.mmo.vs.admin.AdminConfig;
import dev.mmo.vs.admin.problem.Problem;
import dev.mmo.vs.admin.problem.ProblemCode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The admin API's share of the VS, taken before anything else of a request is looked at (its token,
 * its body): requests per source address and per bearer token, refused tokens per source, and
 * requests in progress from everyone ({@link AdminConfig.Limits}). Beyond any of them the answer is
 * {@code 429 TOO_MANY_REQUESTS} with {@code Retry-After}, so that no amount of admin or bad-token
 * traffic takes the event loops from tickets, receipts and joins.
 *
 * <p>A token is counted by a hash of its text, before it is verified: a flood of made-up tokens is
 * held back by its source's limits, a refused token (401) also spends its source's bad-token
 * budget, which a source must have left to be heard at all, and tokens not seen before in a request
 * that passed authentication share one budget for everyone, so that made-up tokens from many
 * addresses cost a bounded number of signature checks while known tokens go on. Receipt
 * verifications also share one budget of body bytes ({@link #chargeVerification}).
 */
@ApplicationScoped
public class AdminLimits {
  /** Before the body is read and before authentication. */
  private static final int ORDER = Integer.MIN_VALUE;

  enum Why {
    SOURCE,
    TOKEN,
    BAD_TOKENS,
    NEW_TOKENS,
    IN_FLIGHT,
    VERIFICATIONS
  }

  /** The one key of the limits that count everyone together. */
  private static final String ALL = "all";

  private final AdminConfig.Limits config;
  private final Buckets perSource;
  private final Buckets perToken;
  private final Buckets badTokens;
  private final Buckets newTokens;
  private final Buckets verifyBytes;
  private final KnownTokens knownTokens;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final Map<Why, Counter> limited = new EnumMap<>(Why.class);
  private final Map<Why, byte[]> bodies = new EnumMap<>(Why.class);

  public AdminLimits(AdminConfig config, MeterRegistry meters) {
    this.config = config.limits();
    int tracked = this.config.maxTracked();
    this.perSource =
        new Buckets(this.config.perSourcePerSecond(), this.config.perSourceBurst(), tracked);
    this.perToken =
        new Buckets(this.config.perTokenPerSecond(), this.config.perTokenBurst(), tracked);
    this.badTokens =
        new Buckets(this.config.badTokensPerSecond(), this.config.badTokenBurst(), tracked);
    this.newTokens = new Buckets(this.config.newTokensPerSecond(), this.config.newTokenBurst(), 1);
    this.verifyBytes =
        new Buckets(this.config.verifyBytesPerSecond(), this.config.verifyBytesBurst(), 1);
    this.knownTokens = new KnownTokens(tracked);
    ObjectMapper json = new ObjectMapper();
    for (Why why : Why.values()) {
      limited.put(
          why,
          Counter.builder("mmo.vs.admin.limited")
              .description("admin requests answered 429, by the limit they were over")
              .tag("why", why.name().toLowerCase(Locale.ROOT).replace('_', '-'))
              .register(meters));
      bodies.put(why, body(json, why));
    }
    meters.gauge("mmo.vs.admin.in.flight", inFlight);
  }

  void install(@Observes Router router) {
    router.route("/api/*").order(ORDER).handler(this::admit);
  }

  /** Admin requests in progress now. */
  int inFlight() {
    return inFlight.get();
  }

  private void admit(RoutingContext ctx) {
    long now = System.nanoTime();
    String source = source(ctx.request().remoteAddress());
    Why why = Why.BAD_TOKENS;
    long wait = badTokens.waitFor(source, now);
    if (wait == 0) {
      why = Why.SOURCE;
      wait = perSource.take(source, now);
    }
    String authorization = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
    String token = authorization == null ? null : tokenKey(authorization);
    if (wait == 0 && token != null) {
      why = Why.TOKEN;
      wait = perToken.take(token, now);
      if (wait == 0 && !knownTokens.contains(token)) {
        why = Why.NEW_TOKENS;
        wait = newTokens.take(ALL, now);
      }
    }
    if (wait == 0 && inFlight.incrementAndGet() > config.maxInFlight()) {
      inFlight.decrementAndGet();
      why = Why.IN_FLIGHT;
      wait = TimeUnit.SECONDS.toNanos(1);
    }
    if (wait > 0) {
      refuse(ctx, why, wait);
      return;
    }
    ctx.addEndHandler(
        done -> {
          inFlight.decrementAndGet();
          if (ctx.response().getStatusCode() == 401) {
            badTokens.take(source, System.nanoTime());
            if (token != null) {
              knownTokens.forget(token);
            }
          } else if (token != null) {
            knownTokens.add(token);
          }
        });
    ctx.next();
  }

  /**
   * Charges a receipt verification of {@code bodyBytes} to the verifications' share of the VS.
   *
   * @throws AdminBusyException when the share is spent: retry after the time it names
   */
  public void chargeVerification(int bodyBytes) {
    long wait = verifyBytes.take(ALL, System.nanoTime(), Math.max(1, bodyBytes));
    if (wait > 0) {
      limited.get(Why.VERIFICATIONS).increment();
      throw new AdminBusyException(
          "receipt verifications have used their share of the VS; retry later", seconds(wait));
    }
  }

  private static long seconds(long nanos) {
    return Math.max(
        1, TimeUnit.NANOSECONDS.toSeconds(Math.min(nanos, 3_600_000_000_000L) + 999_999_999L));
  }

  private void refuse(RoutingContext ctx, Why why, long waitNanos) {
    limited.get(why).increment();
    long seconds = seconds(waitNanos);
    ctx.response()
        .setStatusCode(ProblemCode.TOO_MANY_REQUESTS.status())
        .putHeader(HttpHeaders.RETRY_AFTER, Long.toString(seconds))
        .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
        .end(io.vertx.core.buffer.Buffer.buffer(bodies.get(why)));
  }

  private static String source(SocketAddress peer) {
    return peer == null ? "unknown" : Sources.of(peer.hostAddress() + ":" + peer.port());
  }

  /** A token's key: a hash of its text, so that no token is kept in memory. */
  private static String tokenKey(String authorization) {
    byte[] hash = Sha256.digest(authorization.getBytes(StandardCharsets.UTF_8));
    return HexFormat.of().formatHex(hash, 0, 16);
  }

  private static byte[] body(ObjectMapper json, Why why) {
    String detail =
        switch (why) {
          case SOURCE -> "too many admin requests from this address";
          case TOKEN -> "too many admin requests with this token";
          case BAD_TOKENS -> "too many refused tokens from this address";
          case NEW_TOKENS -> "too many tokens not seen before are being checked; retry later";
          case VERIFICATIONS -> "receipt verifications have used their share of the VS";
          case IN_FLIGHT -> "the VS is answering as many admin requests as it takes at once";
        };
    try {
      return json.writeValueAsBytes(Problem.of(ProblemCode.TOO_MANY_REQUESTS, detail));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
