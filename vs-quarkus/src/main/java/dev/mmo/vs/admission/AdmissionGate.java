package dev.mmo.vs.admission;

import java.util.Optional;

/**
 * The decision of {@link Admission}, one closed window at a time: closed as soon as one window
 * shows the replica behind, open again after {@code calmWindowsToReopen} windows in a row that do
 * not. Reopened, it admits joins slowly at first: a tenth of the largest join rate, one tenth more
 * with every calm window after, because the sessions admitted in one window load the replica only
 * from the next one on.
 *
 * <p>Closing admission does not lighten the sessions already carried. When heartbeats and digests
 * have waited over their limit for {@code shedAfter} windows in a row and the last window's wait is
 * not shorter than the one before (the backlog is not draining), the gate sheds: {@link #shedNow}
 * says to close a share of the sessions, and resumes are refused until admission reopens, so the
 * shed game servers resume on another replica, or go silent and are revoked, rather than every
 * session here falling behind without end. Not thread-safe: one thread closes the windows.
 */
final class AdmissionGate {
  /**
   * The limits of one window (a figure above its limit means the replica is behind), and when to
   * shed: after {@code shedAfter} windows of frames behind ({@code 0} never sheds), {@code
   * shedPercent} of the sessions a window.
   */
  record Limits(
      long maxFrameWaitMs,
      long maxEventLoopLagMs,
      long maxReceiptMs,
      int calmToReopen,
      int maxJoinsPerSecond,
      int shedAfter,
      int shedPercent) {
    Limits {
      if (maxFrameWaitMs <= 0 || maxEventLoopLagMs <= 0 || maxReceiptMs <= 0) {
        throw new IllegalArgumentException("admission limits must be positive");
      }
      if (calmToReopen < 1) {
        throw new IllegalArgumentException("reopen-after must be at least one window");
      }
      if (maxJoinsPerSecond < 1) {
        throw new IllegalArgumentException("max-joins-per-second must be at least 1");
      }
      if (shedAfter < 0) {
        throw new IllegalArgumentException("shed-after must not be negative");
      }
      if (shedAfter > 0 && (shedPercent < 1 || shedPercent > 100)) {
        throw new IllegalArgumentException("shed-percent must be within 1..100");
      }
    }
  }

  /** One closed window: frames' wait before their check, event-loop lag, digest to receipt. */
  record Window(
      LatencyWindow.Summary frameWait,
      LatencyWindow.Summary eventLoopLag,
      LatencyWindow.Summary receipts) {}

  private final Limits limits;
  private final int rampStep;
  private String closedBecause;
  private int calm;
  private int joinsPerSecond;

  /** Windows in a row in which frames waited over their limit. */
  private int framesBehind;

  /** The previous window's frame wait, p99. */
  private long lastFrameWaitMs;

  /** Whether this window's decision is to shed. */
  private boolean shedNow;

  /** Shedding began and admission has not reopened since: resumes are refused. */
  private boolean shedding;

  AdmissionGate(Limits limits) {
    this.limits = limits;
    this.rampStep = Math.max(1, limits.maxJoinsPerSecond() / 10);
    // A replica that never was behind carries nothing yet: it admits at the full rate.
    this.joinsPerSecond = limits.maxJoinsPerSecond();
  }

  /** Takes in a closed window and says whether joins are admitted now. */
  boolean windowClosed(Window w) {
    judgeBacklog(w);
    String behind = behind(w);
    if (behind != null) {
      closedBecause = behind;
      calm = 0;
      joinsPerSecond = 0;
    } else if (closedBecause != null) {
      if (++calm >= limits.calmToReopen()) {
        closedBecause = null;
        calm = 0;
        joinsPerSecond = rampStep;
        shedding = false;
      }
    } else {
      joinsPerSecond = Math.min(limits.maxJoinsPerSecond(), joinsPerSecond + rampStep);
    }
    return closedBecause == null;
  }

  /**
   * Frames waited over their limit for {@code shedAfter} windows and their wait did not fall in the
   * last window: the replica carries more than it can check. A backlog that drains, however slowly,
   * is left to drain; one that holds or grows is shed, a share each window.
   */
  private void judgeBacklog(Window w) {
    long waitMs = w.frameWait().count() == 0 ? 0 : w.frameWait().p99Ms();
    framesBehind = waitMs > limits.maxFrameWaitMs() ? framesBehind + 1 : 0;
    boolean draining = waitMs < lastFrameWaitMs;
    shedNow = limits.shedAfter() > 0 && framesBehind >= limits.shedAfter() && !draining;
    if (shedNow) {
      shedding = true;
    }
    lastFrameWaitMs = waitMs;
  }

  /** Whether to shed {@link #shedPercent} of the sessions carried, decided by the last window. */
  boolean shedNow() {
    return shedNow;
  }

  /** The share of the sessions carried to shed when {@link #shedNow}, in percent. */
  int shedPercent() {
    return limits.shedPercent();
  }

  /** Whether resumes are refused: shedding began and admission has not reopened since. */
  boolean shedding() {
    return shedding;
  }

  /** How many joins a second go on to their checks now; 0 while closed. */
  int joinsPerSecond() {
    return joinsPerSecond;
  }

  /** Why joins are refused, while they are. */
  Optional<String> closedBecause() {
    return Optional.ofNullable(closedBecause);
  }

  private String behind(Window w) {
    if (w.frameWait().count() == 0) {
      // No heartbeat or digest checked: no session carried here to protect (a replica starting up
      // runs late while it warms up, and that must not turn away its first game servers).
      return null;
    }
    if (w.frameWait().p99Ms() > limits.maxFrameWaitMs()) {
      return "heartbeats and digests wait "
          + w.frameWait().p99Ms()
          + " ms for their checks (p99; limit "
          + limits.maxFrameWaitMs()
          + " ms)";
    }
    if (w.eventLoopLag().maxMs() > limits.maxEventLoopLagMs()) {
      return "event loops run "
          + w.eventLoopLag().maxMs()
          + " ms late (limit "
          + limits.maxEventLoopLagMs()
          + " ms)";
    }
    if (w.receipts().p99Ms() > limits.maxReceiptMs()) {
      return "receipts take "
          + w.receipts().p99Ms()
          + " ms (p99; limit "
          + limits.maxReceiptMs()
          + " ms)";
    }
    return null;
  }
}
