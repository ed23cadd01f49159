package dev.mmo.vs.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;

/** Every {@code mmo.vs.*} setting of the validation server, typed and validated at start-up. */
@ConfigMapping(prefix = "mmo.vs")
public interface VsConfig {
  Hsm hsm();

  Batch batch();

  Session session();

  Attest attest();

  Join join();

  Rules rules();

  Gs gs();

  Http http();

  Liveness liveness();

  Admission admission();

  /** The PKCS#11 token that holds the VS root key. */
  interface Hsm {
    /** The SunPKCS11 configuration file (infra/softhsm/work/sunpkcs11.cfg in dev). */
    Path config();

    /** The token's user PIN; from the environment, never from git. */
    String pin();

    /** The alias of the VS key (and its certificate) on the token. */
    @WithDefault("mmo-vs-1")
    String keyAlias();

    /** Worker threads that talk to the HSM; never an event loop. */
    @WithDefault("2")
    int signThreads();

    /** How often readiness probes the token when it is idle. */
    @WithDefault("5s")
    Duration probeInterval();
  }

  /** Batch signing (docs/protocol.md section 6). */
  interface Batch {
    /** How long statements gather before one HSM signature covers them. */
    @WithDefault("50ms")
    Duration window();

    /** The most statements one batch holds; a full batch is signed at once. */
    @WithDefault("2048")
    int maxSize();

    /** The most statements waiting for a batch; beyond it signing fails fast (backpressure). */
    @WithDefault("8192")
    int queueCapacity();
  }

  /** The cadence every session is pinned to by its JoinAccept. */
  interface Session {
    @WithDefault("1s")
    Duration heartbeatInterval();

    @WithDefault("2s")
    Duration ticketInterval();

    /** not_after - not_before of every ticket; longer than the ticket interval. */
    @WithDefault("5s")
    Duration ticketLifetime();

    /** How long a session's Redis state lives without activity before it expires. */
    @WithDefault("10m")
    Duration stateTtl();
  }

  /** Heartbeats and transcript digests (docs/protocol.md section 9). */
  interface Attest {
    /**
     * A session whose game server sent no heartbeat or digest for this long is revoked with
     * MISSED_HEARTBEATS, whether or not it is connected. Longer than the heartbeat interval,
     * shorter than the state TTL.
     */
    @WithDefault("10s")
    Duration maxSilence();

    /** How often every replica looks for silent sessions. */
    @WithDefault("1s")
    Duration silenceSweepInterval();

    /**
     * The session clock of the digest time check (docs/protocol.md section 9.2, step 5b): how far
     * ahead of the real time since its JoinAccept a game server's tick may ever be.
     */
    @WithDefault("500ms")
    Duration tickClockTolerance();

    /**
     * The session clock's allowance for a game server clock that runs fast (step 5b), in parts per
     * million of the session's age: clocks that no time service corrects drift by tens of ppm.
     */
    @WithDefault("1000")
    int tickClockDriftPpm();

    /**
     * The catch-up bound of the digest time check (step 5c): how much more simulated time than
     * really passed between two notarized digests a game server that fell behind may claim. It must
     * also cover how late this replica may read a digest when it is busy, or it revokes honest
     * sessions for its own lag.
     */
    @WithDefault("2s")
    Duration tickCatchUp();

    /** The most players one session may have notarized positions for. */
    @WithDefault("4096")
    int maxTrackedPlayers();

    /** Heartbeats and digests one connection may have waiting for their checks. */
    @WithDefault("32")
    int maxPendingFrames();
  }

  /** Admission of game servers (docs/protocol.md section 8). */
  interface Join {
    /** The largest |gs_time_ms - VS time| a JoinRequest or ResumeRequest may show. */
    @WithDefault("30s")
    Duration maxClockSkew();

    /** Signed joins one game server may attempt per minute. */
    @WithDefault("30")
    int maxJoinsPerMinute();

    /** How long refused joins stay in {@code join_rejections}. */
    @WithDefault("30d")
    Duration rejectionRetention();

    /** How often older refused joins are deleted. */
    @WithDefault("1h")
    Duration rejectionPurgeInterval();
  }

  /** Limits of the game servers' endpoint /gs. */
  interface Gs {
    /** An upgraded connection must send a JoinRequest or ResumeRequest within this time. */
    @WithDefault("10s")
    Duration bindTimeout();

    /** Frames a connection may send per second, sustained. */
    @WithDefault("20")
    int maxFramesPerSecond();

    /** Frames a connection may send at once. */
    @WithDefault("40")
    int frameBurst();

    /**
     * A bound connection from which nothing (not even a pong to the server's pings, see {@code
     * quarkus.websockets-next.server.auto-ping-interval}) arrived for this long is closed, so a
     * half-open connection stops advancing its session's chain.
     */
    @WithDefault("4s")
    Duration silenceTimeout();

