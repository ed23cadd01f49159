package dev.mmo.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class SourceLimitsTest {
  @Test
  void tryOpen_beyondTheOpenLimit_refusedUntilOneCloses() {
    SourceLimits limits = new SourceLimits(2, 600, 100, 16);
    assertThat(limits.tryOpen("a", 0)).isEqualTo(SourceLimits.Verdict.OPENED);
    assertThat(limits.tryOpen("a", 0)).isEqualTo(SourceLimits.Verdict.OPENED);
    assertThat(limits.tryOpen("a", 0)).isEqualTo(SourceLimits.Verdict.TOO_MANY_OPEN);
    assertThat(limits.tryOpen("b", 0)).as("another source").isEqualTo(SourceLimits.Verdict.OPENED);
    limits.closed("a");
    assertThat(limits.open("a")).isEqualTo(1);
    assertThat(limits.tryOpen("a", 0)).isEqualTo(SourceLimits.Verdict.OPENED);
  }

  @Test
  void tryOpen_beyondTheRate_refusedUntilItRefills() {
    SourceLimits limits = new SourceLimits(100, 60, 3, 16);
    for (int i = 0; i < 3; i++) {
      assertThat(limits.tryOpen("a", 0)).isEqualTo(SourceLimits.Verdict.OPENED);
    }
    assertThat(limits.tryOpen("a", 0)).isEqualTo(SourceLimits.Verdict.TOO_MANY_NEW);
    assertThat(limits.tryOpen("a", 1_000_000_000L)).isEqualTo(SourceLimits.Verdict.OPENED);
  }

  @Test
  void of_addresses_ipv4AsItIsIpv6ByItsSlash64() {
    assertThat(Sources.of("192.0.2.1:54321")).isEqualTo("192.0.2.1");
    assertThat(Sources.of("2001:db8:1:2:3:4:5:6:443"))
        .isEqualTo(Sources.of("2001:db8:1:2:ffff::1:80"))
        .isEqualTo("20010db800010002::/64");
    assertThat(Sources.of("[2001:db8:1:3::1]:80")).isEqualTo("20010db800010003::/64");
    assertThat(Sources.of("::ffff:192.0.2.9:80")).isEqualTo("192.0.2.9");
    assertThat(Sources.of((String) null)).isEqualTo("unknown");
    assertThat(Sources.of("/0:0:0:0:0:0:0:1:443")).isEqualTo("0000000000000000::/64");
    assertThat(Sources.of("/127.0.0.1:9")).isEqualTo("127.0.0.1");
  }

  @Test
  void of_socketAddresses_likeTheirText() throws Exception {
    assertThat(Sources.of(new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 5)))
        .isEqualTo("192.0.2.1");
    assertThat(Sources.of(new InetSocketAddress(InetAddress.getByName("2001:db8:1:2::9"), 5)))
        .isEqualTo("20010db800010002::/64");
    assertThat(
            Sources.of(
                new InetSocketAddress(
                    InetAddress.getByAddress(
                        new byte[] {
                          0,
                          0,
                          0,
                          0,
                          0,
                          0,
                          0,
                          0,
                          0,
                          0,
                          (byte) 0xFF,
                          (byte) 0xFF,
                          (byte) 192,
                          0,
                          2,
                          9
                        }),
                    5)))
        .isEqualTo("192.0.2.9");
    assertThat(Sources.of((java.net.SocketAddress) null)).isEqualTo("unknown");
  }
}
