package dev.mmo.gs.match;

import static java.util.Objects.requireNonNull;

import dev.mmo.gs.vs.TranscriptSource;
import dev.mmo.protocol.Reason;
import dev.mmo.protocol.Rejection;
import dev.mmo.protocol.chain.ReceiptTip;
import dev.mmo.protocol.crypto.Ed25519PublicKey;
import dev.mmo.protocol.crypto.Ed25519Verifier;
import dev.mmo.protocol.crypto.Hash;
import dev.mmo.protocol.wire.Attested;
import dev.mmo.protocol.wire.ClientInput;
import dev.mmo.protocol.wire.Codec;
import dev.mmo.protocol.wire.JoinAccept;
import dev.mmo.protocol.wire.PlayTicket;
import dev.mmo.protocol.wire.SessionId;
import dev.mmo.protocol.wire.Signed;
import dev.mmo.protocol.world.Vec2;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One session's match: the input checks of protocol.md 10.3, the simulation, the receipt tip and
 * the records for the transcript log.
 *
 * <p>Threads: {@link #check} and the {@code offer} methods are called from the connections' event
 * loops, concurrently; {@link #tick()} only from the match's one event loop, which alone touches
 * the simulation and the tip. Accepted inputs travel between them through one bounded queue, in the
 * order they were accepted, so one client's inputs are applied in the order it sent them.
 */
public final class Match {
  /** Action bits version 1 of the game defines: none, so any set bit is not well formed. */
  public static final int DEFINED_ACTIONS = 0;

  private final Attested<JoinAccept> joinAccept;
  private final SessionId session;
  private final Simulation simulation;
  private final ArrayBlockingQueue<Event> events;
  private final ConcurrentHashMap<Ed25519PublicKey, Player> players = new ConcurrentHashMap<>();
  private volatile TicketRefs tickets = TicketRefs.NONE;
  private volatile TranscriptSource.State state;
  private Hash tip = ReceiptTip.GENESIS;

  /**
   * @param queueCapacity how many accepted inputs and joins may wait for the next tick
   */
  public Match(Attested<JoinAccept> joinAccept, long seed, int queueCapacity) {
    this.joinAccept = requireNonNull(joinAccept, "joinAccept");
    this.session = joinAccept.statement().sessionId();
    this.simulation = new Simulation(joinAccept.statement().rules(), seed);
    this.events = new ArrayBlockingQueue<>(queueCapacity);
    this.state = new TranscriptSource.State(0, tip, List.of());
  }

  public Attested<JoinAccept> joinAccept() {
    return joinAccept;
  }

  public SessionId session() {
    return session;
  }

  /** The state after the last completed tick; safe from any thread. */
  public TranscriptSource.State state() {
    return state;
  }

  /** Sets the tickets inputs may name (oldest first); from any thread. */
  public void tickets(List<Attested<PlayTicket>> newest) {
    tickets = TicketRefs.of(newest);
  }

  /**
   * The player behind {@code key} in this session, made on its first hello. Its nonce state
   * outlives its connections, so a reconnecting client cannot replay its old inputs.
   *
   * @return empty when the world is full (TOO_MANY_CLIENTS)
   */
  public Optional<Player> player(Ed25519PublicKey key, Ed25519Verifier verifier) {
    Player known = players.get(key);
    if (known != null) {
      return Optional.of(known);
    }
    synchronized (players) {
      if (players.size() >= Simulation.maxPlayers()) {
        return Optional.ofNullable(players.get(key));
      }
      return Optional.of(players.computeIfAbsent(key, k -> new Player(k, verifier)));
    }
  }

  /**
   * Checks one ClientInput frame from {@code player}'s connection, in the order of protocol.md 10.3
   * steps 1 to 6. On success the nonce is taken: the same input is never accepted twice.
   *
   * @throws Rejection with the reason of the first check that fails
   */
  public Accepted check(byte[] frame, Player player) throws Rejection {
    Signed<ClientInput> signed = Codec.decodeSigned(frame, ClientInput.class);
    ClientInput input = signed.body();
    if (!input.sessionId().equals(session)) {
      throw new Rejection(Reason.WRONG_SESSION, "input for " + input.sessionId());
    }
    if (!tickets.names(input.ticketCounter(), input.ticketHash())) {
      throw new Rejection(Reason.STALE_TICKET_REF, "input names ticket " + input.ticketCounter());
    }
    signed.verify(player.verifier);
    long last = player.lastNonce.get();
    if (input.clientNonce() <= last) {
      throw new Rejection(Reason.REPLAY, "nonce " + input.clientNonce() + " after " + last);
    }
    if ((input.actions() & ~DEFINED_ACTIONS) != 0) {
      throw new Rejection(
          Reason.VALUE_OUT_OF_RANGE,
          "undefined action bits " + Integer.toHexString(input.actions()));
    }
    // Another connection of the same key (being replaced) may race for the nonce.
    if (!player.lastNonce.compareAndSet(last, input.clientNonce())) {
      throw new Rejection(Reason.REPLAY, "nonce " + input.clientNonce() + " raced");
    }
    return new Accepted(player.key, frame, input.move());
  }

  /**
   * Queues {@code player}'s entry into the world for the next tick; false when the queue is full.
   */
  public boolean offerJoin(Ed25519PublicKey player) {
    return events.offer(new Event(player, null, null));
  }

  /** Queues an accepted input for the next tick; false when the queue is full. */
  public boolean offerInput(Accepted input) {
    return events.offer(new Event(input.player(), input.frame(), input.move()));
  }

  /**
   * Runs one tick on the match's event loop: applies the queued joins and inputs in order, folds
   * every input into the receipt tip, advances the simulation and publishes the new state.
   *
   * @return the new state and the tick's transcript records
   */
  public TickResult tick() {
    long tick = simulation.tick() + 1;
    TranscriptLog.Batch batch = new TranscriptLog.Batch(tick);
    List<Event> drained = new ArrayList<>(events.size());
    events.drainTo(drained);
    for (Event e : drained) {
      if (e.frame == null) {
        if (!simulation.hasPlayer(e.player)) {
          batch.join(e.player, simulation.join(e.player));
        }
      } else {
        simulation.move(e.player, e.move);
        tip = ReceiptTip.fold(tip, e.frame);
        batch.input(e.player, e.frame);
      }
    }
    if (!batch.isEmpty()) {
      batch.end(tip);
    }
    simulation.step();
    TranscriptSource.State next = new TranscriptSource.State(tick, tip, simulation.positions());
    state = next;
    return new TickResult(next, batch);
  }

  /** A tick's outcome. */
  public record TickResult(TranscriptSource.State state, TranscriptLog.Batch batch) {}

  /** An input that passed every check, with the exact frame that will be logged and folded. */
  public record Accepted(Ed25519PublicKey player, byte[] frame, Vec2 move) {}

  /** A client of this session, known by its key. */
  public static final class Player {
    private final Ed25519PublicKey key;
    private final Ed25519Verifier verifier;
    private final AtomicLong lastNonce = new AtomicLong();

    private Player(Ed25519PublicKey key, Ed25519Verifier verifier) {
      this.key = key;
      this.verifier = requireNonNull(verifier, "verifier");
    }

    public Ed25519PublicKey key() {
      return key;
    }
  }

  // A join has no frame.
  private record Event(Ed25519PublicKey player, byte[] frame, Vec2 move) {}
}
