package org.ridecoop.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ridecoop.chain.ChainAccess;
import org.ridecoop.chain.ContractRevertException;
import org.ridecoop.devchain.AnvilChain;
import org.ridecoop.protocol.ContractStructs;
import org.ridecoop.protocol.TripReceipt;
import org.ridecoop.test.AnvilExtension;
import org.ridecoop.test.CoopFixture;
import org.web3j.crypto.Credentials;

/**
 * Random operation sequences (deposit, book, cancel, settle, batch-settle, uncosigned receipt,
 * timeout, dispute, ruling, close epoch, claim, withdraw) from a seeded generator; the money
 * invariant is checked after every step. A failure prints the seed and the sequence so it can be
 * replayed with {@code -Dridecoop.fuzz.seed=<seed> -Dridecoop.fuzz.sequences=1}.
 */
@ExtendWith(AnvilExtension.class)
class MoneyInvariantFuzzTest {
  static final int SEQUENCES = Integer.getInteger("ridecoop.fuzz.sequences", 1_000);
  static final long SEED = Long.getLong("ridecoop.fuzz.seed", 20261124L);
  static final int STEPS = 8;

  static CoopFixture f;
  static List<Credentials> drivers;
  static List<Credentials> riders;
  static List<String> actors;

  @BeforeAll
  static void deploy(AnvilChain chain, ChainAccess access) throws Exception {
    f = CoopFixture.deploy(chain, access);
    drivers = List.of(f.driver(0), f.driver(1));
    riders = List.of(f.rider(0), f.rider(1), f.rider(2));
    for (Credentials d : drivers) {
      f.join(d, 0);
    }
    f.join(riders.get(0), 1); // a rider member earns patronage; the others do not
    actors = new ArrayList<>();
    drivers.forEach(d -> actors.add(d.getAddress()));
    riders.forEach(r -> actors.add(r.getAddress()));
  }

  /** A ride the generator knows of. */
  record Ride(BigInteger id, Credentials rider, Credentials driver) {}

  @Test
  void theMoneyInvariantHoldsAfterEveryStepOfRandomSequences() throws Exception {
    Random seeds = new Random(SEED);
    int reverted = 0;
    int steps = 0;
    for (int s = 0; s < SEQUENCES; s++) {
      long seed = seeds.nextLong();
      String snapshot = f.chain.snapshot();
      List<String> log = new ArrayList<>();
      Map<BigInteger, Ride> rides = new LinkedHashMap<>();
      try {
        Random random = new Random(seed);
        for (int i = 0; i < STEPS; i++) {
          String op = step(random, rides);
          if (op.endsWith("!")) {
            reverted++;
          }
          log.add(op);
          steps++;
          f.assertMoneyInvariant(actors, rides.keySet());
        }
      } catch (Throwable t) {
        throw new AssertionError("money invariant broken; sequence seed " + seed + " (run seed "
            + SEED + ", sequence " + s + "): " + String.join(" -> ", log), t);
      } finally {
        f.chain.revert(snapshot);
      }
    }
    System.out.printf("fuzz: %d sequences, %d steps, %d expected reverts%n", SEQUENCES, steps, reverted);
    assertThat(steps).isEqualTo(SEQUENCES * STEPS);
  }

