package dev.mmo.vs.session;

import static java.util.Objects.requireNonNull;

import dev.mmo.protocol.crypto.Hash;
import dev.mmo.protocol.wire.PlayTicket;
import dev.mmo.protocol.wire.SessionId;
import java.util.ArrayList;
import java.util.List;

/**
 * The fields of one recent ticket of a session, kept in its Redis state so that the ticket can be
 * built again, byte for byte, and signed again (tickets are deterministic given these fields).
 *
 * <p>Stored as {@code counter:not_before_ms:not_after_ms:prev_hash_hex}, tickets separated by
 * {@code ,}, oldest first.
 */
public record KeptTicket(long counter, long notBeforeMs, long notAfterMs, Hash prevTicketHash) {
  public KeptTicket {
    requireNonNull(prevTicketHash, "prevTicketHash");
  }

  public static KeptTicket of(PlayTicket ticket) {
    return new KeptTicket(
        ticket.counter(), ticket.notBeforeMs(), ticket.notAfterMs(), ticket.prevTicketHash());
  }

  /** The ticket of session {@code id} these fields describe. */
  public PlayTicket ticket(SessionId id) {
    return new PlayTicket(id, Hash.ZERO, counter, notBeforeMs, notAfterMs, prevTicketHash);
  }

  static String encode(List<KeptTicket> tickets) {
    List<String> parts = new ArrayList<>(tickets.size());
    for (KeptTicket t : tickets) {
      parts.add(
          t.counter + ":" + t.notBeforeMs + ":" + t.notAfterMs + ":" + t.prevTicketHash.hex());
    }
    return String.join(",", parts);
  }

  static List<KeptTicket> decode(String encoded) {
    if (encoded.isEmpty()) {
      return List.of();
    }
    List<KeptTicket> tickets = new ArrayList<>();
    for (String part : encoded.split(",", -1)) {
      String[] f = part.split(":", -1);
      if (f.length != 4) {
        throw new IllegalStateException("kept ticket is not counter:nb:na:prev: " + part);
      }
      tickets.add(
          new KeptTicket(
              Long.parseLong(f[0]),
              Long.parseLong(f[1]),
              Long.parseLong(f[2]),
              Hash.fromHex(f[3])));
    }
    return List.copyOf(tickets);
  }
}
