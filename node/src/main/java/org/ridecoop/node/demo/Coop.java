package org.ridecoop.node.demo;

import java.math.BigInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.ridecoop.chain.ChainAccess;
import org.ridecoop.contracts.CoopGovernor;
import org.ridecoop.contracts.CoopToken;
import org.ridecoop.contracts.FareSchedule;
import org.ridecoop.contracts.Membership;
import org.ridecoop.contracts.RideLedger;
import org.ridecoop.contracts.Treasury;
import org.ridecoop.deploy.DeploymentConfig;
import org.ridecoop.deploy.DeploymentManifest;
import org.ridecoop.fare.FareParams;
import org.ridecoop.governance.College;
import org.ridecoop.protocol.ContractStructs;
import org.ridecoop.protocol.Eip712Domain;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * A deployed co-op seen by the demo: the contracts as any account, and the few moves the demo's
 * people make (fund, join, deposit). Counts the gas of ride transactions.
 */
final class Coop {
  final Web3j web3j;
  final ChainAccess access;
  final DeploymentManifest manifest;
  final DeploymentConfig config;
  final Credentials onRamp;
  final Eip712Domain ledgerDomain;
  /** Gas of bookings and of settlements, for the per-ride figure. */
  final AtomicLong bookingGas = new AtomicLong();
  final AtomicLong settlementGas = new AtomicLong();

  Coop(Web3j web3j, ChainAccess access, DeploymentManifest manifest, DeploymentConfig config, Credentials onRamp) {
    this.web3j = web3j;
    this.access = access;
    this.manifest = manifest;
    this.config = config;
    this.onRamp = onRamp;
    this.ledgerDomain = Eip712Domain.rideLedger(access.chainId(), manifest.address("RideLedger"));
  }

  CoopToken token(Credentials as) {
    return CoopToken.load(manifest.address("CoopToken"), web3j, access.transactionManager(as), access.gasProvider());
  }

  RideLedger ledger(Credentials as) {
    return RideLedger.load(manifest.address("RideLedger"), web3j, access.transactionManager(as), access.gasProvider());
  }

  Treasury treasury(Credentials as) {
    return Treasury.load(manifest.address("Treasury"), web3j, access.transactionManager(as), access.gasProvider());
  }

  FareSchedule schedule(Credentials as) {
    return FareSchedule.load(manifest.address("FareSchedule"), web3j, access.transactionManager(as), access.gasProvider());
  }

  Membership membership(Credentials as) {
    return Membership.load(manifest.address("Membership"), web3j, access.transactionManager(as), access.gasProvider());
  }

  CoopGovernor governor(Credentials as) {
    return CoopGovernor.load(manifest.address("CoopGovernor"), web3j, access.transactionManager(as), access.gasProvider());
  }

  /** Mints {@code amount} base units to {@code to} (a euro payment through the on-ramp). */
  void fund(Credentials to, BigInteger amount) throws Exception {
    token(onRamp).onRamp(to.getAddress(), amount, new byte[32]).send();
  }

  /** Registers {@code who}, pays the share and joins {@code college}. */
  void join(Credentials who, College college) throws Exception {
    membership(who).registerUser().send();
    fund(who, config.sharePrice());
    token(who).approve(manifest.address("Membership"), config.sharePrice()).send();
    membership(who).join(college.idAsBigInteger()).send();
  }

  /** Buys and deposits {@code amount} into {@code rider}'s ride wallet. */
  void deposit(Credentials rider, BigInteger amount) throws Exception {
    fund(rider, amount);
    token(rider).approve(manifest.address("RideLedger"), amount).send();
    ledger(rider).deposit(amount).send();
  }

  /** The rider's next ride nonce. */
  long nextRideNonce(String rider) throws Exception {
    return ledger(onRamp).walletOf(rider).send().component2().longValueExact();
  }

  /** The fare version bookings must name now. */
  int currentVersion() throws Exception {
    return ledger(onRamp).currentScheduleVersion().send().intValueExact();
  }

  /** The parameters of fare {@code version}. */
  FareParams fareParams(int version) throws Exception {
    return ContractStructs.fareParams(schedule(onRamp).params(BigInteger.valueOf(version)).send());
  }

  /** The latest block's timestamp. */
  long now() throws Exception {
    return web3j.ethGetBlockByNumber(DefaultBlockParameterName.LATEST, false).send().getBlock()
        .getTimestamp().longValueExact();
  }

  /** Timestamp of the block that mined {@code receipt}. */
  long timeOf(TransactionReceipt receipt) throws Exception {
    return web3j.ethGetBlockByHash(receipt.getBlockHash(), false).send().getBlock().getTimestamp().longValueExact();
  }
}
