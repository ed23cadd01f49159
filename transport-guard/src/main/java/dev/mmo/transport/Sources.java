package dev.mmo.transport;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.util.HexFormat;

/** The source a server limits a peer by. */
public final class Sources {
  private Sources() {}

  /** The source of a peer at {@code address}: as {@link #of(String)}, from the address itself. */
  public static String of(SocketAddress address) {
    if (address instanceof InetSocketAddress inet && inet.getAddress() != null) {
      return of(inet.getAddress());
    }
    return "unknown";
  }

  private static String of(InetAddress address) {
    byte[] bytes = address.getAddress();
    if (bytes.length == 16) {
      if (isIpv4Mapped(bytes)) {
        return (bytes[12] & 0xFF)
            + "."
            + (bytes[13] & 0xFF)
            + "."
            + (bytes[14] & 0xFF)
            + "."
            + (bytes[15] & 0xFF);
      }
      return HexFormat.of().formatHex(bytes, 0, 8) + "::/64";
    }
    return address.getHostAddress();
  }

  private static boolean isIpv4Mapped(byte[] v6) {
    for (int i = 0; i < 10; i++) {
      if (v6[i] != 0) {
        return false;
      }
    }
    return v6[10] == (byte) 0xFF && v6[11] == (byte) 0xFF;
  }

  /**
   * The source of a peer at {@code host:port}: the IPv4 address, or the /64 prefix of an IPv6
   * address (one host usually holds a whole /64); an IPv4-mapped IPv6 address counts as its IPv4
   * address.
   */
  public static String of(String remoteAddress) {
    if (remoteAddress == null) {
      return "unknown";
    }
    // java.net.InetSocketAddress prints "/host:port" (or "name/host:port"): the literal follows
    // the slash, and only a literal is ever parsed, so no name is looked up.
    String text = remoteAddress.substring(remoteAddress.indexOf('/') + 1);
    int colon = text.lastIndexOf(':');
    String host = colon < 0 ? text : text.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    if (host.indexOf(':') < 0 || !host.matches("[0-9A-Fa-f:.]+")) {
      return host;
    }
    try {
      // An IPv6 literal (a host name has no colon): no name lookup happens.
      return of(InetAddress.getByName(host));
    } catch (UnknownHostException e) {
      return host;
    }
  }
}
