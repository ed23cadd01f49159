package dev.mmo.vs.gs;

import dev.mmo.protocol.Reason;
import dev.mmo.protocol.Rejection;
import dev.mmo.protocol.crypto.Ed25519PublicKey;
import dev.mmo.protocol.crypto.Ed25519Verifier;
import dev.mmo.protocol.wire.Attested;
import dev.mmo.protocol.wire.Codec;
import dev.mmo.protocol.wire.Frame;
import dev.mmo.protocol.wire.GsId;
import dev.mmo.protocol.wire.Heartbeat;
import dev.mmo.protocol.wire.JoinAccept;
import dev.mmo.protocol.wire.JoinRequest;
import dev.mmo.protocol.wire.PlayTicket;
import dev.mmo.protocol.wire.ResumeRequest;
import dev.mmo.protocol.wire.Signed;
import dev.mmo.protocol.wire.TranscriptDigest;
import dev.mmo.transport.Sources;
import dev.mmo.vs.admission.Admission;
import dev.mmo.vs.attest.AttestationService;
import dev.mmo.vs.attest.BoundSession;
import dev.mmo.vs.attest.Verdict;
import dev.mmo.vs.batch.SigningUnavailableException;
import dev.mmo.vs.config.VsConfig;
import dev.mmo.vs.join.JoinService;
import dev.mmo.vs.join.ResumeService;
import dev.mmo.vs.ticket.TicketService;
import dev.mmo.vs.ticket.TicketStep;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.OnBinaryMessage;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.OnPongMessage;
import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.time.Clock;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The game servers' endpoint {@code /gs}: binary frames only, one message per frame. A connection
 * starts unbound and may send one JoinRequest or ResumeRequest; once bound it receives a ticket
 * every ticket interval, sends heartbeats and transcript digests (checked one at a time, in order,
 * by {@link AttestationService}) and receives a receipt for every digest notarized. Any rejection
 * closes that one connection with {@code 4000 + reason code} and the reason's name
 * (docs/protocol.md section 1); everything else keeps being served.
 *
 * <p>Every callback is non-blocking, so it runs on the connection's event loop, where all of a
 * {@link GsLink}'s state lives. A join or resume is started from the message callback and finishes
 * there too, without holding up the connection's inbound queue: frames that arrive meanwhile are
 * refused.
 */
@WebSocket(path = "/gs")
public class GameServerEndpoint {
  private static final Logger LOG = Logger.getLogger(GameServerEndpoint.class);

  private final GsLinks links;
  private final ConnectionLimits limits;
  private final JoinService joins;
  private final ResumeService resumes;
  private final TicketService tickets;
  private final AttestationService attestation;
  private final GsRejections rejections;
  private final Admission admission;
  private final Vertx vertx;
  private final Clock clock;
  private final long ticketIntervalMs;
  private final long silenceMs;
  private final VsConfig.Gs config;
  private final LogLimiter roundFailureLog;
  private final LogLimiter attestFailureLog;
  private final int maxPendingFrames;

  public GameServerEndpoint(
      GsLinks links,
      ConnectionLimits limits,
      JoinService joins,
      ResumeService resumes,
      TicketService tickets,
      AttestationService attestation,
      GsRejections rejections,
      Admission admission,
      Vertx vertx,
      Clock clock,
      VsConfig config,
      MeterRegistry meters) {
    this.links = links;
    this.limits = limits;
    this.joins = joins;
    this.resumes = resumes;
    this.tickets = tickets;
    this.attestation = attestation;
    this.rejections = rejections;
    this.admission = admission;
    this.vertx = vertx;
    this.clock = clock;
    this.ticketIntervalMs = config.session().ticketInterval().toMillis();
    this.config = config.gs();
    this.silenceMs = this.config.silenceTimeout().toMillis();
    this.roundFailureLog = new LogLimiter(1, 5, clock.millis());
    this.attestFailureLog = new LogLimiter(1, 5, clock.millis());
    this.maxPendingFrames = config.attest().maxPendingFrames();
    Gauge.builder("mmo.vs.gs.connections", links, GsLinks::size)
        .description("game-server connections this replica holds")
        .register(meters);
    Gauge.builder("mmo.vs.gs.binds.in.flight", limits, ConnectionLimits::bindsInFlight)
        .description("joins and resumes being checked")
        .register(meters);
  }

