package org.ridecoop.node.besu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ridecoop.chain.ChainAccess;
import org.ridecoop.contracts.CoopGovernor;
import org.ridecoop.contracts.CoopToken;
import org.ridecoop.contracts.Membership;
import org.ridecoop.contracts.RideLedger;
import org.ridecoop.chain.RevertDecoder;
import org.ridecoop.deploy.Deployer;
import org.ridecoop.deploy.DeploymentConfig;
import org.ridecoop.deploy.DeploymentManifest;
import org.ridecoop.governance.College;
import org.ridecoop.governance.Proposal;
import org.ridecoop.node.permissions.Allowlists;
import org.ridecoop.node.permissions.BesuPermissioning;
import org.ridecoop.node.permissions.MembershipAllowlist;
import org.ridecoop.node.permissions.PermissionsSync;
import org.ridecoop.protocol.ContractStructs;
import org.ridecoop.protocol.Eip712Domain;
import org.ridecoop.protocol.MessageSigner;
import org.ridecoop.protocol.Offer;
import org.ridecoop.protocol.TripReceipt;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.crypto.Keys;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.http.HttpService;

/**
 * The contracts on the production chain: a one-validator QBFT Besu (the pinned image, the genesis
 * from {@code chain genesis}'s code, free gas, local permissioning) with the permissions sync in
 * front of it. One ride, one vote, and a non-member's transaction refused by Besu's allowlist.
 *
 * <p>Needs a Docker engine; without one the class is reported as skipped, never as passed.
 */
@Testcontainers(disabledWithoutDocker = true)
class BesuNetworkIT {

  /** The image docker/docker-compose.yml pins. */
  static final String BESU_IMAGE = "hyperledger/besu:26.9.0";
  static final long CHAIN_ID = 1337;

  @TempDir
  static Path dir;

  static GenericContainer<?> besu;
  static Web3j web3j;
  static ChainAccess access;
  static DeploymentManifest manifest;
  static PermissionsSync sync;
  static final Credentials DEPLOYER = fresh();
  static final Credentials DRIVER = fresh();
  static final Credentials RIDER = fresh();
  static final Credentials STRANGER = fresh();

