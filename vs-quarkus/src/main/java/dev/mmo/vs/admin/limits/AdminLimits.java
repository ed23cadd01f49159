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
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
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
import org.eclipse.microprofile.config.ConfigProvider;

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
 * verifications also share one budget of body bytes, charged as declared before the body is read.
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
  private final long maxBodyBytes;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final Map<Why, Counter> limited = new EnumMap<>(Why.class);
  private final Map<Why, byte[]> bodies = new EnumMap<>(Why.class);

  public AdminLimits(AdminConfig config, MeterRegistry meters) {
    this.config = config.limits();
    this.maxBodyBytes =
        ConfigProvider.getConfig()
            .getOptionalValue("quarkus.http.limits.max-body-size", MemorySize.class)
            .map(MemorySize::asLongValue)
            .orElse((long) this.config.verifyBytesBurst());
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
    if (wait == 0 && isVerification(ctx.request())) {
      why = Why.VERIFICATIONS;
      wait = verifyBytes.take(ALL, now, declaredBodyBytes(ctx.request()));
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

  /** A receipt verification: its body is charged to the verifications' share before it is read. */
  private static boolean isVerification(HttpServerRequest request) {
    return request.method() == HttpMethod.POST && request.path().endsWith("/receipts/verify");
  }

  /**
   * The body's size as the request declares it; without a Content-Length (chunked), the largest a
   * body may be. At least 1, at most the verifications' burst.
   */
  private int declaredBodyBytes(HttpServerRequest request) {
    long declared = maxBodyBytes;
    String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    if (length != null) {
      try {
        declared = Long.parseLong(length.trim());
      } catch (NumberFormatException e) {
        declared = maxBodyBytes;
      }
    }
    return (int) Math.max(1, Math.min(declared, config.verifyBytesBurst()));
  }

  private static long seconds(long nanos) {
    return Math.max(
        1, TimeUnit.NANOSECONDS.toSeconds(Math.min(nanos, 3_600_000_000_000L) + 999_999_999L));
  }

  /**
   * Answers 429. A request with a body is answered before its body is read, and its connection
   * closed after the answer: the VS never reads what it refused.
   */
  private void refuse(RoutingContext ctx, Why why, long waitNanos) {
    limited.get(why).increment();
    HttpServerRequest request = ctx.request();
    String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    boolean body =
        request.headers().contains(HttpHeaders.TRANSFER_ENCODING)
            || (length != null && !length.trim().equals("0"));
    HttpServerResponse response =
        ctx.response()
            .setStatusCode(ProblemCode.TOO_MANY_REQUESTS.status())
            .putHeader(HttpHeaders.RETRY_AFTER, Long.toString(seconds(waitNanos)))
            .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE);
    if (body) {
      response.putHeader(HttpHeaders.CONNECTION, "close");
    }
    response
        .end(Buffer.buffer(bodies.get(why)))
        .onComplete(
            done -> {
              if (body) {
                request.connection().close();
              }
            });
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