  @OnOpen
  Uni<Void> open(WebSocketConnection connection) {
    long now = clock.millis();
    GsLink link =
        new GsLink(
            connection,
            Vertx.currentContext(),
            links.ownerFor(connection.id()),
            Sources.of(connection.handshakeRequest().remoteAddress()),
            new MessageRate(config.maxFramesPerSecond(), config.frameBurst(), now),
            now);
    links.add(link);
    if (!limits.tryOpen(link.source, now)) {
      refuse(link, new Rejection(Reason.RATE_LIMITED, "too many new connections"));
      return Uni.createFrom().voidItem();
    }
    link.bindTimer =
        vertx.setTimer(
            config.bindTimeout().toMillis(),
            id -> {
              if (link.state == GsLink.State.OPEN) {
                refuse(link, new Rejection(Reason.UNEXPECTED_TYPE, "no join or resume in time"));
              }
            });
    return Uni.createFrom().voidItem();
  }

  @OnBinaryMessage
  Uni<Void> message(WebSocketConnection connection, byte[] bytes) {
    GsLink link = links.get(connection.id()).orElse(null);
    if (link == null || link.state == GsLink.State.CLOSING) {
      return Uni.createFrom().voidItem();
    }
    long now = clock.millis();
    link.lastHeardMs = now;
    if (!link.rate.tryTake(now)) {
      refuse(
          link,
          new Rejection(Reason.RATE_LIMITED, "over " + config.maxFramesPerSecond() + " frames/s"));
      return Uni.createFrom().voidItem();
    }
    Frame frame;
    try {
      frame = Codec.decode(bytes);
    } catch (Rejection r) {
      refuse(link, r);
      return Uni.createFrom().voidItem();
    }
    if (link.state == GsLink.State.BOUND
        && frame instanceof Signed<?> s
        && (s.body() instanceof Heartbeat || s.body() instanceof TranscriptDigest)) {
      attest(link, new GsLink.Pending(s, bytes, now));
      return Uni.createFrom().voidItem();
    }
    if (link.state == GsLink.State.OPEN && frame instanceof Signed<?> s) {
      if (s.body() instanceof JoinRequest body) {
        join(link, new Signed<>(body, s.signature()), bytes);
        return Uni.createFrom().voidItem();
      }
      if (s.body() instanceof ResumeRequest body) {
        resume(link, new Signed<>(body, s.signature()));
        return Uni.createFrom().voidItem();
      }
    }
    refuse(link, new Rejection(Reason.UNEXPECTED_TYPE, frame.type() + " in state " + link.state));
    return Uni.createFrom().voidItem();
  }

  @OnTextMessage
  Uni<Void> text(WebSocketConnection connection, String ignored) {
    links
        .get(connection.id())
        .filter(link -> link.state != GsLink.State.CLOSING)
        .ifPresent(link -> refuse(link, new Rejection(Reason.MALFORMED, "text frame")));
    return Uni.createFrom().voidItem();
  }

  /** A pong to the server's automatic pings: the game server is still there. */
  @OnPongMessage
  Uni<Void> pong(WebSocketConnection connection, Buffer ignored) {
    links.get(connection.id()).ifPresent(link -> link.lastHeardMs = clock.millis());
    return Uni.createFrom().voidItem();
  }

  @OnClose
  Uni<Void> closed(WebSocketConnection connection) {
    links
        .remove(connection.id())
        .ifPresent(
            link -> {
              link.state = GsLink.State.CLOSING;
              vertx.cancelTimer(link.ticketTimer);
              vertx.cancelTimer(link.bindTimer);
            });
    return Uni.createFrom().voidItem();
  }