  static Credentials fresh() {
    try {
      return Credentials.create(Keys.createEcKeyPair());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @BeforeAll
  static void network() throws Exception {
    Validator validator = new Validator("validator1", Keys.createEcKeyPair(), "127.0.0.1", 30303);
    QbftGenesis genesis = new QbftGenesis(CHAIN_ID, List.of(validator), List.of(DEPLOYER.getAddress()), 1, 4, 30000);
    Path net = dir.resolve("net");
    NetworkFiles.write(net, genesis, List.of(DEPLOYER.getAddress()));
    Path own = net.resolve("validator1");

    besu = new GenericContainer<>(DockerImageName.parse(BESU_IMAGE))
        .withExposedPorts(8545)
        // Besu runs as uid 1000: the key readable, the permissions file writable (Besu writes changes back)
        .withCopyFileToContainer(MountableFile.forHostPath(net.resolve("genesis.json"), 0444), "/config/genesis.json")
        .withCopyFileToContainer(MountableFile.forHostPath(own.resolve("key"), 0444), "/config/key")
        .withCopyFileToContainer(MountableFile.forHostPath(own.resolve(NetworkFiles.PERMISSIONS_FILE), 0666),
            "/config/permissions_config.toml")
        .withEnv("BESU_HOST_ALLOWLIST", "*")
        .withCommand("--genesis-file=/config/genesis.json", "--data-path=/opt/besu/data",
            "--node-private-key-file=/config/key", "--rpc-http-enabled=true",
            "--rpc-http-api=ETH,NET,WEB3,QBFT,TXPOOL,ADMIN,PERM", "--min-gas-price=0", "--revert-reason-enabled=true",
            "--profile=ENTERPRISE", "--discovery-enabled=false",
            "--permissions-accounts-config-file-enabled=true",
            "--permissions-accounts-config-file=/config/permissions_config.toml",
            "--permissions-nodes-config-file-enabled=true",
            "--permissions-nodes-config-file=/config/permissions_config.toml")
        .waitingFor(Wait.forLogMessage(".*Ethereum main loop is up.*", 1).withStartupTimeout(Duration.ofMinutes(3)));
    besu.start();
    String url = "http://" + besu.getHost() + ":" + besu.getMappedPort(8545) + "/";
    web3j = Web3j.build(new HttpService(url));
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (web3j.ethBlockNumber().send().getBlockNumber().signum() == 0) {
      assertThat(System.nanoTime()).as("no block produced; logs:\n" + besu.getLogs()).isLessThan(deadline);
      Thread.sleep(500);
    }
    access = new ChainAccess(web3j, CHAIN_ID, ChainAccess.Settings.DEFAULT.withReceiptPoll(Duration.ofMillis(250)),
        RevertDecoder.fromClasspath());

    manifest = new Deployer(web3j, access.transactionManager(DEPLOYER), access.gasProvider())
        .deploy(DeploymentConfig.devDefaults(DEPLOYER.getAddress(), DEPLOYER.getAddress()));
    sync = new PermissionsSync(
        new MembershipAllowlist(access, manifest, 30303, List.of(DRIVER.getAddress(), RIDER.getAddress())),
        Allowlists.of(List.of(validator.address(), DEPLOYER.getAddress()), List.of(validator.enode())),
        List.of(new BesuPermissioning(new HttpService(url), "validator1")));
    sync.syncOnce();
  }

  @AfterAll
  static void stop() {
    if (web3j != null) {
      web3j.shutdown();
    }
    if (besu != null) {
      besu.stop();
    }
  }

  static <T> T as(Class<T> type, Credentials who) {
    String name = type.getSimpleName();
    String at = manifest.address(name);
    var tx = access.transactionManager(who);
    var gas = access.gasProvider();
    Object w = switch (name) {
      case "Membership" -> Membership.load(at, web3j, tx, gas);
      case "CoopToken" -> CoopToken.load(at, web3j, tx, gas);
      case "RideLedger" -> RideLedger.load(at, web3j, tx, gas);
      case "CoopGovernor" -> CoopGovernor.load(at, web3j, tx, gas);
      default -> throw new IllegalArgumentException(name);
    };
    return type.cast(w);
  }

  static void join(Credentials who, College college) throws Exception {
    as(Membership.class, who).registerUser().send();
    BigInteger share = as(Membership.class, who).sharePrice().send();
    as(CoopToken.class, DEPLOYER).onRamp(who.getAddress(), share, new byte[32]).send();
    as(CoopToken.class, who).approve(manifest.address("Membership"), share).send();
    as(Membership.class, who).join(college.idAsBigInteger()).send();
  }

  static long now() throws Exception {
    return web3j.ethGetBlockByNumber(DefaultBlockParameterName.LATEST, false).send().getBlock().getTimestamp()
        .longValueExact();
  }

  @Test
  void aRideAndAVoteOnQbftAndANonMemberRefusedByTheAllowlist() throws Exception {
    join(DRIVER, College.DRIVERS);
    join(RIDER, College.RIDERS);
    sync.syncOnce();

    // one ride: deposit, book the driver's signed offer, settle the co-signed receipt
    long deposit = 50_000_000;
    as(CoopToken.class, DEPLOYER).onRamp(RIDER.getAddress(), BigInteger.valueOf(deposit), new byte[32]).send();
    as(CoopToken.class, RIDER).approve(manifest.address("RideLedger"), BigInteger.valueOf(deposit)).send();
    RideLedger riderLedger = as(RideLedger.class, RIDER);
    riderLedger.deposit(BigInteger.valueOf(deposit)).send();
    Eip712Domain domain = Eip712Domain.rideLedger(CHAIN_ID, manifest.address("RideLedger"));
    long nonce = riderLedger.walletOf(RIDER.getAddress()).send().component2().longValueExact();
    int version = riderLedger.currentScheduleVersion().send().intValueExact();
    Offer offer = new Offer(Hash.sha3("request-1".getBytes()), RIDER.getAddress(), DRIVER.getAddress(),
        BigInteger.valueOf(30_000_000), nonce, 120, version, now() + 600);
    riderLedger.book(ContractStructs.offer(offer),
        ContractStructs.signature(MessageSigner.sign(domain, offer.structHash(), DRIVER))).send();
    long t = now();
    TripReceipt receipt = new TripReceipt(offer.rideId(), 4_000, 600, t, t, Hash.sha3("route-1".getBytes()));
    as(RideLedger.class, DRIVER).settle(ContractStructs.receipt(receipt),
        ContractStructs.signature(MessageSigner.sign(domain, receipt.structHash(), RIDER))).send();
    BigInteger earnings = as(RideLedger.class, DRIVER).driverOf(DRIVER.getAddress()).send().component1();
    assertThat(earnings).as("the driver was paid").isPositive();
    assertThat(riderLedger.walletOf(RIDER.getAddress()).send().component1())
        .as("the rider paid the fare and got the rest of the escrow back")
        .isLessThan(BigInteger.valueOf(deposit)).isGreaterThan(BigInteger.valueOf(deposit - 30_000_000));

    // one vote: the driver proposes a new share price and votes for it
    Membership view = as(Membership.class, DRIVER);
    Proposal proposal = Proposal.describedAs("Share price 25 EUR").call(view, view.setSharePrice(BigInteger.valueOf(25_000_000)))
        .build();
    CoopGovernor governor = as(CoopGovernor.class, DRIVER);
    proposal.propose(governor);
    BigInteger id = proposal.id(governor);
    long proposedAt = web3j.ethBlockNumber().send().getBlockNumber().longValueExact();
    while (web3j.ethBlockNumber().send().getBlockNumber().longValueExact() < proposedAt + 2) {
      Thread.sleep(500); // QBFT makes a block a second: wait out the one-block voting delay
    }
    governor.castVote(id, BigInteger.ONE).send();
    assertThat(governor.hasVoted(id, DRIVER.getAddress()).send()).isTrue();

    // a non-member: Besu itself refuses its transaction, before any contract sees it
    assertThatThrownBy(() -> as(Membership.class, STRANGER).registerUser().send())
        .hasStackTraceContaining("not authorized");
    assertThat(as(Membership.class, DEPLOYER).statusOf(STRANGER.getAddress()).send()).isZero();
  }
}
