package org.ridecoop.node.federation;

import io.vertx.core.Future;
import java.util.LinkedHashMap;
import java.util.Map;
import org.ridecoop.node.store.UsedNonces;

/**
 * Nonces of peer messages already accepted: a bounded in-memory LRU answers replays at once, the
 * store's table keeps them across a restart (until the message's timestamp window has passed).
 */
final class SeenNonces {

  private final int capacity;
  private final UsedNonces store;
  private final Map<String, Boolean> recent;

  SeenNonces(int capacity, UsedNonces store) {
    this.capacity = capacity;
    this.store = store;
    this.recent = new LinkedHashMap<>(256, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
        return size() > SeenNonces.this.capacity;
      }
    };
  }

  /**
   * Records {@code sender}'s {@code nonce}.
   *
   * @param keepUntil when the message can no longer pass the timestamp check anyway (unix ms)
   * @return true if it is fresh, false if seen before (a replay)
   */
  Future<Boolean> use(String sender, String nonce, long keepUntil) {
    String key = sender + ":" + nonce;
    synchronized (recent) {
      if (recent.putIfAbsent(key, Boolean.TRUE) != null) {
        return Future.succeededFuture(false);
      }
    }
    return store.use(sender, "peer:" + nonce, keepUntil);
  }
}