  private void join(GsLink link, Signed<JoinRequest> request, byte[] bytes) {
    // Before the signature check: a replica that is behind spends nothing more on new sessions.
    Optional<String> atCapacity = admission.refusal();
    if (atCapacity.isPresent()) {
      refuse(link, new Rejection(Reason.SERVICE_UNAVAILABLE, atCapacity.get()));
      return;
    }
    if (!startBinding(link)) {
      return;
    }
    GsId gsId = request.body().gsId();
    joins
        .join(request, bytes, link.owner)
        .onTermination()
        .invoke(limits::bindingDone)
        .emitOn(link.executor())
        .subscribe()
        .with(
            accept -> {
              rejections.admitted();
              if (!stillBinding(link)) {
                // Closed meanwhile: the unused session expires with its state.
                return;
              }
              JoinAccept a = accept.statement();
              link.session = a.sessionId();
              link.bound =
                  new BoundSession(
                      a.sessionId(), a.gsId(), verifier(a.sessionKey()), a.swHash(), a.rules());
              link.lastGsCounter = 0;
              link.delivered = 0;
              send(link, Codec.encode(accept))
                  .emitOn(link.executor())
                  .subscribe()
                  .with(ok -> startTickets(link), f -> LOG.debugf("JoinAccept not sent: %s", f));
            },
            failure -> refuseBinding(link, failure, gsId));
  }

  private void resume(GsLink link, Signed<ResumeRequest> request) {
    // A replica that sheds sessions takes none back before it has caught up.
    Optional<String> shedding = admission.resumeRefusal();
    if (shedding.isPresent()) {
      refuse(link, new Rejection(Reason.SERVICE_UNAVAILABLE, shedding.get()));
      return;
    }
    if (!startBinding(link)) {
      return;
    }
    resumes
        .resume(request, link.owner)
        .onTermination()
        .invoke(limits::bindingDone)
        .emitOn(link.executor())
        .subscribe()
        .with(
            session -> {
              if (!stillBinding(link)) {
                return;
              }
              link.session = session.sessionId();
              link.bound =
                  new BoundSession(
                      session.sessionId(),
                      session.gsId(),
                      verifier(session.sessionKey()),
                      session.swHash(),
                      session.rules());
              link.lastGsCounter = request.body().gsCounter();
              // Nothing was delivered on this connection: the first round sends every kept ticket
              // again (the game server may have lost some with its old connection).
              link.delivered = 0;
              startTickets(link);
            },
            failure -> refuseBinding(link, failure, null));
  }

  /**
   * Queues a heartbeat or digest of a bound connection; they are checked one at a time, in order,
   * so the connection's counter is exact. A game server that floods the queue is cut off.
   */
  private void attest(GsLink link, GsLink.Pending pending) {
    if (link.attestQueue.size() >= maxPendingFrames) {
      refuse(
          link,
          new Rejection(
              Reason.RATE_LIMITED,
              "over " + maxPendingFrames + " frames waiting for their checks"));
      return;
    }
    link.attestQueue.add(pending);
    if (!link.attesting) {
      nextAttestation(link);
    }
  }

  private void nextAttestation(GsLink link) {
    GsLink.Pending pending = link.attestQueue.poll();
    if (pending == null || link.state != GsLink.State.BOUND) {
      link.attestQueue.clear();
      link.attesting = false;
      return;
    }
    link.attesting = true;
    admission.frameWaited(clock.millis() - pending.receivedAtMs());
    Uni<Verdict> check;
    if (pending.frame().body() instanceof Heartbeat hb) {
      check =
          attestation.heartbeat(
              link.bound,
              link.lastGsCounter,
              new Signed<>(hb, pending.frame().signature()),
              pending.bytes(),
              link.owner,
              link.kept);
    } else {
      TranscriptDigest digest = (TranscriptDigest) pending.frame().body();
      check =
          attestation.digest(
              link.bound,
              link.lastGsCounter,
              new Signed<>(digest, pending.frame().signature()),
              pending.bytes(),
              link.owner,
              link.kept,
              pending.receivedAtMs());
    }
    long gsCounter = counterOf(pending.frame());
    check
        .emitOn(link.executor())
        .subscribe()
        .with(
            verdict -> {
              applyVerdict(link, verdict, gsCounter);
              nextAttestation(link);
            },
            failure -> {
              LOG.errorf(failure, "heartbeat or digest check failed unexpectedly");
              close(link, Reason.INTERNAL_ERROR.code());
              nextAttestation(link);
            });
  }

