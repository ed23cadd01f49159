package dev.mmo.client;

import static java.util.Objects.requireNonNull;

import dev.mmo.protocol.crypto.Ed25519KeyPair;
import dev.mmo.protocol.trust.TrustAnchors;
import dev.mmo.protocol.trust.VsProofVerifier;
import dev.mmo.protocol.wire.GsId;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * A client of one game server, for one client key: {@link #connect()} opens a {@link Session} whose
 * game server has proven, with VS-signed statements, that it is blessed now.
 *
 * <pre>{@code
 * MmoClient client = MmoClient.builder()
 *     .trustAnchors(anchors)
 *     .clientKey(key)
 *     .gameServer(new GsId("gs-1"), URI.create("ws://127.0.0.1:7000/play"))
 *     .listener(listener)
 *     .build();
 * Session session = client.connect().get(10, TimeUnit.SECONDS);
 * }</pre>
 */
public final class MmoClient {
  /** W: the default largest wall-clock skew between the client and the VS (protocol.md 10.1). */
  public static final Duration DEFAULT_MAX_CLOCK_SKEW = Duration.ofMinutes(15);

  public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

  private static final ScheduledExecutorService SHARED_SCHEDULER =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "mmo-client-timer");
            t.setDaemon(true);
            return t;
          });

  private final VsProofVerifier proofs;
  private final HandshakeVerifier handshakeVerifier;
  private final Ed25519KeyPair clientKey;
  private final GsId gsId;
  private final URI gameServerUri;
  private final MmoListener listener;
  private final Clock wallClock;
  private final MonotonicClock monotonicClock;
  private final Duration handshakeTimeout;
  private final HttpClient httpClient;
  private final ScheduledExecutorService scheduler;

  private MmoClient(Builder b) {
    this.proofs = new VsProofVerifier(requireNonNull(b.trustAnchors, "trustAnchors"));
    this.handshakeVerifier =
        new HandshakeVerifier(
            proofs,
            b.maxClockSkew.toMillis(),
            b.vsTimeMemory != null ? b.vsTimeMemory : new VsTimeMemory());
    this.clientKey = requireNonNull(b.clientKey, "clientKey");
    this.gsId = requireNonNull(b.gsId, "gameServer");
    this.gameServerUri = requireNonNull(b.gameServerUri, "gameServer");
    this.listener = b.listener;
    this.wallClock = b.wallClock;
    this.monotonicClock = b.monotonicClock;
    this.handshakeTimeout = b.handshakeTimeout;
    this.httpClient = b.httpClient != null ? b.httpClient : HttpClient.newHttpClient();
    this.scheduler = b.scheduler != null ? b.scheduler : SHARED_SCHEDULER;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Connects and runs the handshake. Completes with the session once every check of protocol.md
   * 10.1 step 4 passed; fails with a {@link RefusedException} naming the reason otherwise.
   */
  public CompletableFuture<Session> connect() {
    return new Session(this).start();
  }

  VsProofVerifier proofs() {
    return proofs;
  }

  HandshakeVerifier handshakeVerifier() {
    return handshakeVerifier;
  }

  Ed25519KeyPair clientKey() {
    return clientKey;
  }

  GsId gsId() {
    return gsId;
  }

  URI gameServerUri() {
    return gameServerUri;
  }

  MmoListener listener() {
    return listener;
  }

  Clock wallClock() {
    return wallClock;
  }

  MonotonicClock monotonicClock() {
    return monotonicClock;
  }

  Duration handshakeTimeout() {
    return handshakeTimeout;
  }

  HttpClient httpClient() {
    return httpClient;
  }

  ScheduledExecutorService scheduler() {
    return scheduler;
  }

  /** Builds an {@link MmoClient}; trust anchors, client key and game server are required. */
  public static final class Builder {
    private TrustAnchors trustAnchors;
    private Ed25519KeyPair clientKey;
    private GsId gsId;
    private URI gameServerUri;
    private MmoListener listener = new MmoListener() {};
    private Clock wallClock = Clock.systemUTC();
    private MonotonicClock monotonicClock = MonotonicClock.SYSTEM;
    private Duration maxClockSkew = DEFAULT_MAX_CLOCK_SKEW;
    private Duration handshakeTimeout = DEFAULT_HANDSHAKE_TIMEOUT;
    private HttpClient httpClient;
    private ScheduledExecutorService scheduler;
    private VsTimeMemory vsTimeMemory;

    private Builder() {}

    /** The VS keys this client trusts; pinned out of band. */
    public Builder trustAnchors(TrustAnchors value) {
      this.trustAnchors = requireNonNull(value, "trustAnchors");
      return this;
    }

    /** The client's own key: it names the player and signs every input. */
    public Builder clientKey(Ed25519KeyPair value) {
      this.clientKey = requireNonNull(value, "clientKey");
      return this;
    }

    /** The game server to reach: its enrolled id and its {@code /play} address. */
    public Builder gameServer(GsId id, URI uri) {
      this.gsId = requireNonNull(id, "id");
      this.gameServerUri = requireNonNull(uri, "uri");
      return this;
    }

    public Builder listener(MmoListener value) {
      this.listener = requireNonNull(value, "listener");
      return this;
    }

    /** The wall clock, used only for the hello's time and the handshake's skew check. */
    public Builder wallClock(Clock value) {
      this.wallClock = requireNonNull(value, "wallClock");
      return this;
    }

    /** The monotonic clock on which ticket freshness is judged. */
    public Builder monotonicClock(MonotonicClock value) {
      this.monotonicClock = requireNonNull(value, "monotonicClock");
      return this;
    }

    /** W, the largest skew allowed between the newest ticket and the wall clock at handshake. */
    public Builder maxClockSkew(Duration value) {
      if (value.isNegative()) {
        throw new IllegalArgumentException("negative skew");
      }
      this.maxClockSkew = value;
      return this;
    }

    public Builder handshakeTimeout(Duration value) {
      if (value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException("handshake timeout must be positive");
      }
      this.handshakeTimeout = value;
      return this;
    }

    /** An HTTP client to share between many clients (bots); by default each has its own. */
    public Builder httpClient(HttpClient value) {
      this.httpClient = requireNonNull(value, "httpClient");
      return this;
    }

    /** Where timers run (handshake timeout, starvation watchdog); by default one shared thread. */
    public Builder scheduler(ScheduledExecutorService value) {
      this.scheduler = requireNonNull(value, "scheduler");
      return this;
    }

    /**
     * Where VS time learned from tickets is kept between sessions; share one between the clients of
     * one process that pin the same trust anchors (by default each client has its own).
     */
    public Builder vsTimeMemory(VsTimeMemory value) {
      this.vsTimeMemory = requireNonNull(value, "vsTimeMemory");
      return this;
    }

    public MmoClient build() {
      return new MmoClient(this);
    }
  }
}
