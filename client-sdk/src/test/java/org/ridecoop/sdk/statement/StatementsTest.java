package org.ridecoop.sdk.statement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ridecoop.chain.ChainAccess;
import org.ridecoop.contracts.RideLedger;
import org.ridecoop.devchain.AnvilChain;
import org.ridecoop.protocol.ContractStructs;
import org.ridecoop.protocol.TripReceipt;
import org.ridecoop.test.AnvilExtension;
import org.ridecoop.test.CoopFixture;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Keys;
import org.web3j.protocol.core.DefaultBlockParameter;

/**
 * Statements on a real chain: a driver member with a registered node drives two rides that are
 * settled, withdraws part of the earnings; the node issues the driver's and the rider's
 * statements, which verify, and every kind of tampering is caught and named.
 */
@ExtendWith(AnvilExtension.class)
class StatementsTest {
  static CoopFixture f;
  static Credentials driver, rider, node;
  static Statements statements;
  static LocalDate from, to;
  static final List<RideLedger.RideSettledEventResponse> settled = new ArrayList<>();
  static BigInteger withdrawn = BigInteger.valueOf(5_000_000);

  @BeforeAll
  static void twoRidesSettled(AnvilChain chain, ChainAccess access) throws Exception {
    f = CoopFixture.deploy(chain, access);
    driver = f.driver(0);
    rider = f.rider(0);
    node = Credentials.create(Keys.createEcKeyPair());
    f.join(driver, 0);
    f.join(rider, 1);
    f.membership(driver).registerNode(node.getAddress(), "http://127.0.0.1:1", new byte[0], List.of(new BigInteger("871fb4662ffffff", 16))).send();
    f.deposit(rider, 100_000_000L);
    for (int i = 0; i < 2; i++) {
      BigInteger id = f.book(rider, driver, 40_000_000L);
      TripReceipt r = f.receipt(id, 4_000 + 3_000 * i, 700 + 300 * i);
      var receipt = f.ledger(driver).settle(ContractStructs.receipt(r), ContractStructs.signature(f.cosign(r, rider))).send();
      settled.addAll(RideLedger.getRideSettledEvents(receipt));
    }
    f.ledger(driver).withdrawEarnings(withdrawn).send();
    statements = new Statements(chain.web3j(), f.manifest);
    from = day(f.manifest.deploymentBlock());
    to = LocalDate.ofInstant(Instant.ofEpochSecond(f.now()), ZoneOffset.UTC);
  }

  @AfterAll
  static void close() {
    statements.close();
  }

  @Test
  void theDriversStatementListsEveryMoneyLineAndVerifies() throws Exception {
    Statement s = statements.issue(driver.getAddress(), from, to, node);

    assertThat(s.lines()).extracting(StatementLine::kind).containsExactly(
        LineKind.CAPITAL_PAID, LineKind.RIDE_EARNED, LineKind.RIDE_EARNED, LineKind.EARNINGS_WITHDRAWN);
    for (int i = 0; i < 2; i++) {
      StatementLine ride = s.lines().get(1 + i);
      var e = settled.get(i);
      assertThat(ride.reference()).isEqualTo("0x" + e.rideId.toString(16));
      assertThat(ride.tx()).isEqualTo(e.log.getTransactionHash());
      assertThat(ride.gross()).isEqualTo(e.fare);
      assertThat(ride.commission()).isEqualTo(e.commission).isPositive();
      assertThat(ride.net()).isEqualTo(e.fare.subtract(e.commission));
    }
    KindTotal earned = s.totals().get(LineKind.RIDE_EARNED.ordinal());
    assertThat(earned.count()).isEqualTo(2);
    assertThat(earned.net()).isEqualTo(settled.get(0).fare.subtract(settled.get(0).commission)
        .add(settled.get(1).fare).subtract(settled.get(1).commission));
    assertThat(s.lines().get(3).net()).isEqualTo(withdrawn);
    // The chain is pinned: the last block's number and hash.
    assertThat(s.toBlockHash()).isEqualTo(f.chain.web3j().ethGetBlockByNumber(
        DefaultBlockParameter.valueOf(BigInteger.valueOf(s.toBlock())), false).send().getBlock().getHash());
    assertThat(s.signer()).isEqualTo(node.getAddress().toLowerCase(Locale.ROOT));

    Statement read = Statement.fromJson(s.toJson());
    assertThat(read).usingRecursiveComparison().isEqualTo(s);
    assertThat(read.differencesFromCanonical(s.toJson())).isEmpty();
    assertThat(statements.verify(read).differences()).isEmpty();
  }

