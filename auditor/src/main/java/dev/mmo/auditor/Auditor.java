package dev.mmo.auditor;

import static java.util.Objects.requireNonNull;

import dev.mmo.auditor.Divergence.Kind;
import dev.mmo.gs.match.TranscriptReplay;
import dev.mmo.gs.vs.TranscriptSource;
import dev.mmo.protocol.Rejection;
import dev.mmo.protocol.chain.ReceiptTip;
import dev.mmo.protocol.crypto.Ed25519PublicKey;
import dev.mmo.protocol.crypto.Ed25519Verifier;
import dev.mmo.protocol.crypto.Sha256;
import dev.mmo.protocol.trust.TrustAnchors;
import dev.mmo.protocol.trust.VsProofVerifier;
import dev.mmo.protocol.wire.Attested;
import dev.mmo.protocol.wire.ClientInput;
import dev.mmo.protocol.wire.Codec;
import dev.mmo.protocol.wire.JoinAccept;
import dev.mmo.protocol.wire.ProtectedReceipt;
import dev.mmo.protocol.wire.SessionId;
import dev.mmo.protocol.wire.Signed;
import dev.mmo.protocol.wire.TranscriptDigest;
import dev.mmo.protocol.world.PlayerPosition;
import dev.mmo.protocol.world.Vec2;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Checks a game server's transcript against the receipts the VS notarized for its session.
 *
 * <p>In this order: the transcript's JoinAccept against the trust anchors; then, receipt by receipt
 * in ascending gs_counter while the transcript is replayed with the game server's own {@link
 * TranscriptReplay}: the receipt's VsProof, its session, the listed fields, the digest frame's hash
 * and session-key signature, its counter, tip and advancing tick; then the replay's receipt tip and
 * every position at the digest's tick. The first failure is the verdict.
 *
 * <p>Memory stays bounded by one page of receipts, one replay state and a nonce per player: the
 * receipts are read while the transcript is replayed, never all at once.
 */
public final class Auditor {
  private final TrustAnchors anchors;

  public Auditor(TrustAnchors anchors) {
    this.anchors = requireNonNull(anchors, "anchors");
  }

  /** What the audit needs from the VS, once the transcript names its session. */
  @FunctionalInterface
  public interface Receipts {
    ReceiptSource of(SessionId session);
  }

