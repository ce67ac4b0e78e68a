package org.ridecoop.sdk;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * One WebSocket following a ride's status at one node ({@code GET /v1/rides/:id/stream}). Each
 * text message goes to {@code onMessage}; the first close or error goes to {@code onDrop} once.
 */
final class RideStream {
  private final URI node;
  private final Consumer<String> onMessage;
  private final BiConsumer<URI, String> onDrop;
  private volatile WebSocket socket;
  private volatile boolean closing;
  private boolean dropped;

  private RideStream(URI node, Consumer<String> onMessage, BiConsumer<URI, String> onDrop) {
    this.node = node;
    this.onMessage = onMessage;
    this.onDrop = onDrop;
  }

  /**
   * Opens the stream; completes when the handshake is done.
   *
   * @param path {@code /v1/rides/<id>/stream}
   */
  static CompletableFuture<RideStream> open(HttpClient http, URI node, String path, long timeoutMillis,
      Consumer<String> onMessage, BiConsumer<URI, String> onDrop) {
    RideStream stream = new RideStream(node, onMessage, onDrop);
    String base = node.toString().replaceFirst("^http", "ws");
    return http.newWebSocketBuilder().connectTimeout(java.time.Duration.ofMillis(timeoutMillis))
        .buildAsync(URI.create(base + path), stream.new Listener())
        .orTimeout(timeoutMillis, TimeUnit.MILLISECONDS)
        .thenApply(ws -> {
          stream.socket = ws;
          return stream;
        });
  }

  URI node() {
    return node;
  }

  /** Closes without reporting a drop. */
  void close() {
    closing = true;
    WebSocket ws = socket;
    if (ws != null) {
      ws.sendClose(WebSocket.NORMAL_CLOSURE, "done").exceptionally(e -> null);
      ws.abort();
    }
  }

  private synchronized void drop(String reason) {
    if (dropped || closing) {
      return;
    }
    dropped = true;
    onDrop.accept(node, reason);
  }

  private final class Listener implements WebSocket.Listener {
    private final StringBuilder partial = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        String text = partial.toString();
        partial.setLength(0);
        onMessage.accept(text);
      }
      ws.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
      drop("stream closed (" + statusCode + (reason.isEmpty() ? "" : " " + reason) + ")");
      return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
      drop("stream failed: " + error);
    }
  }
}