  @Test
  void theRidersStatementListsTheFaresPaid() throws Exception {
    Statement s = statements.issue(rider.getAddress(), from, to, node);
    assertThat(s.lines()).extracting(StatementLine::kind)
        .containsExactly(LineKind.CAPITAL_PAID, LineKind.RIDE_PAID, LineKind.RIDE_PAID);
    assertThat(s.lines().get(1).net()).isEqualTo(settled.get(0).fare);
    assertThat(statements.verify(s).ok()).isTrue();
  }

  @Test
  void aTamperedLineIsNamed() throws Exception {
    Statement s = statements.issue(driver.getAddress(), from, to, node);
    String json = s.toJson();
    String net = s.lines().get(1).net().toString();
    Statement tampered = Statement.fromJson(json.replaceFirst("\"net\" : " + net + ",", "\"net\" : " + net + "1,"));

    List<String> d = statements.verify(tampered).differences();
    assertThat(d).anySatisfy(x -> assertThat(x).startsWith("line 2 (ride_earned").contains("net statement " + net + "1, chain " + net));
    assertThat(d).anySatisfy(x -> assertThat(x).startsWith("signature: does not match"));
  }

  @Test
  void aTamperedTotalIsNamed() throws Exception {
    Statement s = statements.issue(driver.getAddress(), from, to, node);
    KindTotal earned = s.totals().get(LineKind.RIDE_EARNED.ordinal());
    String json = s.toJson().replace("\"count\" : 2,\n    \"gross\" : " + earned.gross() + ",\n    \"commission\" : "
        + earned.commission() + ",\n    \"net\" : " + earned.net(),
        "\"count\" : 2,\n    \"gross\" : " + earned.gross() + ",\n    \"commission\" : " + earned.commission()
            + ",\n    \"net\" : " + earned.net().add(BigInteger.TEN));
    assertThat(json).isNotEqualTo(s.toJson());

    assertThat(Statement.fromJson(json).differencesFromCanonical(json)).containsExactly(
        "totals[0].net: written " + earned.net().add(BigInteger.TEN) + ", the statement's lines give " + earned.net());
  }

  @Test
  void aTamperedSignatureIsNamed() throws Exception {
    Statement s = statements.issue(driver.getAddress(), from, to, node);
    char last = s.signature().charAt(10);
    String sig = s.signature().substring(0, 10) + (last == '0' ? '1' : '0') + s.signature().substring(11);
    Statement tampered = new Statement(s.chainId(), s.contracts(), s.member(), s.from(), s.to(), s.fromBlock(),
        s.toBlock(), s.toBlockHash(), s.lines(), s.signer(), sig);
    assertThat(statements.verify(tampered).differences()).singleElement().asString().startsWith("signature: ");
  }

  @Test
  void aDifferentBlockHashIsNamed() throws Exception {
    Statement s = statements.issue(driver.getAddress(), from, to, node);
    String other = "0x" + "ab".repeat(32);
    Statement moved = new Statement(s.chainId(), s.contracts(), s.member(), s.from(), s.to(), s.fromBlock(),
        s.toBlock(), other, s.lines(), "", "").signedBy(node);
    assertThat(statements.verify(moved).differences()).singleElement().asString()
        .startsWith("toBlockHash: statement " + other + ", block " + s.toBlock() + " on this chain is " + s.toBlockHash());
  }