  /**
   * Audits {@code transcript} against the receipts {@code receipts} gives for its session.
   *
   * @throws IOException when the transcript cannot be opened as one or the receipts cannot be read
   *     completely: no verdict can be given
   */
  public Verdict audit(Path transcript, Receipts receipts) throws IOException {
    TranscriptReplay.Header header = TranscriptReplay.header(transcript);
    Attested<JoinAccept> accept = header.joinAccept();
    SessionId session = accept.statement().sessionId();
    VsProofVerifier proofs = new VsProofVerifier(anchors);
    Ed25519Verifier sessionKey;
    try {
      proofs.verify(accept);
      sessionKey = Ed25519Verifier.of(accept.statement().sessionKey());
    } catch (Rejection e) {
      return new Verdict(
          session.hex(),
          0,
          0,
          0,
          Optional.of(
              new Divergence(
                  0,
                  -1,
                  Kind.JOIN_ACCEPT_PROOF,
                  "the transcript's JoinAccept: " + e.reason() + ": " + e.getMessage())));
    }
    Run run = new Run(session, proofs, sessionKey, receipts.of(session));
    try {
      try {
        TranscriptReplay.replay(transcript, run::onTick, run::onInput);
        run.finish();
      } catch (Stop stop) {
        // The first divergence is known; the rest of the transcript does not matter.
      } catch (IOException e) {
        run.transcriptBroken(e.getMessage());
      } catch (Broken e) {
        run.transcriptBroken(e.getMessage());
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    return run.verdict();
  }

  /** One audit's state while the transcript replays. */
  private static final class Run {
    private final SessionId session;
    private final VsProofVerifier proofs;
    private final Ed25519Verifier sessionKey;
    private final ReceiptSource source;
    private final Map<Ed25519PublicKey, Long> nonces = new HashMap<>();
    private TranscriptSource.State current =
        new TranscriptSource.State(0, ReceiptTip.GENESIS, List.of());
    private Notarized next;
    private boolean exhausted;
    private long lastCounter;
    private long lastTick = -1;
    private long inputs;
    private long checked;
    private Divergence failure;

    Run(
        SessionId session,
        VsProofVerifier proofs,
        Ed25519Verifier sessionKey,
        ReceiptSource source) {
      this.session = session;
      this.proofs = proofs;
      this.sessionKey = sessionKey;
      this.source = requireNonNull(source, "source");
    }

    void onInput(long tick, Ed25519PublicKey player, ClientInput input) {
      // The game server refuses a nonce that does not rise (protocol.md 10.3): a host that
      // replays a client's signed input, or reorders a client's inputs, breaks this.
      Long last = nonces.get(player);
      if (last != null && input.clientNonce() <= last) {
        throw new Broken(
            "tick "
                + tick
                + ": input of "
                + player
                + " with nonce "
                + input.clientNonce()
                + " after nonce "
                + last);
      }
      nonces.put(player, input.clientNonce());
      inputs++;
    }

    /** The replay completed {@code state}: every receipt of an earlier tick is judged. */
    void onTick(TranscriptSource.State state) {
      compareBefore(state.tick());
      current = state;
    }

    void finish() {
      compareBefore(Long.MAX_VALUE);
    }

    /**
     * The replay stopped at a record after {@code current}: the receipts up to its tick are still
     * judged; the first one after is where the transcript stops explaining the host.
     */
    void transcriptBroken(String why) {
      try {
        compareBefore(current.tick() + 1);
        Notarized n = peek();
        failure =
            n == null
                ? new Divergence(0, -1, Kind.TRANSCRIPT_INVALID, why)
                : new Divergence(
                    n.counter,
                    n.digest.tick(),
                    Kind.TRANSCRIPT_INVALID,
                    "the transcript does not verify after tick " + current.tick() + ": " + why);
      } catch (Stop stop) {
        // An earlier receipt diverged first.
      }
    }

    Verdict verdict() {
      return new Verdict(
          session.hex(), inputs, current.tick(), checked, Optional.ofNullable(failure));
    }

    private void compareBefore(long tick) {
      for (Notarized n = peek(); n != null && n.digest.tick() < tick; n = peek()) {
        compare(n, current);
        checked++;
        next = null;
      }
    }

    /** The next receipt that passed its own checks, or null after the last. */
    private Notarized peek() {
      if (next == null && !exhausted) {
        Optional<ListedReceipt> listed;
        try {
          listed = source.next();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        if (listed.isEmpty()) {
          exhausted = true;
        } else {
          next = check(listed.get());
        }
      }
      return next;
    }

    private Notarized check(ListedReceipt r) {
      long counter = r.gsCounter();
      Attested<ProtectedReceipt> attested;
      try {
        attested = Codec.decodeAttested(r.receipt().toByteArray(), ProtectedReceipt.class);
      } catch (Rejection e) {
        throw fail(counter, -1, Kind.RECEIPT_MALFORMED, e.reason() + ": " + e.getMessage());
      }
      ProtectedReceipt receipt = attested.statement();
      try {
        proofs.verify(attested);
      } catch (Rejection e) {
        throw fail(counter, -1, Kind.RECEIPT_PROOF, e.reason() + ": " + e.getMessage());
      }
      if (!receipt.sessionId().equals(session)) {
        throw fail(counter, -1, Kind.WRONG_SESSION, "the receipt is for " + receipt.sessionId());
      }
      if (receipt.gsCounter() != counter
          || !receipt.receiptTip().equals(r.receiptTip())
          || !receipt.digestHash().equals(r.digestHash())) {
        throw fail(
            counter,
            -1,
            Kind.RECEIPT_FIELDS,
            "listed gs_counter, receipt_tip or digest_hash differ from the attested receipt's ("
                + receipt.gsCounter()
                + ", "
                + receipt.receiptTip().hex()
                + ", "
                + receipt.digestHash().hex()
                + ")");
      }
      byte[] frame = r.digest().toByteArray();
      if (!Sha256.hash(frame).equals(receipt.digestHash())) {
        throw fail(
            counter,
            -1,
            Kind.DIGEST_HASH,
            "the digest frame hashes to "
                + Sha256.hash(frame).hex()
                + ", the receipt names "
                + receipt.digestHash().hex());
      }
      TranscriptDigest digest;
      try {
        Signed<TranscriptDigest> signed = Codec.decodeSigned(frame, TranscriptDigest.class);
        signed.verify(sessionKey);
        digest = signed.body();
      } catch (Rejection e) {
        throw fail(counter, -1, Kind.DIGEST_SIGNATURE, e.reason() + ": " + e.getMessage());
      }
      if (!digest.sessionId().equals(session)) {
        throw fail(
            counter, digest.tick(), Kind.WRONG_SESSION, "the digest is for " + digest.sessionId());
      }
      if (digest.gsCounter() != counter || !digest.receiptTip().equals(receipt.receiptTip())) {
        throw fail(
            counter,
            digest.tick(),
            Kind.DIGEST_FIELDS,
            "the digest says gs_counter "
                + digest.gsCounter()
                + " and receipt_tip "
                + digest.receiptTip().hex());
      }
      if (counter <= lastCounter || digest.tick() <= lastTick) {
        throw fail(
            counter,
            digest.tick(),
            Kind.DIGEST_FIELDS,
            "gs_counter and tick must rise; the previous receipt had gs_counter "
                + lastCounter
                + " at tick "
                + lastTick);
      }
      lastCounter = counter;
      lastTick = digest.tick();
      return new Notarized(counter, digest);
    }

    private void compare(Notarized n, TranscriptSource.State replayed) {
      TranscriptDigest d = n.digest;
      if (!d.receiptTip().equals(replayed.receiptTip())) {
        throw fail(
            n.counter,
            d.tick(),
            Kind.RECEIPT_TIP,
            "notarized receipt_tip "
                + d.receiptTip().hex()
                + ", the transcript gives "
                + replayed.receiptTip().hex());
      }
      Map<Ed25519PublicKey, Vec2> notarized = byPlayer(d.positions());
      Map<Ed25519PublicKey, Vec2> replay = byPlayer(replayed.positions());
      TreeSet<Ed25519PublicKey> players = new TreeSet<>(notarized.keySet());
      players.addAll(replay.keySet());
      for (Ed25519PublicKey player : players) {
        Vec2 claimed = notarized.get(player);
        Vec2 expected = replay.get(player);
        if (claimed == null || !claimed.equals(expected)) {
          throw fail(
              n.counter,
              d.tick(),
              Kind.POSITION,
              "player "
                  + player.hex()
                  + ": notarized at "
                  + describe(claimed)
                  + ", the transcript gives "
                  + describe(expected));
        }
      }
    }

    private static Map<Ed25519PublicKey, Vec2> byPlayer(List<PlayerPosition> positions) {
      Map<Ed25519PublicKey, Vec2> out = new TreeMap<>();
      for (PlayerPosition p : positions) {
        out.put(p.player(), p.position());
      }
      return out;
    }

    private static String describe(Vec2 v) {
      return v == null ? "nowhere (not in the world)" : "(" + v.x() + ", " + v.y() + ")";
    }

    private Stop fail(long counter, long tick, Kind kind, String detail) {
      failure = new Divergence(counter, tick, kind, detail);
      return new Stop();
    }
  }

  private record Notarized(long counter, TranscriptDigest digest) {}

  /** Ends the replay once the first divergence is known. */
  private static final class Stop extends RuntimeException {
    Stop() {
      super(null, null, false, false);
    }
  }

  /** The transcript breaks a rule the replay itself does not check. */
  private static final class Broken extends RuntimeException {
    Broken(String message) {
      super(message, null, false, false);
    }
  }
}
