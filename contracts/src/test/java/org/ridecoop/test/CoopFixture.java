package org.ridecoop.test;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.ridecoop.chain.ChainAccess;
import org.ridecoop.contracts.CoopGovernor;
import org.ridecoop.contracts.CoopToken;
import org.ridecoop.contracts.FareSchedule;
import org.ridecoop.contracts.Membership;
import org.ridecoop.contracts.RideLedger;
import org.ridecoop.contracts.Treasury;
import org.ridecoop.deploy.Deployer;
import org.ridecoop.deploy.DeploymentConfig;
import org.ridecoop.deploy.DeploymentManifest;
import org.ridecoop.devchain.AnvilChain;
import org.ridecoop.fare.FareParams;
import org.ridecoop.governance.Proposal;
import org.ridecoop.protocol.ContractStructs;
import org.ridecoop.protocol.Eip712Domain;
import org.ridecoop.protocol.MessageSigner;
import org.ridecoop.protocol.Offer;
import org.ridecoop.protocol.TripReceipt;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.tx.Contract;

/**
 * A whole ridecoop deployment on Anvil, with the moves tests make most: fund an account, make
 * it a member, deposit, sign and book an offer, co-sign a receipt, check the money invariant.
 * Deploy it in {@code @BeforeAll}; the {@link AnvilExtension} reverts each test's changes.
 *
 * <p>Dev accounts: 0 deployer, 1 on-ramp, 2 dispute committee, 3-9 drivers, 10-19 riders.
 */
public final class CoopFixture {
  public final AnvilChain chain;
  public final ChainAccess access;
  public final DeploymentManifest manifest;
  public final DeploymentConfig config;
  public final Credentials deployer;
  public final Credentials onRamp;
  public final Credentials committee;
  public final Eip712Domain ledgerDomain;

  private CoopFixture(AnvilChain chain, ChainAccess access, DeploymentConfig config) throws Exception {
    this.chain = chain;
    this.access = access;
    this.config = config;
    this.deployer = chain.account(0);
    this.onRamp = chain.account(1);
    this.committee = chain.account(2);
    this.manifest = new Deployer(chain.web3j(), access.transactionManager(deployer), access.gasProvider())
        .deploy(config);
    this.ledgerDomain = Eip712Domain.rideLedger(chain.chainId(), manifest.address("RideLedger"));
  }

  /** Deploys with the development defaults. */
  public static CoopFixture deploy(AnvilChain chain, ChainAccess access) throws Exception {
    return deploy(chain, access, DeploymentConfig.devDefaults(
        chain.account(1).getAddress(), chain.account(2).getAddress()));
  }

  /** Deploys with {@code config}. */
  public static CoopFixture deploy(AnvilChain chain, ChainAccess access, DeploymentConfig config)
      throws Exception {
    return new CoopFixture(chain, access, config);
  }

  /** Driver dev account {@code i} (0..6). */
  public Credentials driver(int i) {
    return chain.account(3 + i);
  }

  /** Rider dev account {@code i} (0..9). */
  public Credentials rider(int i) {
    return chain.account(10 + i);
  }

  // ------------------------------------------------------------------ wrappers as an account

  public CoopToken token(Credentials as) {
    return CoopToken.load(manifest.address("CoopToken"), chain.web3j(), access.transactionManager(as), access.gasProvider());
  }

  public RideLedger ledger(Credentials as) {
    return RideLedger.load(manifest.address("RideLedger"), chain.web3j(), access.transactionManager(as), access.gasProvider());
  }

  public Treasury treasury(Credentials as) {
    return Treasury.load(manifest.address("Treasury"), chain.web3j(), access.transactionManager(as), access.gasProvider());
  }

  public FareSchedule schedule(Credentials as) {
    return FareSchedule.load(manifest.address("FareSchedule"), chain.web3j(), access.transactionManager(as), access.gasProvider());
  }

  public Membership membership(Credentials as) {
    return Membership.load(manifest.address("Membership"), chain.web3j(), access.transactionManager(as), access.gasProvider());
  }

  public CoopGovernor governor(Credentials as) {
    return CoopGovernor.load(manifest.address("CoopGovernor"), chain.web3j(), access.transactionManager(as), access.gasProvider());
  }
  /**
   * Carries {@code proposal} through governance on this chain: proposed by the first voter, voted
   * for by every one of {@code voters}, queued, and executed after the timelock (blocks mined and
   * time moved as needed).
   */
  public void carry(Proposal proposal, List<Credentials> voters) throws Exception {
    CoopGovernor governor = governor(voters.get(0));
    proposal.propose(governor);
    BigInteger id = proposal.id(governor);
    chain.mine(config.votingDelayBlocks() + 1);
    for (Credentials voter : voters) {
      governor(voter).castVote(id, BigInteger.ONE).send();
    }
    chain.mine(config.votingPeriodBlocks() + 1);
    proposal.queue(governor);
    chain.increaseTime(config.timelockDelaySeconds() + 1);
    chain.mine(1); // preflights run on the pending block: give it the new time
    proposal.execute(governor);
  }


  // ------------------------------------------------------------------ moves

  /** Mints {@code amount} base units to {@code to} through the on-ramp. */
  public void fund(Credentials to, long amount) throws Exception {
    token(onRamp).onRamp(to.getAddress(), BigInteger.valueOf(amount), new byte[32]).send();
  }

  /** Funds the share price and joins {@code college} (0 drivers, 1 riders, 2 supporters). */
  public void join(Credentials who, int college) throws Exception {
    if (membership(who).statusOf(who.getAddress()).send().intValue() == 0) {
      membership(who).registerUser().send();
    }
    fund(who, config.sharePrice().longValueExact());
    token(who).approve(manifest.address("Membership"), config.sharePrice()).send();
    membership(who).join(BigInteger.valueOf(college)).send();
  }

