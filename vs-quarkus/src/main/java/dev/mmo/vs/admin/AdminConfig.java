package dev.mmo.vs.admin;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Every {@code mmo.admin.*} setting of the admin API. */
@ConfigMapping(prefix = "mmo.admin")
public interface AdminConfig {
  /** Items in a page when the caller names no {@code limit}. */
  @WithDefault("50")
  int defaultPageSize();

  /** The largest {@code limit} a caller may ask for. */
  @WithDefault("200")
  int maxPageSize();

  /**
   * The largest {@code offset} a caller may ask for. PostgreSQL reads and drops every row before a
   * page, so a page costs as much as its offset; deeper into a list, narrow it with filters.
   */
  @WithDefault("10000")
  int maxOffset();

  /**
   * Software hashes one game server may have on its allow-list: the join path loads the whole list
   * at every join.
   */
  @WithDefault("256")
  int maxSoftwarePerGameServer();

  /**
   * The most receipt tips, or transcript inputs, one verification request may carry. Each costs a
   * lookup or two hashes, and the body must also fit quarkus.http.limits.max-body-size.
   */
  @WithDefault("10000")
  int maxVerifyItems();

  /**
   * The most receipts a transcript verification compares: the whole session's receipts are read and
   * answered in one response. A longer session is refused rather than checked in part.
   */
  @WithDefault("100000")
  int maxVerifiedReceipts();

  /**
   * How much of the VS the admin API may take, so that no amount of admin or bad-token traffic
   * delays tickets, receipts or joins (vs-quarkus/README.md, "Admin load").
   */
  Limits limits();

  interface Limits {
    /** Admin requests one source address (IPv4, or IPv6 /64) may make per second, sustained. */
    @WithDefault("20")
    int perSourcePerSecond();

    /** Admin requests one source may make at once. */
    @WithDefault("40")
    int perSourceBurst();

    /** Admin requests one bearer token may make per second, sustained. */
    @WithDefault("10")
    int perTokenPerSecond();

    /** Admin requests one bearer token may make at once. */
    @WithDefault("20")
    int perTokenBurst();

    /**
     * Refused tokens (401) one source may present per second, sustained; beyond, its requests are
     * answered 429 before any token is read.
     */
    @WithDefault("2")
    int badTokensPerSecond();

    /** Refused tokens one source may present at once. */
    @WithDefault("10")
    int badTokenBurst();

    /**
     * Tokens not seen in a request that passed authentication before, checked per second from
     * everyone together: a flood of made-up tokens from many addresses costs at most this many
     * signature checks a second. Known tokens are not held back by it.
     */
    @WithDefault("50")
    int newTokensPerSecond();

    /** Tokens not seen before that may be checked at once. */
    @WithDefault("100")
    int newTokenBurst();

    /**
     * Bytes of receipt verifications taken per second from everyone together (each body is counted
     * whole before it is parsed): about two of the largest a second, some 80 ms of CPU.
     */
    @WithDefault("4000000")
    int verifyBytesPerSecond();

    /** Bytes of receipt verifications taken at once. */
    @WithDefault("8000000")
    int verifyBytesBurst();

    /** Admin requests in progress at once, from everyone; more are answered 429. */
    @WithDefault("8")
    int maxInFlight();

    /** Sources and tokens the limits remember (the least recently seen go first). */
    @WithDefault("16384")
    int maxTracked();

    /**
     * Verifications the admin worker thread may hold waiting while it checks another; more are
     * answered 429. The check runs on that one thread, never on an event loop.
     */
    @WithDefault("4")
    int maxQueuedChecks();
  }
}
