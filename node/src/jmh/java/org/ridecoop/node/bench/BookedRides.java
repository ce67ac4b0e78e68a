package org.ridecoop.node.bench;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.ridecoop.contracts.RideLedger;
import org.ridecoop.protocol.ContractStructs;
import org.ridecoop.protocol.Offer;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.tx.RawTransactionManager;
import org.web3j.tx.gas.StaticGasProvider;
import org.web3j.tx.response.PollingTransactionReceiptProcessor;
import org.web3j.utils.Numeric;

/**
 * Rides one after the other, each as a rider's app does it: send the signed request, follow the
 * ride's stream, and on the driver's signed offer book it on chain with the rider's own key; the
 * ride is booked for the rider when the node's stream says {@code booked} (the node saw the
 * ledger's {@code RideBooked} event). The book transaction's own time (sent to receipt, receipts
 * polled every millisecond) is measured beside it.
 */
final class BookedRides {

  /**
   * @param bookToBooked from sending the book transaction to the stream's {@code booked}
   * @param bookTransaction from sending it to its receipt
   * @param requestToBooked from sending the request to the stream's {@code booked}
   * @param requestToOffer from sending the request to the signed offer on the stream
   */
  record Result(Latencies bookToBooked, Latencies bookTransaction, Latencies requestToBooked,
      Latencies requestToOffer) {}

  private BookedRides() {}

  /**
   * Runs one ride per prepared request (each rider's wallet must hold its {@code maxFare}); the
   * first {@code warmup} are not measured. Called from a plain thread: it blocks.
   */
  static Result run(HttpClient http, WebSocketClient sockets, int port, Web3j web3j, long chainId, String ledger,
      List<RiderLoad.Prepared> riders, int warmup) throws Exception {
    Result r = new Result(new Latencies(), new Latencies(), new Latencies(), new Latencies());
    var receipts = new PollingTransactionReceiptProcessor(web3j, 1, 10_000);
    var gas = new StaticGasProvider(BigInteger.ZERO, BigInteger.valueOf(1_000_000));
    for (int i = 0; i < riders.size(); i++) {
      RiderLoad.Prepared p = riders.get(i);
      CompletableFuture<JsonObject> offer = new CompletableFuture<>();
      CompletableFuture<Long> booked = new CompletableFuture<>();
      long requested = System.nanoTime();
      int status = http.request(new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(port)
              .setURI("/v1/rides").putHeader("content-type", "application/json"))
          .compose(req -> req.send(Buffer.buffer(p.body()))).map(resp -> resp.statusCode())
          .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      if (status != 202) {
        throw new IllegalStateException("ride request " + i + " refused with " + status);
      }
      var ws = sockets.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port)
              .setURI("/v1/rides/" + p.rideId() + "/stream"))
          .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      ws.textMessageHandler(text -> {
        long at = System.nanoTime();
        JsonObject m = new JsonObject(text);
        if ("offer".equals(m.getString("type"))) {
          offer.complete(m.getJsonObject("offer").put("at", at));
        } else if ("status".equals(m.getString("type")) && "booked".equals(m.getString("state"))) {
          booked.complete(at);
        }
      });
      JsonObject signed = offer.get(30, TimeUnit.SECONDS);
      Offer o = FleetDriver.offer(signed.getJsonObject("offer"));
      byte[] signature = Numeric.hexStringToByteArray(signed.getString("driverSignature"));
      RideLedger asRider = RideLedger.load(ledger, web3j,
          new RawTransactionManager(web3j, p.rider(), chainId, receipts), gas);
      long bookSent = System.nanoTime();
      TransactionReceipt receipt = asRider.book(ContractStructs.offer(o), ContractStructs.signature(signature)).send();
      long mined = System.nanoTime();
      if (!receipt.isStatusOK()) {
        throw new IllegalStateException("book reverted: " + receipt);
      }
      long bookedAt = booked.get(30, TimeUnit.SECONDS);
      ws.close();
      if (i >= warmup) {
        r.bookToBooked().add((bookedAt - bookSent) / 1000);
        r.bookTransaction().add((mined - bookSent) / 1000);
        r.requestToBooked().add((bookedAt - requested) / 1000);
        r.requestToOffer().add((signed.getLong("at") - requested) / 1000);
      }
    }
    return r;
  }
}