  /** Funds and deposits {@code amount} into {@code rider}'s ledger wallet. */
  public void deposit(Credentials rider, long amount) throws Exception {
    fund(rider, amount);
    token(rider).approve(manifest.address("RideLedger"), BigInteger.valueOf(amount)).send();
    ledger(rider).deposit(BigInteger.valueOf(amount)).send();
  }

  /** The rider's next ride nonce. */
  public long nextRideNonce(Credentials rider) throws Exception {
    return ledger(rider).walletOf(rider.getAddress()).send().component2().longValueExact();
  }

  /** The id the rider's next booking will get. */
  public BigInteger rideIdOfNextBooking(Credentials rider) throws Exception {
    return org.ridecoop.protocol.RideIds.of(rider.getAddress(), nextRideNonce(rider));
  }

  /** An offer by {@code driver} to {@code rider} for {@code maxFare}, valid ten minutes. */
  public Offer offer(Credentials rider, Credentials driver, long maxFare) throws Exception {
    int version = ledger(rider).currentScheduleVersion().send().intValueExact();
    return new Offer(Hash.sha3(("request-" + System.nanoTime()).getBytes()), rider.getAddress(),
        driver.getAddress(), BigInteger.valueOf(maxFare), nextRideNonce(rider), 120, version,
        now() + 600);
  }

  /** The driver's EIP-712 signature of {@code offer}. */
  public byte[] sign(Offer offer, Credentials driver) {
    return MessageSigner.sign(ledgerDomain, offer.structHash(), driver);
  }

  /** The rider's EIP-712 co-signature of {@code receipt}. */
  public byte[] cosign(TripReceipt receipt, Credentials rider) {
    return MessageSigner.sign(ledgerDomain, receipt.structHash(), rider);
  }

  /** Books a fresh offer of {@code driver} for {@code rider}; returns the ride id. */
  public BigInteger book(Credentials rider, Credentials driver, long maxFare) throws Exception {
    Offer o = offer(rider, driver, maxFare);
    ledger(rider).book(ContractStructs.offer(o), ContractStructs.signature(sign(o, driver))).send();
    return o.rideId();
  }

  /**
   * A receipt for {@code rideId} with pickup and drop-off stamped at the latest block's time (on
   * an instantly mining dev chain the ride is booked and driven within the same second).
   */
  public TripReceipt receipt(BigInteger rideId, long metres, long seconds) throws Exception {
    long now = now();
    return new TripReceipt(rideId, metres, seconds, now, now,
        Hash.sha3(("route-" + rideId).getBytes()));
  }

  /** The latest block's timestamp. */
  public long now() throws Exception {
    return chain.web3j().ethGetBlockByNumber(DefaultBlockParameterName.LATEST, false).send()
        .getBlock().getTimestamp().longValueExact();
  }

  /** The fare parameters of {@code version} as stored on chain. */
  public FareParams fareParams(int version) throws Exception {
    return ContractStructs.fareParams(schedule(deployer).params(BigInteger.valueOf(version)).send());
  }

  // ------------------------------------------------------------------ invariant

  /**
   * The money invariant, to the unit: CoopToken held by the ledger and the treasury equals
   * wallets + escrows + unwithdrawn earnings + reserve + solidarity + operations + unclaimed
   * dividends. {@code accounts} must include every account that touched the ledger and
   * {@code rideIds} every ride booked.
   */
  public void assertMoneyInvariant(Collection<String> accounts, Collection<BigInteger> rideIds) throws Exception {
    RideLedger ledger = ledger(deployer);
    BigInteger wallets = BigInteger.ZERO;
    BigInteger earnings = BigInteger.ZERO;
    for (String a : accounts) {
      wallets = wallets.add(ledger.walletOf(a).send().component1());
      earnings = earnings.add(ledger.driverOf(a).send().component1());
    }
    BigInteger escrows = BigInteger.ZERO;
    for (BigInteger id : rideIds) {
      var ride = ledger.rideOf(id).send();
      int status = ride.component6().intValue();
      if (status == 1 || status == 2 || status == 3) { // Booked, ReceiptPending, Disputed
        escrows = escrows.add(ride.component3());
      }
    }
    var funds = treasury(deployer).funds().send();
    BigInteger treasuryHeld = funds.component1().add(funds.component2()).add(funds.component3()).add(funds.component4());
    CoopToken token = token(deployer);
    BigInteger ledgerBalance = token.balanceOf(manifest.address("RideLedger")).send();
    BigInteger treasuryBalance = token.balanceOf(manifest.address("Treasury")).send();
    assertThat(ledgerBalance).as("ledger tokens = wallets + escrows + earnings")
        .isEqualTo(wallets.add(escrows).add(earnings));
    assertThat(treasuryBalance).as("treasury tokens = reserve + solidarity + operations + unclaimed dividends")
        .isEqualTo(treasuryHeld);
  }

  /** Every address the fixture's named dev accounts have. */
  public List<String> devAddresses() {
    List<String> all = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      all.add(chain.account(i).getAddress());
    }
    return all;
  }

  /** Loads any wrapper type for an account (for contracts not covered above). */
  public <T extends Contract> T as(Class<T> type, String name, Credentials as) throws Exception {
    return type.cast(type.getMethod("load", String.class, org.web3j.protocol.Web3j.class,
            org.web3j.tx.TransactionManager.class, org.web3j.tx.gas.ContractGasProvider.class)
        .invoke(null, manifest.address(name), chain.web3j(), access.transactionManager(as), access.gasProvider()));
  }
}
