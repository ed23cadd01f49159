package dev.mmo.transport;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.zip.Deflater;

/**
 * A WebSocket client on a plain socket that sends exactly the bytes a test asks for, at the pace it
 * asks for: the attacker of the transport tests (partial frames, trickled requests, compressed
 * frames a server never agreed to, headers announcing gigabytes). Not thread-safe.
 */
public final class RawWebSocket implements AutoCloseable {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  private RawWebSocket(Socket socket) throws IOException {
    this.socket = socket;
    this.in = socket.getInputStream();
    this.out = socket.getOutputStream();
  }

  /** A TCP connection to {@code host:port}; nothing sent yet. */
  public static RawWebSocket connect(String host, int port) throws IOException {
    return connect(host, port, null);
  }

  /** As {@link #connect(String, int)}, from the local address {@code from} (another source). */
  public static RawWebSocket connect(String host, int port, InetAddress from) throws IOException {
    Socket s = new Socket();
    if (from != null) {
      s.bind(new InetSocketAddress(from, 0));
    }
    s.setTcpNoDelay(true);
    s.connect(new InetSocketAddress(host, port), 5_000);
    s.setSoTimeout(30_000);
    return new RawWebSocket(s);
  }

  /** Reads from now on give up after {@code timeout} (30 s until then). */
  public RawWebSocket readTimeout(Duration timeout) throws IOException {
    socket.setSoTimeout((int) Math.max(1, timeout.toMillis()));
    return this;
  }

  /** The upgrade request for {@code path}, with {@code extraHeaders} (each ending in CRLF). */
  public static byte[] upgradeRequest(String path, String extraHeaders) {
    byte[] nonce = new byte[16];
    RANDOM.nextBytes(nonce);
    String request =
        "GET "
            + path
            + " HTTP/1.1\r\n"
            + "Host: 127.0.0.1\r\n"
            + "Upgrade: websocket\r\n"
            + "Connection: Upgrade\r\n"
            + "Sec-WebSocket-Key: "
            + Base64.getEncoder().encodeToString(nonce)
            + "\r\n"
            + "Sec-WebSocket-Version: 13\r\n"
            + extraHeaders
            + "\r\n";
    return request.getBytes(StandardCharsets.US_ASCII);
  }

  /** Upgrades to a WebSocket on {@code path}; returns the response head (status line first). */
  public String upgrade(String path, String extraHeaders) throws IOException {
    send(upgradeRequest(path, extraHeaders));
    return readHead();
  }

  /** Reads an HTTP response head, up to and including its blank line. */
  public String readHead() throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (true) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException("connection closed in the response head: " + head);
      }
      head.write(b);
      byte[] h = head.toByteArray();
      int n = h.length;
      if (n >= 4 && h[n - 4] == '\r' && h[n - 3] == '\n' && h[n - 2] == '\r' && h[n - 1] == '\n') {
        return head.toString(StandardCharsets.US_ASCII);
      }
    }
  }

  /**
   * Reads a whole HTTP answer: its head, and the body its {@code content-length} announces (none
   * without one).
   */
  public String readAnswer() throws IOException {
    String head = readHead();
    java.util.regex.Matcher length =
        java.util.regex.Pattern.compile("(?im)^content-length:\\s*(\\d+)\\s*$").matcher(head);
    if (!length.find()) {
      return head;
    }
    byte[] body = in.readNBytes(Integer.parseInt(length.group(1)));
    return head + new String(body, StandardCharsets.UTF_8);
  }

  public void send(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  /**
   * Sends {@code bytes} from index {@code from} on, one byte every {@code every}, on a thread of
   * its own, until they are sent or the server ends the connection. The thread is started.
   */
  public Thread trickle(byte[] bytes, int from, Duration every) {
    Thread t =
        new Thread(
            () -> {
              try {
                for (int i = from; i < bytes.length; i++) {
                  send(new byte[] {bytes[i]});
                  Thread.sleep(every.toMillis());
                }
              } catch (IOException | InterruptedException e) {
                // the server ended the connection (what the attack is there to show), or the test
              }
            });
    t.setDaemon(true);
    t.start();
    return t;
  }

  /** A masked client frame: {@code b0} is FIN, RSV and opcode; the length as announced. */
  public static byte[] frame(int b0, byte[] payload) {
    return header(b0, payload.length, payload);
  }

  /**
   * The header of a masked client frame announcing {@code length} payload bytes, followed by the
   * masked {@code payload} (which may be shorter: the rest never comes).
   */
  public static byte[] header(int b0, long length, byte[] payload) {
    ByteArrayOutputStream f = new ByteArrayOutputStream();
    f.write(b0);
    if (length >= 0 && length < 126) {
      f.write(0x80 | (int) length);
    } else if (length > 0 && length <= 0xFFFF) {
      f.write(0x80 | 126);
      f.write((int) (length >>> 8));
      f.write((int) length);
    } else {
      f.write(0x80 | 127);
      for (int k = 7; k >= 0; k--) {
        f.write((int) (length >>> (8 * k)));
      }
    }
    byte[] mask = new byte[4];
    RANDOM.nextBytes(mask);
    f.writeBytes(mask);
    for (int i = 0; i < payload.length; i++) {
      f.write(payload[i] ^ mask[i % 4]);
    }
    return f.toByteArray();
  }

  /**
   * A permessage-deflate message body (RFC 7692 section 7.2.1: raw DEFLATE, the final empty block's
   * four bytes taken off) that inflates to {@code inflated} zero bytes.
   */
  public static byte[] deflateBomb(int inflated) {
    Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
    deflater.setInput(new byte[inflated]);
    deflater.finish();
    ByteArrayOutputStream compressed = new ByteArrayOutputStream();
    byte[] buf = new byte[8192];
    while (!deflater.finished()) {
      compressed.write(buf, 0, deflater.deflate(buf, 0, buf.length, Deflater.SYNC_FLUSH));
    }
    deflater.end();
    return compressed.toByteArray();
  }

  /**
   * Reads frames until a Close frame, and returns its status code; skips data and control frames
   * before it. -1 when the connection ends without one.
   */
  public int awaitClose(Duration timeout) throws IOException {
    socket.setSoTimeout((int) timeout.toMillis());
    try {
      while (true) {
        int b0 = in.read();
        if (b0 < 0) {
          return -1;
        }
        int b1 = readByte();
        long length = b1 & 0x7F;
        if (length == 126) {
          length = (readByte() << 8) | readByte();
        } else if (length == 127) {
          length = 0;
          for (int k = 0; k < 8; k++) {
            length = (length << 8) | readByte();
          }
        }
        byte[] payload = in.readNBytes((int) length);
        if ((b0 & 0x0F) == 0x8) {
          return payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : 1005;
        }
      }
    } catch (SocketException e) {
      return -1;
    }
  }

  /**
   * Waits until the server ends the TCP connection (end of stream or reset), discarding whatever it
   * still sends; true if it did within {@code timeout}.
   */
  public boolean awaitEnd(Duration timeout) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    byte[] sink = new byte[4096];
    while (true) {
      long left = (deadline - System.nanoTime()) / 1_000_000;
      if (left <= 0) {
        return false;
      }
      socket.setSoTimeout((int) Math.max(1, left));
      try {
        if (in.read(sink) < 0) {
          return true;
        }
      } catch (SocketTimeoutException e) {
        return false;
      } catch (SocketException e) {
        return true;
      }
    }
  }

  private int readByte() throws IOException {
    int b = in.read();
    if (b < 0) {
      throw new EOFException();
    }
    return b;
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