  /** Runs one random operation; returns its description, ending in "!" if it reverted. */
  private String step(Random random, Map<BigInteger, Ride> rides) throws Exception {
    Credentials rider = riders.get(random.nextInt(riders.size()));
    Credentials driver = drivers.get(random.nextInt(drivers.size()));
    List<Ride> known = new ArrayList<>(rides.values());
    Ride any = known.isEmpty() ? null : known.get(random.nextInt(known.size()));
    int pick = random.nextInt(100);
    if (any == null && pick >= 38) {
      pick = 18 + random.nextInt(20); // nothing booked yet: book instead
    }
    String op = "op" + pick;
    try {
      if (pick < 18) {
        long amount = 1 + random.nextInt(60_000_000);
        op = "deposit(" + name(rider) + "," + amount + ")";
        f.deposit(rider, amount);
      } else if (pick < 38) {
        long maxFare = 1 + random.nextInt(50_000_000);
        op = "book(" + name(rider) + "," + name(driver) + "," + maxFare + ")";
        BigInteger id = f.book(rider, driver, maxFare);
        rides.put(id, new Ride(id, rider, driver));
      } else if (pick < 50) {
        op = "settle(" + any.id() + ")";
        TripReceipt r = f.receipt(any.id(), random.nextInt(40_000), random.nextInt(3_600));
        f.ledger(any.driver()).settle(ContractStructs.receipt(r), f.cosign(r, any.rider())).send();
      } else if (pick < 58) {
        List<Ride> ofDriver = known.stream().filter(k -> k.driver().equals(driver)).toList();
        op = "settleBatch(" + ofDriver.size() + " rides)";
        List<TripReceipt> receipts = new ArrayList<>();
        List<byte[]> sigs = new ArrayList<>();
        for (Ride k : ofDriver) {
          TripReceipt r = f.receipt(k.id(), random.nextInt(40_000), random.nextInt(3_600));
          receipts.add(r);
          sigs.add(f.cosign(r, k.rider()));
        }
        f.ledger(driver).settleBatch(receipts.stream().map(ContractStructs::receipt).toList(), sigs).send();
      } else if (pick < 63) {
        op = "cancelByRider(" + any.id() + ")";
        f.ledger(any.rider()).cancelByRider(any.id()).send();
      } else if (pick < 67) {
        op = "cancelByDriver(" + any.id() + ")";
        f.ledger(any.driver()).cancelByDriver(any.id()).send();
      } else if (pick < 72) {
        op = "submitReceipt(" + any.id() + ")";
        TripReceipt r = f.receipt(any.id(), random.nextInt(40_000), random.nextInt(3_600));
        f.ledger(any.driver()).submitReceipt(ContractStructs.receipt(r)).send();
      } else if (pick < 75) {
        op = "finalize(" + any.id() + ")";
        f.ledger(rider).finalizeReceipts(List.of(any.id())).send();
      } else if (pick < 79) {
        op = "dispute(" + any.id() + ")";
        f.ledger(random.nextBoolean() ? any.rider() : any.driver()).dispute(any.id(), new byte[32]).send();
      } else if (pick < 82) {
        long ruling = random.nextInt(50_000_000);
        op = "resolve(" + any.id() + "," + ruling + ")";
        f.ledger(f.committee).resolveDispute(any.id(), BigInteger.valueOf(ruling), new byte[32]).send();
      } else if (pick < 85) {
        op = "reclaim(" + any.id() + ")";
        f.ledger(any.rider()).reclaim(any.id()).send();
      } else if (pick < 89) {
        long seconds = random.nextInt(3) == 0 ? f.config.epochLengthSeconds() : 1 + random.nextInt(30_000);
        op = "time(+" + seconds + "s)";
        f.chain.increaseTime(seconds);
      } else if (pick < 92) {
        op = "closeEpoch";
        long epoch = f.treasury(rider).currentEpoch().send().longValueExact() - 1;
        f.treasury(rider).closeEpoch(BigInteger.valueOf(epoch)).send();
      } else if (pick < 95) {
        Credentials who = random.nextBoolean() ? driver : riders.get(0);
        op = "claim(" + name(who) + ")";
        long epoch = f.treasury(who).currentEpoch().send().longValueExact() - 1;
        f.treasury(who).claim(BigInteger.valueOf(epoch)).send();
      } else if (pick < 98) {
        long amount = 1 + random.nextInt(40_000_000);
        op = "withdraw(" + name(rider) + "," + amount + ")";
        f.ledger(rider).withdraw(BigInteger.valueOf(amount)).send();
      } else {
        long amount = 1 + random.nextInt(5_000_000);
        op = "withdrawEarnings(" + name(driver) + "," + amount + ")";
        f.ledger(driver).withdrawEarnings(BigInteger.valueOf(amount)).send();
      }
    } catch (ContractRevertException e) {
      return op + " reverted " + e.errorName() + "!";
    }
    return op;
  }

  private static String name(Credentials c) {
    return c.getAddress().substring(0, 6);
  }
}
