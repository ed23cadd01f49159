package dev.mmo.protocol.testing;

import dev.mmo.protocol.wire.ClientHello;
import dev.mmo.protocol.wire.ClientInput;
import dev.mmo.protocol.wire.Heartbeat;
import dev.mmo.protocol.wire.JoinAccept;
import dev.mmo.protocol.wire.JoinRequest;
import dev.mmo.protocol.wire.MessageType;
import dev.mmo.protocol.wire.PlayTicket;
import dev.mmo.protocol.wire.ProtectedReceipt;
import dev.mmo.protocol.wire.ResumeRequest;
import dev.mmo.protocol.wire.Revoke;
import dev.mmo.protocol.wire.ServerHello;
import dev.mmo.protocol.wire.TranscriptDigest;
import dev.mmo.protocol.wire.WorldSnapshot;

/** Names and Java types of the frame types, for tests and the vector files. */
public final class Messages {
  private Messages() {}

  public static Class<?> javaType(MessageType type) {
    return switch (type) {
      case JOIN_REQUEST -> JoinRequest.class;
      case JOIN_ACCEPT -> JoinAccept.class;
      case RESUME_REQUEST -> ResumeRequest.class;
      case PLAY_TICKET -> PlayTicket.class;
      case HEARTBEAT -> Heartbeat.class;
      case TRANSCRIPT_DIGEST -> TranscriptDigest.class;
      case PROTECTED_RECEIPT -> ProtectedReceipt.class;
      case REVOKE -> Revoke.class;
      case CLIENT_HELLO -> ClientHello.class;
      case SERVER_HELLO -> ServerHello.class;
      case CLIENT_INPUT -> ClientInput.class;
      case WORLD_SNAPSHOT -> WorldSnapshot.class;
      case BATCH_HEAD -> throw new IllegalArgumentException("a batch head is not a frame");
    };
  }

  /** The vector file of a type: {@code play-ticket.json} for PLAY_TICKET. */
  public static String fileName(MessageType type) {
    return type.labelText().substring("mmo/v1/".length()) + ".json";
  }
}