  private void applyVerdict(GsLink link, Verdict verdict, long gsCounter) {
    if (verdict instanceof Verdict.Accepted) {
      link.lastGsCounter = gsCounter;
    } else if (verdict instanceof Verdict.Notarized notarized) {
      link.lastGsCounter = gsCounter;
      if (link.state == GsLink.State.BOUND) {
        send(link, Codec.encode(notarized.receipt()))
            .subscribe()
            .with(ok -> {}, f -> LOG.debugf("receipt send failed: %s", f));
      }
    } else if (verdict instanceof Verdict.SessionOver) {
      // Revoked, expired or taken over: the round sends the Revoke or the reason and closes.
      round(link);
    } else if (verdict instanceof Verdict.Refused refused) {
      refuse(link, new Rejection(refused.reason(), refused.detail()));
    } else if (verdict instanceof Verdict.Unavailable unavailable) {
      // Nothing decided, nothing released; the game server's next frame is checked as usual.
      if (attestFailureLog.tryLog(clock.millis()) >= 0) {
        LOG.warnf("heartbeat or digest left unchecked: %s", unavailable.why());
      }
    }
  }

  private static long counterOf(Signed<?> frame) {
    return frame.body() instanceof Heartbeat hb
        ? hb.gsCounter()
        : ((TranscriptDigest) frame.body()).gsCounter();
  }

  /** The session key of a session the VS admitted, so already checked at its join. */
  private static Ed25519Verifier verifier(Ed25519PublicKey key) {
    try {
      return Ed25519Verifier.of(key);
    } catch (Rejection e) {
      throw new IllegalStateException("admitted session key does not decode: " + key.hex(), e);
    }
  }

  private boolean startBinding(GsLink link) {
    if (!limits.tryStartBinding()) {
      refuse(link, new Rejection(Reason.RATE_LIMITED, "too many joins and resumes in flight"));
      return false;
    }
    link.state = GsLink.State.BINDING;
    return true;
  }

  private boolean stillBinding(GsLink link) {
    return link.state == GsLink.State.BINDING && links.holds(link);
  }

  private void startTickets(GsLink link) {
    if (!stillBinding(link)) {
      return;
    }
    link.state = GsLink.State.BOUND;
    link.boundAtMs = clock.millis();
    vertx.cancelTimer(link.bindTimer);
    round(link);
    link.ticketTimer = vertx.setPeriodic(ticketIntervalMs, id -> round(link));
  }

  /**
   * Runs a ticket round for {@code link} now, on its own context (from any thread): a revocation is
   * pushed at once. If a round is in flight, another one follows it, since the one in flight may
   * have read the session before the revocation.
   */
  void roundNow(GsLink link) {
    link.context.runOnContext(
        v -> {
          if (link.roundInFlight) {
            link.roundAgain = true;
          } else {
            round(link);
          }
        });
  }

  /**
   * Closes {@code link} with SERVICE_UNAVAILABLE on its own context (from any thread), if it is
   * still bound: the replica sheds it. Its game server resumes, here once admission reopens or on
   * another replica.
   */
  void shed(GsLink link, String why) {
    link.context.runOnContext(
        v -> {
          if (link.state == GsLink.State.BOUND && links.holds(link)) {
            refuse(link, new Rejection(Reason.SERVICE_UNAVAILABLE, why));
          }
        });
  }

