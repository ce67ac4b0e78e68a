package org.ridecoop.deploy;

import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ridecoop.contracts.CoopGovernor;
import org.ridecoop.contracts.CoopTimelock;
import org.ridecoop.contracts.CoopToken;
import org.ridecoop.contracts.FareSchedule;
import org.ridecoop.contracts.Membership;
import org.ridecoop.contracts.RideLedger;
import org.ridecoop.contracts.Treasury;
import org.ridecoop.protocol.ContractStructs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.crypto.ContractUtils;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.tx.Contract;
import org.web3j.tx.TransactionManager;
import org.web3j.tx.gas.ContractGasProvider;

/**
 * Deploys and wires the whole ridecoop contract set in one pass and returns its manifest.
 *
 * <p>Every contract learns its peers' addresses in its constructor: the deployer predicts them
 * from its own account nonce (CREATE addresses are {@code keccak(rlp(sender, nonce))}), so no
 * setter or initializer is ever needed and no one, the deployer included, keeps any power over
 * the contracts afterwards. The timelock's only proposer and canceller is the governor, anyone may
 * execute a queued proposal, and the timelock has no admin.
 *
 * <p>Order (nonce offsets): CoopToken, Membership, FareSchedule, Treasury, RideLedger,
 * CoopTimelock, CoopGovernor. The deploying account must send nothing else meanwhile.
 */
public final class Deployer {
  private static final Logger LOG = LoggerFactory.getLogger(Deployer.class);
  /** Protocol version written into the manifest; bump on any change to the contracts' ABI. */
  public static final String PROTOCOL_VERSION = "1";

  private static final List<String> ORDER = List.of(
      "CoopToken", "Membership", "FareSchedule", "Treasury", "RideLedger", "CoopTimelock",
      "CoopGovernor");

  private final Web3j web3j;
  private final TransactionManager tx;
  private final ContractGasProvider gas;

  /**
   * @param web3j the chain
   * @param tx the deploying account's transaction manager (must send with sequential nonces)
   * @param gas gas provider (zero price on ridecoop chains)
   */
  public Deployer(Web3j web3j, TransactionManager tx, ContractGasProvider gas) {
    this.web3j = web3j;
    this.tx = tx;
    this.gas = gas;
  }

  /** Deploys the set under {@code config}; returns where it lives. */
  public DeploymentManifest deploy(DeploymentConfig config) throws Exception {
    String from = tx.getFromAddress();
    long chainId = web3j.ethChainId().send().getChainId().longValueExact();
    BigInteger nonce = web3j.ethGetTransactionCount(from, DefaultBlockParameterName.PENDING)
        .send().getTransactionCount();
    Map<String, String> at = new LinkedHashMap<>();
    for (int i = 0; i < ORDER.size(); i++) {
      at.put(ORDER.get(i), ContractUtils.generateContractAddress(from, nonce.add(BigInteger.valueOf(i))));
    }
    String timelock = at.get("CoopTimelock");
    long startBlock = web3j.ethBlockNumber().send().getBlockNumber().longValueExact() + 1;
    LOG.info("deploying ridecoop contracts chainId={} deployer={} contracts={}", chainId, from, ORDER.size());

    check("CoopToken", at, CoopToken.deploy(web3j, tx, gas, timelock, config.onRamp()).send());
    check("Membership", at, Membership.deploy(web3j, tx, gas, at.get("CoopToken"), timelock,
        at.get("RideLedger"), config.sharePrice(), BigInteger.valueOf(config.leaveNoticeSeconds()))
        .send());
    check("FareSchedule", at, FareSchedule.deploy(web3j, tx, gas, timelock, at.get("RideLedger"),
        ContractStructs.fareParams(config.fare())).send());
    check("Treasury", at, Treasury.deploy(web3j, tx, gas, at.get("CoopToken"), timelock,
        at.get("RideLedger"), at.get("FareSchedule"), BigInteger.valueOf(config.epochLengthSeconds()))
        .send());
    check("RideLedger", at, RideLedger.deploy(web3j, tx, gas, at.get("CoopToken"),
        at.get("FareSchedule"), at.get("Treasury"), at.get("Membership"), timelock,
        config.disputeCommittee(), BigInteger.valueOf(config.bookingTimeoutSeconds()),
        BigInteger.valueOf(config.disputeWindowSeconds())).send());
    // The governor alone proposes and cancels; anyone executes a passed, delayed proposal; no admin.
    check("CoopTimelock", at, CoopTimelock.deploy(web3j, tx, gas,
        BigInteger.valueOf(config.timelockDelaySeconds()), List.of(at.get("CoopGovernor")),
        List.of("0x0000000000000000000000000000000000000000"),
        "0x0000000000000000000000000000000000000000").send());
    check("CoopGovernor", at, CoopGovernor.deploy(web3j, tx, gas, at.get("Membership"), timelock,
        BigInteger.valueOf(config.votingDelayBlocks()), BigInteger.valueOf(config.votingPeriodBlocks()),
        config.collegeWeightsBps().stream().map(BigInteger::valueOf).toList(),
        BigInteger.valueOf(config.quorumBps())).send());

    Map<String, String> versions = new LinkedHashMap<>();
    versions.put("protocol", PROTOCOL_VERSION);
    versions.put("fareSchedule", "1");
    versions.put("compiler", CompilerInfo.compiler());
    DeploymentManifest manifest = new DeploymentManifest(chainId, startBlock, from, at, versions);
    LOG.info("deployed ridecoop chainId={} ledger={} governor={} fromBlock={}", chainId,
        at.get("RideLedger"), at.get("CoopGovernor"), startBlock);
    return manifest;
  }

  private static void check(String name, Map<String, String> predicted, Contract deployed) {
    String expected = predicted.get(name);
    if (!deployed.getContractAddress().equalsIgnoreCase(expected)) {
      throw new IllegalStateException(name + " landed at " + deployed.getContractAddress()
          + " instead of the predicted " + expected
          + ": the deploying account sent another transaction meanwhile; deploy again from a fresh account");
    }
    LOG.info("deployed {} at {}", name, expected);
  }
}
