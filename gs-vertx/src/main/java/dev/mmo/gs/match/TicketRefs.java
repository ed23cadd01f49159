package dev.mmo.gs.match;

import dev.mmo.protocol.crypto.Hash;
import dev.mmo.protocol.wire.Attested;
import dev.mmo.protocol.wire.Hashes;
import dev.mmo.protocol.wire.PlayTicket;
import java.util.List;

/**
 * The tickets an input may name (protocol.md 10.3 step 3): the GS's current ticket and the one
 * before it, each as {@code (counter, statement hash)}.
 */
public record TicketRefs(
    long currentCounter, Hash currentHash, long previousCounter, Hash previousHash) {
  /** No ticket: every reference is stale. */
  public static final TicketRefs NONE = new TicketRefs(0, Hash.ZERO, 0, Hash.ZERO);

  /** The references of the newest two of {@code tickets} (oldest first). */
  public static TicketRefs of(List<Attested<PlayTicket>> tickets) {
    int n = tickets.size();
    if (n == 0) {
      return NONE;
    }
    PlayTicket current = tickets.get(n - 1).statement();
    Hash currentHash = Hashes.statementHash(current);
    if (n == 1) {
      return new TicketRefs(current.counter(), currentHash, 0, Hash.ZERO);
    }
    PlayTicket previous = tickets.get(n - 2).statement();
    return new TicketRefs(
        current.counter(), currentHash, previous.counter(), Hashes.statementHash(previous));
  }

  /** Whether {@code (counter, hash)} names the current or the previous ticket. */
  public boolean names(long counter, Hash hash) {
    // Counters are at least 1, so the 0 of an absent ticket never matches.
    return (counter == currentCounter && counter > 0 && hash.equals(currentHash))
        || (counter == previousCounter && counter > 0 && hash.equals(previousHash));
  }
}
