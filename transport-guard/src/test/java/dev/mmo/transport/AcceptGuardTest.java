package dev.mmo.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mmo.protocol.Reason;
import io.netty.channel.Channel;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AcceptGuardTest {
  private final List<String> events = new ArrayList<>();
  private final List<EmbeddedChannel> accepted = new ArrayList<>();

  private final GuardListener listener =
      new GuardListener() {
        @Override
        public void refused(Reason reason, String detail, SocketAddress peer) {}

        @Override
        public void upgradeTimedOut(SocketAddress peer) {}

        @Override
        public void overSourceLimit(SourceLimits.Verdict verdict, String source) {
          events.add(verdict.name());
        }

        @Override
        public void listenerFull(String source) {
          events.add("full");
        }
      };

  @AfterEach
  void close() {
    accepted.forEach(EmbeddedChannel::finishAndReleaseAll);
  }

  /** A connection accepted by {@code listening}, registered as the server would. */
  private EmbeddedChannel accept(EmbeddedChannel listening) throws Exception {
    EmbeddedChannel connection = new EmbeddedChannel(false, false);
    listening.writeInbound(connection);
    Channel passed = listening.readInbound();
    assertThat(passed).as("the accept goes on to the server").isSameAs(connection);
    connection.register();
    accepted.add(connection);
    return connection;
  }

  @Test
  void beyondMaxOpen_closedAtOnce_roomAgainWhenOneCloses() throws Exception {
    EmbeddedChannel listening = new EmbeddedChannel();
    AcceptGuard guard =
        AcceptGuard.install(
            listening,
            GuardSettings.of(Duration.ofSeconds(5)),
            listener,
            SourceLimits.openOnly(100, 16),
            2);
    EmbeddedChannel first = accept(listening);
    EmbeddedChannel second = accept(listening);
    EmbeddedChannel third = accept(listening);
    assertThat(first.isOpen()).isTrue();
    assertThat(second.isOpen()).isTrue();
    assertThat(third.isOpen()).isFalse();
    assertThat(third.pipeline().get(ConnectionGuard.NAME)).isNull();
    assertThat(first.pipeline().get(ConnectionGuard.NAME)).isNotNull();
    assertThat(events).containsExactly("full");
    assertThat(guard.open()).isEqualTo(2);

    first.close().sync();
    assertThat(guard.open()).isEqualTo(1);
    assertThat(accept(listening).isOpen()).isTrue();
    assertThat(guard.open()).isEqualTo(2);
  }

  @Test
  void overTheSourceLimit_closedAtOnce_notCounted() throws Exception {
    EmbeddedChannel listening = new EmbeddedChannel();
    AcceptGuard guard =
        AcceptGuard.install(
            listening,
            GuardSettings.of(Duration.ofSeconds(5)),
            listener,
            SourceLimits.openOnly(1, 16),
            10);
    assertThat(accept(listening).isOpen()).isTrue();
    assertThat(accept(listening).isOpen()).as("same (embedded) source").isFalse();
    assertThat(events).containsExactly("TOO_MANY_OPEN");
    assertThat(guard.open()).isEqualTo(1);
  }
}
