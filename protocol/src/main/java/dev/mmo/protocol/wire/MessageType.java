package dev.mmo.protocol.wire;

import java.nio.charset.StandardCharsets;

/**
 * The type byte of every encoded structure, with the domain label its signature or Merkle leaf is
 * computed over. Labels are {@code "mmo/v1/<name>"} followed by a zero byte, so no label is a
 * prefix of another.
 */
public enum MessageType {
  JOIN_REQUEST(0x01, "join-request", Authentication.GS_KEY),
  JOIN_ACCEPT(0x02, "join-accept", Authentication.VS_PROOF),
  RESUME_REQUEST(0x03, "resume-request", Authentication.SESSION_KEY),
  PLAY_TICKET(0x04, "play-ticket", Authentication.VS_PROOF),
  HEARTBEAT(0x05, "heartbeat", Authentication.SESSION_KEY),
  TRANSCRIPT_DIGEST(0x06, "transcript-digest", Authentication.SESSION_KEY),
  PROTECTED_RECEIPT(0x07, "protected-receipt", Authentication.VS_PROOF),
  REVOKE(0x08, "revoke", Authentication.VS_PROOF),
  CLIENT_HELLO(0x10, "client-hello", Authentication.CLIENT_KEY),
  SERVER_HELLO(0x11, "server-hello", Authentication.SESSION_KEY),
  CLIENT_INPUT(0x12, "client-input", Authentication.CLIENT_KEY),
  WORLD_SNAPSHOT(0x13, "world-snapshot", Authentication.SESSION_KEY),
  /** Not a frame: the structure the VS root key signs, carried inside every VsProof. */
  BATCH_HEAD(0x20, "batch-head", Authentication.VS_ROOT_KEY);

  /** Who vouches for a message of this type. */
  public enum Authentication {
    /** Ed25519, the game server's enrolled long-term key. */
    GS_KEY,
    /** Ed25519, the ephemeral session key pinned by the JoinAccept. */
    SESSION_KEY,
    /** Ed25519, the client's own key. */
    CLIENT_KEY,
    /** A Merkle inclusion proof under a batch head signed by the VS root key. */
    VS_PROOF,
    /** ECDSA P-256 by the VS root key (in the HSM). */
    VS_ROOT_KEY
  }

  private static final MessageType[] BY_CODE = new MessageType[256];

  static {
    for (MessageType t : values()) {
      BY_CODE[t.code] = t;
    }
  }

  private final int code;
  private final String labelName;
  private final byte[] domainLabel;
  private final Authentication authentication;

  MessageType(int code, String labelName, Authentication authentication) {
    this.code = code;
    this.labelName = labelName;
    byte[] ascii = ("mmo/v1/" + labelName).getBytes(StandardCharsets.US_ASCII);
    this.domainLabel = new byte[ascii.length + 1];
    System.arraycopy(ascii, 0, domainLabel, 0, ascii.length);
    this.authentication = authentication;
  }

  public int code() {
    return code;
  }

  /** The label's readable part, e.g. {@code "mmo/v1/play-ticket"}. */
  public String labelText() {
    return "mmo/v1/" + labelName;
  }

  /** The label bytes: {@link #labelText()} in ASCII plus a terminating zero byte. */
  public byte[] domainLabel() {
    return domainLabel.clone();
  }

  byte[] domainLabelShared() {
    return domainLabel;
  }

  public Authentication authentication() {
    return authentication;
  }

  /** The type for a type byte, or {@code null}. */
  public static MessageType fromCode(int code) {
    return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
  }
}