  /** One ticket round; rounds never overlap on a connection. */
  private void round(GsLink link) {
    if (link.roundInFlight || link.state != GsLink.State.BOUND || !links.holds(link)) {
      return;
    }
    long silent = clock.millis() - link.lastHeardMs;
    if (silent > silenceMs) {
      // Half-open or gone: stop advancing the chain for it. The session stays; the game server
      // resumes on a new connection.
      LOG.debugf("session %s: game server silent for %d ms", link.session.hex(), silent);
      close(link, Reason.MISSED_HEARTBEATS.code());
      return;
    }
    link.roundInFlight = true;
    tickets
        .next(link.session, link.owner, link.delivered)
        .emitOn(link.executor())
        .subscribe()
        .with(
            step -> {
              link.roundInFlight = false;
              apply(link, step);
              roundAgainIfAsked(link);
            },
            failure -> {
              // Redis unreachable: nothing is issued; the next round tries again.
              link.roundInFlight = false;
              if (roundFailureLog.tryLog(clock.millis()) >= 0) {
                LOG.warnf("ticket round failed: %s", failure.toString());
              }
              roundAgainIfAsked(link);
            });
  }

  private void roundAgainIfAsked(GsLink link) {
    if (link.roundAgain) {
      link.roundAgain = false;
      round(link);
    }
  }

  private void apply(GsLink link, TicketStep step) {
    if (link.state != GsLink.State.BOUND) {
      return;
    }
    if (step instanceof TicketStep.Deliver deliver) {
      link.delivered = deliver.lastCounter();
      for (Attested<PlayTicket> ticket : deliver.tickets()) {
        send(link, Codec.encode(ticket))
            .subscribe()
            .with(ok -> {}, f -> LOG.debugf("ticket send failed: %s", f));
      }
    } else if (step instanceof TicketStep.Wait wait) {
      LOG.debugf("session %s: %s", link.session.hex(), wait.why());
    } else if (step instanceof TicketStep.End end) {
      endSession(link, end);
    }
  }

  /** Sends the signed Revoke first when there is one, then closes with the reason. */
  private void endSession(GsLink link, TicketStep.End end) {
    link.state = GsLink.State.CLOSING;
    vertx.cancelTimer(link.ticketTimer);
    Uni<Void> first =
        end.revoke().map(r -> send(link, Codec.encode(r))).orElse(Uni.createFrom().voidItem());
    first
        .onFailure()
        .recoverWithNull()
        .subscribe()
        .with(ok -> closeConnection(link, end.reasonCode()));
  }

  private Uni<Void> send(GsLink link, byte[] frame) {
    return link.connection.sendBinary(frame);
  }

  private void refuseBinding(GsLink link, Throwable failure, GsId joining) {
    Rejection rejection = rejectionOf(failure);
    if (joining != null && failure instanceof RejectedException r && r.authenticated()) {
      rejections.refusedJoin(rejection, joining, link.source);
    } else {
      rejections.rejected(rejection, link.source);
    }
    close(link, rejection.reason().code());
  }

  private void refuse(GsLink link, Rejection rejection) {
    rejections.rejected(rejection, link.source);
    close(link, rejection.reason().code());
  }

  private void close(GsLink link, int reasonCode) {
    if (link.state == GsLink.State.CLOSING) {
      return;
    }
    link.state = GsLink.State.CLOSING;
    vertx.cancelTimer(link.ticketTimer);
    vertx.cancelTimer(link.bindTimer);
    closeConnection(link, reasonCode);
  }

  private void closeConnection(GsLink link, int reasonCode) {
    String text = Reason.nameOf(reasonCode);
    link.connection
        .close(new CloseReason(Reason.CLOSE_CODE_BASE + reasonCode, text))
        .subscribe()
        .with(ok -> {}, f -> LOG.debugf("close of %s failed: %s", link.connection.id(), f));
  }

  /** The protocol's answer to a failed join or resume; internals stay in the log. */
  private static Rejection rejectionOf(Throwable failure) {
    if (failure instanceof RejectedException r) {
      return r.rejection();
    }
    if (failure instanceof SigningUnavailableException) {
      return new Rejection(Reason.SERVICE_UNAVAILABLE, failure.getMessage());
    }
    LOG.errorf(failure, "game server request failed unexpectedly");
    return new Rejection(Reason.INTERNAL_ERROR, failure.toString());
  }
}
