// README:begin
package dev.mmo.client.example;

import dev.mmo.client.Disconnect;
import dev.mmo.client.MmoClient;
import dev.mmo.client.MmoListener;
import dev.mmo.client.Session;
import dev.mmo.protocol.crypto.Ed25519KeyPair;
import dev.mmo.protocol.trust.TrustAnchors;
import dev.mmo.protocol.trust.TrustAnchorsFile;
import dev.mmo.protocol.wire.GsId;
import dev.mmo.protocol.wire.ProtectedReceipt;
import dev.mmo.protocol.wire.WorldSnapshot;
import dev.mmo.protocol.world.Vec2;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Plays for a while on one game server, then leaves; returns why the session ended. */
public final class ReadmeExample {
  public static Disconnect play(Path trustAnchorsFile, GsId gsId, URI playUri) throws Exception {
    TrustAnchors anchors = TrustAnchorsFile.read(trustAnchorsFile);
    Ed25519KeyPair key = Ed25519KeyPair.generate(new SecureRandom());
    CompletableFuture<Disconnect> ended = new CompletableFuture<>();

    MmoClient client =
        MmoClient.builder()
            .trustAnchors(anchors)
            .clientKey(key)
            .gameServer(gsId, playUri)
            .listener(
                new MmoListener() {
                  @Override
                  public void onSnapshot(Session session, WorldSnapshot snapshot) {
                    // positions of every player at snapshot.tick(), signed by the session key
                  }

                  @Override
                  public void onReceipt(Session session, ProtectedReceipt receipt) {
                    // the VS notarized the GS's receipt tip; session.receipts() keeps the newest
                  }

                  @Override
                  public void onDisconnect(Session session, Disconnect disconnect) {
                    ended.complete(disconnect);
                  }
                })
            .build();

    // Fails with a RefusedException (its disconnect() says why) if any handshake check fails.
    Session session = client.connect().get(10, TimeUnit.SECONDS);
    for (int i = 0; i < 20 && session.isOpen(); i++) {
      session.move(new Vec2(100, 50), 0); // false once the session is over
      Thread.sleep(50);
    }
    session.close();
    return ended.get(10, TimeUnit.SECONDS);
  }
}
// README:end
