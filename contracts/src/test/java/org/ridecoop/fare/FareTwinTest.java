package org.ridecoop.fare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ridecoop.test.Reverts.assertRevert;

import java.math.BigInteger;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.ridecoop.chain.ChainAccess;
import org.ridecoop.contracts.FareSchedule;
import org.ridecoop.devchain.AnvilChain;
import org.ridecoop.protocol.ContractStructs;
import org.ridecoop.test.AnvilExtension;
import org.ridecoop.test.CoopFixture;

/** The Java fare equals FareSchedule.fare on chain, rounding edges included. */
@ExtendWith(AnvilExtension.class)
class FareTwinTest {
  static CoopFixture f;
  static FareSchedule schedule;
  static FareParams p;

  @BeforeAll
  static void deploy(AnvilChain chain, ChainAccess access) throws Exception {
    f = CoopFixture.deploy(chain, access);
    schedule = f.schedule(f.deployer);
    p = f.fareParams(1);
  }

  long onChain(long metres, long seconds) throws Exception {
    return schedule.fare(BigInteger.ONE, BigInteger.valueOf(metres), BigInteger.valueOf(seconds)).send().longValueExact();
  }

  @ParameterizedTest(name = "{0} m, {1} s")
  @CsvSource({
    "0, 0", // minimum fare applies
    "1, 1", "999, 59", "1000, 60", "1001, 61", // just around a km and a minute
    "2857, 0", "2858, 0", // variable part crossing a unit boundary
    "5200, 900", "12000, 1800", "35000, 2700", // ordinary city rides
    "4294967295, 0", "0, 4294967295", // uint32 extremes
  })
  void javaFareEqualsOnChainFare(long metres, long seconds) throws Exception {
    assertThat(Fare.of(p, metres, seconds)).isEqualTo(onChain(metres, seconds));
  }

  @Test
  void randomRidesAgree() throws Exception {
    Random random = new Random(42);
    for (int i = 0; i < 200; i++) {
      long m = random.nextInt(80_000);
      long s = random.nextInt(7_200);
      assertThat(Fare.of(p, m, s)).as("%d m, %d s", m, s).isEqualTo(onChain(m, s));
    }
  }

  @Test
  void storedParametersAreTheStandardOnes() {
    assertThat(p).isEqualTo(FareParams.standard());
    assertThat(ContractStructs.fareParams(ContractStructs.fareParams(p))).isEqualTo(p);
  }

  @Test
  void unknownVersionReverts() {
    assertRevert(() -> schedule.fare(BigInteger.TWO, BigInteger.ONE, BigInteger.ONE).send(), "UnknownVersion");
    assertRevert(() -> schedule.params(BigInteger.ZERO).send(), "UnknownVersion");
  }

  @Test
  void onlyGovernancePublishes() {
    assertRevert(() -> schedule.publish(ContractStructs.fareParams(p)).send(), "NotGovernance");
  }
}
