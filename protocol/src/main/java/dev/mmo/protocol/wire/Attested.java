package dev.mmo.protocol.wire;

import static java.util.Objects.requireNonNull;

/**
 * A VS statement with the proof that the VS root key covered it. Verify with {@code
 * dev.mmo.protocol.trust.VsProofVerifier}.
 *
 * @param <S> the statement type
 */
public record Attested<S extends VsStatement>(S statement, VsProof proof) implements Frame {
  public Attested {
    requireNonNull(statement, "statement");
    requireNonNull(proof, "proof");
  }

  @Override
  public MessageType type() {
    return statement.type();
  }
}
