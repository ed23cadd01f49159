package dev.mmo.auditor;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;

/**
 * The outcome of one audit: PASS when every receipt was checked and agrees with the replay, else
 * FAIL at the first divergence.
 *
 * @param session the session id (hex)
 * @param inputs inputs replayed (up to the divergence on a FAIL)
 * @param ticks the last tick replayed
 * @param receiptsChecked receipts that passed every check
 */
public record Verdict(
    String session, long inputs, long ticks, long receiptsChecked, Optional<Divergence> failure) {
  private static final ObjectMapper JSON = new ObjectMapper();

  public Verdict {
    requireNonNull(session, "session");
    requireNonNull(failure, "failure");
  }

  public boolean passed() {
    return failure.isEmpty();
  }

  /** The human form: one verdict line, then the counts. */
  public String text() {
    StringBuilder out = new StringBuilder();
    if (failure.isEmpty()) {
      out.append("PASS session ").append(session).append('\n');
    } else {
      Divergence d = failure.get();
      out.append("FAIL session ").append(session);
      if (d.gsCounter() > 0) {
        out.append(" at gs_counter ").append(d.gsCounter());
      }
      if (d.tick() >= 0) {
        out.append(" (tick ").append(d.tick()).append(')');
      }
      out.append(": ").append(d.kind()).append(": ").append(d.detail()).append('\n');
    }
    out.append("  inputs replayed:   ").append(inputs).append('\n');
    out.append("  ticks replayed:    ").append(ticks).append('\n');
    out.append("  receipts checked:  ").append(receiptsChecked).append('\n');
    return out.toString();
  }

  /** The same as one JSON object. */
  public String json() {
    ObjectNode root = JSON.createObjectNode();
    root.put("verdict", passed() ? "PASS" : "FAIL");
    root.put("session", session);
    root.put("inputs", inputs);
    root.put("ticks", ticks);
    root.put("receiptsChecked", receiptsChecked);
    if (failure.isEmpty()) {
      root.putNull("divergence");
    } else {
      Divergence d = failure.get();
      ObjectNode div = root.putObject("divergence");
      if (d.gsCounter() > 0) {
        div.put("gsCounter", d.gsCounter());
      } else {
        div.putNull("gsCounter");
      }
      if (d.tick() >= 0) {
        div.put("tick", d.tick());
      } else {
        div.putNull("tick");
      }
      div.put("kind", d.kind().name());
      div.put("detail", d.detail());
    }
    return root.toString();
  }
}
