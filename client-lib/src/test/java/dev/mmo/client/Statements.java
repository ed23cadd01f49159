package dev.mmo.client;

import dev.mmo.protocol.crypto.Ed25519KeyPair;
import dev.mmo.protocol.crypto.Hash;
import dev.mmo.protocol.crypto.Sha256;
import dev.mmo.protocol.wire.Attested;
import dev.mmo.protocol.wire.Challenge;
import dev.mmo.protocol.wire.Codec;
import dev.mmo.protocol.wire.GsId;
import dev.mmo.protocol.wire.Hashes;
import dev.mmo.protocol.wire.JoinAccept;
import dev.mmo.protocol.wire.PlayTicket;
import dev.mmo.protocol.wire.ServerHello;
import dev.mmo.protocol.wire.SessionId;
import dev.mmo.protocol.wire.Signed;
import dev.mmo.protocol.world.Bounds;
import dev.mmo.protocol.world.GameRules;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

/** A session's statements built by hand, sealed by a test VS key, for the pure-logic tests. */
final class Statements {
  static final SecureRandom RANDOM = new SecureRandom();
  static final GsId GS_ID = new GsId("gs-unit");
  static final GameRules RULES = new GameRules(20, 5_000, new Bounds(-1000, -1000, 1000, 1000));
  static final long VS_START_MS = 1_700_000_000_000L;

  final VsRoot vs = new VsRoot();
  final SessionId session = SessionId.random(RANDOM);
  final Ed25519KeyPair sessionKey = Ed25519KeyPair.generate(RANDOM);
  final Ed25519KeyPair clientKey = Ed25519KeyPair.generate(RANDOM);
  final Challenge challenge = Challenge.random(RANDOM);
  final Attested<JoinAccept> accept;

  Statements() {
    accept =
        vs.seal(
            new JoinAccept(
                session,
                GS_ID,
                sessionKey.publicKey(),
                Sha256.hash(new byte[] {1}),
                Sha256.hash(new byte[] {2}),
                VS_START_MS,
                1_000,
                2_000,
                5_000,
                RULES),
            VS_START_MS);
  }

  /** Tickets 1..n, ticket i issued at VS_START_MS + i * 1000 and valid for 5 s. */
  List<Attested<PlayTicket>> chain(int n) {
    Hash prev = Hashes.statementHash(accept.statement());
    List<Attested<PlayTicket>> tickets = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      long nb = VS_START_MS + i * 1000L;
      PlayTicket t = new PlayTicket(session, Hash.ZERO, i, nb, nb + 5_000, prev);
      tickets.add(vs.seal(t, nb));
      prev = Hashes.statementHash(t);
    }
    return tickets;
  }

  /** A ticket with the given fields, sealed by this VS. */
  Attested<PlayTicket> ticket(SessionId s, long counter, long nb, long na, Hash prev) {
    return vs.seal(new PlayTicket(s, Hash.ZERO, counter, nb, na, prev), nb);
  }

  byte[] serverHello(List<Attested<PlayTicket>> tickets) {
    return serverHello(clientKey, challenge, accept, tickets, sessionKey);
  }

  static byte[] serverHello(
      Ed25519KeyPair client,
      Challenge challenge,
      Attested<JoinAccept> accept,
      List<Attested<PlayTicket>> tickets,
      Ed25519KeyPair signer) {
    ServerHello body = new ServerHello(client.publicKey(), challenge, accept, tickets);
    return Codec.encode(Signed.sign(body, signer));
  }
}
