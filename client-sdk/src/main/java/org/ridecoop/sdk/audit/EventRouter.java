package org.ridecoop.sdk.audit;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.web3j.abi.EventEncoder;
import org.web3j.abi.datatypes.Event;
import org.web3j.protocol.core.methods.response.Log;

/** Routes a replayed log to the handler registered for its contract and event. */
final class EventRouter {
  private final Map<String, Consumer<Log>> handlers = new HashMap<>();

  /** Calls {@code handler} for every {@code event} that {@code address} emits. */
  void on(String address, Event event, Consumer<Log> handler) {
    handlers.put(address.toLowerCase(Locale.ROOT) + EventEncoder.encode(event), handler);
  }

  /** Hands {@code log} to its handler; false when none is registered. */
  boolean route(Log log) {
    String topic = log.getTopics().isEmpty() ? "" : log.getTopics().get(0);
    Consumer<Log> h = handlers.get(log.getAddress().toLowerCase(Locale.ROOT) + topic);
    if (h == null) return false;
    h.accept(log);
    return true;
  }
}
