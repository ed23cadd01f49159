package dev.mmo.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mmo.client.Disconnect.Origin;
import dev.mmo.client.example.ReadmeExample;
import dev.mmo.gs.play.PlayServer;
import dev.mmo.gs.play.PlaySettings;
import dev.mmo.protocol.bytes.Hex;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's example is this code: it runs here, and the README must show it verbatim. */
class ReadmeExampleTest {
  @TempDir Path dir;

  @Test
  void readme_showsTheExampleVerbatim() throws Exception {
    String source =
        Files.readString(Path.of("src/test/java/dev/mmo/client/example/ReadmeExample.java"));
    String example =
        source.substring(
            source.indexOf("// README:begin\n") + "// README:begin\n".length(),
            source.indexOf("// README:end"));
    String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);
    assertThat(readme).contains("```java\n" + example + "```");
  }

  @Test
  void example_againstTheRealGameServer_playsAndLeaves() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      VsRoot vs = new VsRoot();
      SealedBlessing blessing =
          new SealedBlessing(
              vs,
              vertx.getOrCreateContext(),
              Clock.systemUTC(),
              MmoClientTest.GS_ID,
              MmoClientTest.RULES);
      blessing.issueTicket(60_000);
      PlayServer server =
          new PlayServer(
              vertx,
              PlaySettings.defaults(MmoClientTest.GS_ID)
                  .withHost("127.0.0.1")
                  .withPort(0)
                  .withEventLoops(1)
                  .withTranscriptDir(dir.resolve("transcripts")),
              blessing,
              new SimpleMeterRegistry(),
              Clock.systemUTC());
      int port = server.start().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      Path anchors = dir.resolve("trust-anchors.txt");
      Files.write(
          anchors,
          List.of("# the VS key", Hex.encode(vs.publicKey().uncompressedPoint().toByteArray())));

      Disconnect d =
          ReadmeExample.play(
              anchors, MmoClientTest.GS_ID, URI.create("ws://127.0.0.1:" + port + "/play"));

      assertThat(d.origin()).isEqualTo(Origin.APPLICATION);
      server.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }
}
