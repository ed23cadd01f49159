package dev.mmo.vs.gs;

import dev.mmo.protocol.Rejection;
import dev.mmo.protocol.wire.Codec;
import dev.mmo.protocol.wire.Frame;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A game server's side of {@code /gs} for tests: the JDK's WebSocket client, every binary frame
 * queued as it arrives, the close status kept.
 */
final class GsTestClient implements AutoCloseable {
  private final WebSocket socket;
  private final BlockingQueue<byte[]> frames;
  private final CompletableFuture<Integer> closeStatus;
  private final CompletableFuture<String> closeReason;

  private GsTestClient(
      WebSocket socket,
      BlockingQueue<byte[]> frames,
      CompletableFuture<Integer> closeStatus,
      CompletableFuture<String> closeReason) {
    this.socket = socket;
    this.frames = frames;
    this.closeStatus = closeStatus;
    this.closeReason = closeReason;
  }

  static GsTestClient connect(URI uri) {
    BlockingQueue<byte[]> frames = new LinkedBlockingQueue<>();
    CompletableFuture<Integer> closeStatus = new CompletableFuture<>();
    CompletableFuture<String> closeReason = new CompletableFuture<>();
    WebSocket.Listener listener =
        new WebSocket.Listener() {
          private final ByteArrayOutputStream partial = new ByteArrayOutputStream();

          @Override
          public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
            byte[] chunk = new byte[data.remaining()];
            data.get(chunk);
            partial.writeBytes(chunk);
            if (last) {
              frames.add(partial.toByteArray());
              partial.reset();
            }
            ws.request(1);
            return null;
          }

          @Override
          public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            closeReason.complete(reason);
            closeStatus.complete(statusCode);
            return null;
          }

          @Override
          public void onError(WebSocket ws, Throwable error) {
            closeReason.completeExceptionally(error);
            closeStatus.completeExceptionally(error);
          }
        };
    WebSocket socket =
        HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(uri, listener).join();
    return new GsTestClient(socket, frames, closeStatus, closeReason);
  }

  void send(byte[] frame) {
    socket.sendBinary(ByteBuffer.wrap(frame), true).join();
  }

  void sendText(String text) {
    socket.sendText(text, true).join();
  }

  /** The next binary frame, decoded; fails when none arrives in time. */
  Frame next(Duration timeout) throws InterruptedException, Rejection {
    byte[] frame = frames.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (frame == null) {
      throw new AssertionError("no frame within " + timeout + "; close status " + closeStatusNow());
    }
    return Codec.decode(frame);
  }

  /** Fails when a frame arrives within {@code timeout}. */
  void assertNoFrameWithin(Duration timeout) throws InterruptedException {
    byte[] frame = frames.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (frame != null) {
      throw new AssertionError("a frame of " + frame.length + " bytes arrived within " + timeout);
    }
  }

  /** The close reason text the VS sent, waiting up to {@code timeout}. */
  String closeReason(Duration timeout) throws Exception {
    return closeReason.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The close status the VS sent, waiting up to {@code timeout}. */
  int closeStatus(Duration timeout) throws Exception {
    return closeStatus.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  private String closeStatusNow() {
    return closeStatus.isDone() ? String.valueOf(closeStatus.getNow(-1)) : "none";
  }

  @Override
  public void close() {
    socket.abort();
  }
}
