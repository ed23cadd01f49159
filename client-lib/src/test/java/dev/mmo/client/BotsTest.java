package dev.mmo.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mmo.client.bots.Bots;
import dev.mmo.gs.play.PlayServer;
import dev.mmo.gs.play.PlaySettings;
import dev.mmo.protocol.bytes.Hex;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BotsTest {
  private static final Pattern LINE =
      Pattern.compile(
          "t=(\\d+)s connected=(\\d+) inputs=(\\d+) snapshots=(\\d+) receipts=(\\d+)"
              + " disconnects=\\{(.*)\\}");

  @TempDir Path dir;

  @Test
  void run_badArguments_exitStatus2WithUsage() throws Exception {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status =
        Bots.run(
            new String[] {"--gs", "ws://127.0.0.1:1/play"},
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(status).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("missing --gs-id", "usage:");
  }

  @Test
  void run_threeBotsAgainstTheRealGameServer_moveAndReportEverySecond() throws Exception {
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
      blessing.issueTicket(120_000);
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
      Files.write(anchors, List.of(Hex.encode(vs.publicKey().uncompressedPoint().toByteArray())));

      ByteArrayOutputStream out = new ByteArrayOutputStream();
      int status =
          Bots.run(
              new String[] {
                "--gs",
                "ws://127.0.0.1:" + port + "/play",
                "--gs-id",
                MmoClientTest.GS_ID.value(),
                "--trust-anchors",
                anchors.toString(),
                "--clients",
                "3",
                "--seconds",
                "5"
              },
              new PrintStream(out, true, StandardCharsets.UTF_8),
              new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));

      assertThat(status).isZero();
      List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
      assertThat(lines).hasSize(6);
      for (int i = 0; i < 5; i++) {
        assertThat(lines.get(i)).matches(LINE).startsWith("t=" + (i + 1) + "s ");
      }
      Matcher last = LINE.matcher(lines.get(5).substring("done: ".length()));
      assertThat(last.matches()).as(lines.get(5)).isTrue();
      assertThat(Long.parseLong(last.group(3))).as("inputs").isPositive();
      assertThat(Long.parseLong(last.group(4))).as("snapshots").isPositive();
      // Nobody was refused or left on a failed check while the bots played.
      assertThat(last.group(6)).doesNotContain("CLIENT/").doesNotContain("SERVER/");
      server.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }
}
