package org.ridecoop.node.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.BiConsumer;
import org.ridecoop.protocol.Eip712Domain;
import org.web3j.crypto.Credentials;

/** The simulated drivers of the node's fleet, brought online on each node the benchmark starts. */
final class Fleet {
  private final Vertx vertx;
  private final HttpClient http;
  private final WebSocketClient sockets;
  private final List<Credentials> keys;
  private final Eip712Domain domain;

  Fleet(Vertx vertx, HttpClient http, WebSocketClient sockets, List<Credentials> keys, Eip712Domain domain) {
    this.vertx = vertx;
    this.http = http;
    this.sockets = sockets;
    this.keys = keys;
    this.domain = domain;
  }

  /**
   * Signs each driver's online calls for this run, opens every offer stream and brings every
   * driver online at a random point; fails unless all of them are online.
   *
   * @param onlineCalls how many times each driver may go online (the first now, then one per ride)
   * @param onOffer told of each offer's request hash and arrival time
   * @return the offer streams, to close after the run
   */
  List<WebSocket> online(NodeProcess node, String label, int onlineCalls, BiConsumer<String, Long> onOffer)
      throws Exception {
    List<FleetDriver> drivers = keys.stream().map(k -> new FleetDriver(k, domain, label)).toList();
    drivers.parallelStream().forEach(d -> d.signOnlineCalls(onlineCalls,
        new SplittableRandom(d.address.hashCode() * 31L + label.hashCode()), 590));
    List<WebSocket> streams = RideLatencyBenchmark.await(Future.all(drivers.stream()
        .map(d -> d.connect(vertx, sockets, http, node.port, onOffer)).toList())).list();
    List<Integer> online = RideLatencyBenchmark.await(Future.all(drivers.stream()
        .map(d -> d.goOnline(http, node.port)).toList())).list();
    long ok = online.stream().filter(s -> s == 200).count();
    if (ok != drivers.size()) {
      throw new IllegalStateException(ok + " of " + drivers.size() + " drivers went online: "
          + online.stream().filter(s -> s != 200).distinct().toList() + "\n" + node.logTail());
    }
    return streams;
  }
}