    /** New connections one source address (IPv4, or IPv6 /64) may open per minute, sustained. */
    @WithDefault("120")
    int sourceConnectionsPerMinute();

    /** New connections one source address may open at once. */
    @WithDefault("30")
    int sourceConnectionBurst();

    /** New connections per second from all sources together, sustained. */
    @WithDefault("200")
    int connectionsPerSecond();

    /** New connections from all sources together at once. */
    @WithDefault("400")
    int connectionBurst();

    /** How many source addresses the per-source limit remembers (least recently seen go first). */
    @WithDefault("65536")
    int maxTrackedSources();

    /** Joins and resumes being checked at once; more are refused with RATE_LIMITED. */
    @WithDefault("64")
    int maxBindsInFlight();

    /**
     * How often every REVOKED game server of PostgreSQL is pushed into Redis as a revocation
     * marker, repairing a marker write that failed or a Redis that lost it.
     */
    @WithDefault("30s")
    Duration revocationSyncInterval();
  }

  /**
   * The budgets of every connection to the VS's HTTP ports (the main port: game servers and the
   * admin API; the management port: probes and metrics), counted from the TCP accept
   * (docs/protocol.md section 1.1, vs-quarkus/README.md "Connection budgets").
   */
  interface Http {
    /**
     * A connection's first request must have completed its head this soon after the accept, and an
     * upgrade to WebSocket must have been answered by then, else 408 and the connection is closed.
     */
    @WithDefault("5s")
    Duration upgradeTimeout();

    /**
     * Every plain HTTP request must be answered this soon after its first byte arrived (the first:
     * after the accept), however slowly its head and body come, else 408 and the connection is
     * closed.
     */
    @WithDefault("30s")
    Duration requestTimeout();

    /**
     * Connections one source address (IPv4, or IPv6 /64) may hold open at once on the main port
     * (game servers and admin clients together); more are closed at the accept.
     */
    @WithDefault("1024")
    int maxConnectionsPerSource();

    /**
     * Connections the main port holds open at once, from all sources; more are closed at the
     * accept. Lowered at start-up to what the process's descriptor limit leaves after {@link
     * #reservedDescriptors()} and the management port's {@link #managementMaxConnections()}.
     */
    @WithDefault("10000")
    int maxConnections();

    /**
     * File descriptors no client connection may take: the HSM, Redis, PostgreSQL, the broker, the
     * JVM's own files and the listening sockets always get theirs.
     */
    @WithDefault("1024")
    int reservedDescriptors();

    /** Connections the management port holds open at once (probes and metrics scrapes). */
    @WithDefault("64")
    int managementMaxConnections();

    /** Connections one source address may hold open at once on the management port. */
    @WithDefault("16")
    int managementMaxConnectionsPerSource();
  }

  /** When the replica counts as not live (so the orchestrator restarts it). */
  interface Liveness {
    /** An event loop that has run nothing for this long is stuck: liveness goes DOWN. */
    @WithDefault("30s")
    Duration maxEventLoopStall();
  }

  /**
   * When this replica stops taking new sessions because it is behind with the ones it carries
   * ({@link dev.mmo.vs.admission.Admission}): each limit applies to one window of one second.
   */
  interface Admission {
    /** Heartbeats and digests waiting on their connection before their check begins, p99. */
    @WithDefault("250ms")
    Duration maxFrameWait();

    /** How late an event loop may run a task due every 100 ms. */
    @WithDefault("500ms")
    Duration maxEventLoopLag();

    /** Digest received to receipt released, p99 (the batch window and the broker included). */
    @WithDefault("750ms")
    Duration maxReceiptLatency();

    /** Calm windows in a row after which joins are admitted again. */
    @WithDefault("3")
    int reopenAfter();

    /** Joins that go on to their checks per second while admission is open (also the burst). */
    @WithDefault("50")
    int maxJoinsPerSecond();

    /**
     * How long heartbeats and digests may wait over {@link #maxFrameWait} (p99, every window),
     * without their wait falling, before the replica sheds sessions; 0 never sheds.
     */
    @WithDefault("5s")
    Duration shedAfter();

    /** While it sheds: the share of its sessions closed per window, in percent (at least one). */
    @WithDefault("5")
    int shedPercent();
  }

  /** The physics every session is pinned to (docs/protocol.md section 4, rules). */
  interface Rules {
    @WithDefault("20")
    int tickRateHz();

    /** World units (1/1000 m) per second. */
    @WithDefault("5000")
    int maxSpeed();

    @WithDefault("-100000")
    int minX();

    @WithDefault("-100000")
    int minY();

    @WithDefault("100000")
    int maxX();

    @WithDefault("100000")
    int maxY();
  }
}
