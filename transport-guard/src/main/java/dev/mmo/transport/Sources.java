package dev.mmo.transport;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HexFormat;

/** The source a server limits a peer by. */
public final class Sources {
  private Sources() {}

  /**
   * The source of a peer at {@code host:port}: the IPv4 address, or the /64 prefix of an IPv6
   * address (one host usually holds a whole /64); an IPv4-mapped IPv6 address counts as its IPv4
   * address.
   */
  public static String of(String remoteAddress) {
    if (remoteAddress == null) {
      return "unknown";
    }
    int colon = remoteAddress.lastIndexOf(':');
    String host = colon < 0 ? remoteAddress : remoteAddress.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    if (host.indexOf(':') < 0) {
      return host;
    }
    try {
      // An IPv6 literal (a host name has no colon): no name lookup happens.
      byte[] address = InetAddress.getByName(host).getAddress();
      if (address.length == 16) {
        return HexFormat.of().formatHex(address, 0, 8) + "::/64";
      }
      return InetAddress.getByAddress(address).getHostAddress();
    } catch (UnknownHostException e) {
      return host;
    }
  }
}
