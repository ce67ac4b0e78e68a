package org.ridecoop.benchmark;

import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.ridecoop.chain.ChainAccess;
import org.ridecoop.contracts.RideLedger;
import org.ridecoop.devchain.AnvilChain;
import org.ridecoop.protocol.ContractStructs;
import org.ridecoop.protocol.Offer;
import org.ridecoop.protocol.TripReceipt;
import org.ridecoop.test.CoopFixture;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Keys;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * Gas per ridecoop operation, measured on Anvil from transaction receipts ({@code gasUsed}
 * includes the 21,000 intrinsic gas and calldata). Not a test: run it with
 * {@code ./mvnw -q -B -pl contracts test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=org.ridecoop.benchmark.GasBenchmark}; it prints the table and rewrites the gas
 * section of BENCHMARKS.md.
 */
public final class GasBenchmark {
  private final CoopFixture f;
  private final Map<String, String> rows = new LinkedHashMap<>();

  private GasBenchmark(CoopFixture f) {
    this.f = f;
  }

  public static void main(String[] args) throws Exception {
    try (AnvilChain chain = AnvilChain.start()) {
      ChainAccess access = chain.access();
      GasBenchmark b = new GasBenchmark(CoopFixture.deploy(chain, access));
      b.ledger();
      GovernanceGas.measure(b.f, b.rows);
      String table = b.table();
      System.out.println(table);
      BenchmarksFile.replaceSection(Path.of(System.getProperty("ridecoop.repo", "..")).resolve("BENCHMARKS.md"),
          "## Gas per operation (contracts, Anvil)", table);
    }
  }

  private void ledger() throws Exception {
    Credentials driver = f.driver(0);
    f.join(driver, 0);
    f.ledger(driver).setOperator(f.driver(1).getAddress(), true).send();

    // 60 riders with fresh keys (zero gas price: they need no ether).
    List<Credentials> riders = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      riders.add(Credentials.create(Keys.createEcKeyPair()));
    }
    long deposit = 0;
    for (Credentials r : riders) {
      f.fund(r, 1_000_000_000L);
      f.token(r).approve(f.manifest.address("RideLedger"), BigInteger.valueOf(1_000_000_000L)).send();
      deposit = gas(f.ledger(r).deposit(BigInteger.valueOf(1_000_000_000L)).send());
    }
    rows.put("deposit (first, into an empty wallet)", fmt(deposit));

    // Round 1: every rider's first ride writes a fresh ride slot.
    List<Booked> firstRides = bookRound(riders.subList(0, 50), driver);
    rows.put("book, a rider's first 8 rides (fresh ride slot)", fmt(avg(firstRides)));
    settleBatch(firstRides.subList(0, 1), driver, "settleBatch, batch of 1, per ride");
    settleBatch(firstRides.subList(1, 11), driver, "settleBatch, batch of 10, per ride");
    // Fill the rest of the ring for 50 riders so that later rides reuse slots.
    long single = 0;
    for (int i = 11; i < 50; i++) {
      Booked b = firstRides.get(i);
      single = gas(f.ledger(driver).settle(ContractStructs.receipt(b.receipt), f.cosign(b.receipt, b.rider)).send());
    }
    rows.put("settle, single ride", fmt(single));
    for (int round = 2; round <= 8; round++) {
      List<Booked> rs = bookRound(riders.subList(0, 50), driver);
      settleAll(rs, driver);
    }
    // Steady state: ride slots are reused.
    List<Booked> steady = bookRound(riders.subList(0, 50), driver);
    rows.put("book, steady state (ride slot reused)", fmt(avg(steady)));
    long perRide = settleBatch(steady, driver, "settleBatch, batch of 50, per ride");
    rows.put("whole ride: book + settle in a batch of 50", fmt(avg(steady) + perRide));

    // Cancellations.
    Credentials r0 = riders.get(50);
    Booked c1 = bookRound(List.of(r0), driver).get(0);
    rows.put("cancel by rider (within grace)", fmt(gas(f.ledger(r0).cancelByRider(c1.receipt.rideId()).send())));
    Booked c2 = bookRound(List.of(r0), driver).get(0);
    rows.put("cancel by driver", fmt(gas(f.ledger(driver).cancelByDriver(c2.receipt.rideId()).send())));
    rows.put("withdraw earnings", fmt(gas(f.ledger(driver).withdrawEarnings(BigInteger.ONE).send())));
    rows.put("withdraw wallet", fmt(gas(f.ledger(r0).withdraw(BigInteger.ONE).send())));
  }

  private record Booked(Credentials rider, TripReceipt receipt, long gas) {}

  private List<Booked> bookRound(List<Credentials> riders, Credentials driver) throws Exception {
    List<Booked> out = new ArrayList<>();
    for (Credentials r : riders) {
      Offer o = f.offer(r, driver, 40_000_000L);
      long g = gas(f.ledger(r).book(ContractStructs.offer(o), f.sign(o, driver)).send());
      out.add(new Booked(r, f.receipt(o.rideId(), 5_200, 900), g));
    }
    return out;
  }

  private void settleAll(List<Booked> rides, Credentials driver) throws Exception {
    for (int i = 0; i < rides.size(); i += 25) {
      List<Booked> chunk = rides.subList(i, Math.min(rides.size(), i + 25));
      f.ledger(driver).settleBatch(chunk.stream().map(b -> ContractStructs.receipt(b.receipt)).toList(),
          chunk.stream().map(b -> f.cosign(b.receipt, b.rider)).toList()).send();
    }
  }

  private long settleBatch(List<Booked> rides, Credentials driver, String label) throws Exception {
    TransactionReceipt tx = f.ledger(driver).settleBatch(
        rides.stream().map(b -> ContractStructs.receipt(b.receipt)).toList(),
        rides.stream().map(b -> f.cosign(b.receipt, b.rider)).toList()).send();
    long perRide = gas(tx) / rides.size();
    rows.put(label, fmt(perRide) + " (tx " + fmt(gas(tx)) + ")");
    return perRide;
  }

  private static long avg(List<Booked> rides) {
    return (long) rides.stream().mapToLong(Booked::gas).average().orElse(0);
  }

  static long gas(TransactionReceipt r) {
    return r.getGasUsed().longValueExact();
  }

  static String fmt(long v) {
    return String.format("%,d", v);
  }

  static String fmt(LongSupplier v) {
    return fmt(v.getAsLong());
  }

  private String table() {
    StringBuilder sb = new StringBuilder();
    sb.append("Measured by `GasBenchmark` on Anvil (solc-js 0.8.37, viaIR, optimizer 10,000 runs, evm cancun);\n");
    sb.append("gasUsed from receipts, 21,000 intrinsic gas and calldata included. Command:\n\n");
    sb.append("```\n./mvnw -q -B -pl contracts test-compile exec:java -Dexec.classpathScope=test "
        + "-Dexec.mainClass=org.ridecoop.benchmark.GasBenchmark\n```\n\n");
    sb.append("| operation | gas |\n|---|---:|\n");
    rows.forEach((k, v) -> sb.append("| ").append(k).append(" | ").append(v).append(" |\n"));
    sb.append("\nTargets: book <= 50,000; settle in a batch of 50 <= 25,000 per ride; whole ride <= 75,000.\n");
    sb.append("For scale: public open-source ride-sharing contracts spend 620,000-1,000,000 gas per ride.\n");
    return sb.toString();
  }
}