  @Test
  void aSignerThatIsNoNodeOfTheCoopIsRefused() throws Exception {
    Credentials stranger = Credentials.create(Keys.createEcKeyPair());
    Statement s = statements.issue(driver.getAddress(), from, to, stranger);
    assertThat(statements.verify(s).differences()).containsExactly("signer: " + stranger.getAddress().toLowerCase(Locale.ROOT)
        + " is neither a node registered in the co-op nor the member");
    // The member's own signature is accepted: it is their copy.
    assertThat(statements.verify(statements.issue(driver.getAddress(), from, to, driver)).ok()).isTrue();
  }

  @Test
  void theCsvCarriesTheSameLinesAsTheJson() throws Exception {
    Statement s = statements.issue(driver.getAddress(), from, to, node);
    List<String> rows = s.toCsv().lines().filter(l -> !l.startsWith("#")).toList();
    assertThat(rows.get(0)).isEqualTo("kind,block,tx,log_index,reference,gross,commission,net,gross_eur,commission_eur,net_eur");
    assertThat(rows).hasSize(1 + s.lines().size());
    for (int i = 0; i < s.lines().size(); i++) {
      StatementLine l = s.lines().get(i);
      String[] c = rows.get(1 + i).split(",", -1);
      assertThat(new StatementLine(LineKind.ofWire(c[0]), Long.parseLong(c[1]), c[2], Long.parseLong(c[3]), c[4],
          new BigInteger(c[5]), new BigInteger(c[6]), new BigInteger(c[7]))).isEqualTo(l);
      assertThat(c[10]).isEqualTo(Statement.euros(l.net()));
    }
    assertThat(s.toCsv()).contains("# chain id," + f.chain.chainId() + "\n")
        .contains("# blocks," + s.fromBlock() + "," + s.toBlock() + "," + s.toBlockHash() + "\n")
        .contains("# signer," + s.signer() + "\n").contains("# signature," + s.signature() + "\n")
        .contains("# period," + from + "," + to + "\n");
  }

  @Test
  void theSignedHashDoesNotDependOnTheOrderContractsWereGivenIn() throws Exception {
    Statement s = statements.issue(driver.getAddress(), from, to, node);
    java.util.Map<String, String> reversed = new java.util.LinkedHashMap<>();
    new java.util.TreeMap<>(s.contracts()).descendingMap().forEach(reversed::put);
    Statement same = new Statement(s.chainId(), reversed, s.member(), s.from(), s.to(), s.fromBlock(), s.toBlock(),
        s.toBlockHash(), s.lines(), s.signer(), s.signature());
    assertThat(same.contentHash()).isEqualTo(s.contentHash());
    assertThat(same.toJson()).isEqualTo(s.toJson());
    assertThat(s.toJson().indexOf("\"Membership\"")).isLessThan(s.toJson().indexOf("\"RideLedger\""));
    assertThat(s.toJson().indexOf("\"RideLedger\"")).isLessThan(s.toJson().indexOf("\"Treasury\""));
  }

  @Test
  void aPeriodWithoutBlocksOrBackwardsIsRefused() {
    assertThatThrownBy(() -> statements.issue(driver.getAddress(), to.plusDays(2), to.plusDays(3), node))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no block of this co-op falls in");
    assertThatThrownBy(() -> statements.issue(driver.getAddress(), to, to.minusDays(1), node))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ends");
  }

  private static LocalDate day(long block) throws Exception {
    long t = f.chain.web3j().ethGetBlockByNumber(DefaultBlockParameter.valueOf(BigInteger.valueOf(block)), false).send()
        .getBlock().getTimestamp().longValueExact();
    return LocalDate.ofInstant(Instant.ofEpochSecond(t), ZoneOffset.UTC);
  }
}
