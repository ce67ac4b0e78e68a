package org.ridecoop.node.ride;

import io.vertx.core.Context;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * A WebSocket following a ride or a driver, written on its own connection's context. A ride's
 * follower holds the pushes back until it got the ride's current state, so it never sees the
 * state go backwards. Touched on the desk's context only.
 */
final class Follower {
  private final ServerWebSocket socket;
  private final Context context;
  private List<String> held;

  Follower(ServerWebSocket socket, Context context, boolean holding) {
    this.socket = socket;
    this.context = context;
    this.held = holding ? new ArrayList<>() : null;
  }

  void send(JsonObject message) {
    if (held != null) {
      held.add(message.encode());
    } else {
      write(List.of(message.encode()));
    }
  }

  /** Sends {@code first}, then what was held back, and from now on every push at once. */
  void open(List<JsonObject> first) {
    List<String> all = new ArrayList<>();
    first.forEach(m -> all.add(m.encode()));
    if (held != null) {
      all.addAll(held);
    }
    held = null;
    write(all);
  }

  /** Tells why and closes. */
  void refuse(JsonObject error, String reason) {
    held = null;
    String text = error.encode();
    context.runOnContext(v -> {
      socket.writeTextMessage(text);
      socket.close((short) 1008, reason);
    });
  }

  private void write(List<String> texts) {
    context.runOnContext(v -> texts.forEach(socket::writeTextMessage));
  }
}
