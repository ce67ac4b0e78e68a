package org.ridecoop.governance;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.List;
import org.ridecoop.chain.ChainAccess;
import org.ridecoop.contracts.CoopGovernor;
import org.ridecoop.contracts.CoopToken;
import org.ridecoop.contracts.Membership;
import org.ridecoop.contracts.RideLedger;
import org.ridecoop.deploy.Deployer;
import org.ridecoop.deploy.DeploymentConfig;
import org.ridecoop.deploy.DeploymentManifest;
import org.ridecoop.devchain.AnvilChain;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * A full ridecoop deployment on the test chain (through the real {@link Deployer}, dev defaults:
 * 20 EUR share, one-day notice, voting delay 1 block, period 50 blocks, weights 50/30/20, quorum
 * 20 %, two-day timelock), with the moves tests need: funding and joining accounts, and carrying a
 * proposal through vote, queue and execution.
 *
 * <p>Accounts: 0 deploys, 1 is the on-ramp (mints tokens), 2 the dispute committee; tests use 3..19.
 */
final class DeployedCoop {
  static final BigInteger FUNDS = BigInteger.valueOf(1_000_000_000L); // 1,000 EUR

  final AnvilChain chain;
  final ChainAccess access;
  final DeploymentConfig config;
  final DeploymentManifest manifest;
  final Credentials onRamp;

  private DeployedCoop(AnvilChain chain, ChainAccess access, DeploymentConfig config, DeploymentManifest manifest) {
    this.chain = chain;
    this.access = access;
    this.config = config;
    this.manifest = manifest;
    this.onRamp = chain.account(1);
  }

  static DeployedCoop deploy(AnvilChain chain, ChainAccess access) throws Exception {
    DeploymentConfig config = DeploymentConfig.devDefaults(chain.account(1).getAddress(), chain.account(2).getAddress());
    DeploymentManifest manifest = new Deployer(access.web3j(), access.transactionManager(chain.account(0)),
        access.gasProvider()).deploy(config);
    return new DeployedCoop(chain, access, config, manifest);
  }

  String address(String contract) {
    return manifest.address(contract);
  }

  String timelock() {
    return address("CoopTimelock");
  }

  Membership membership(Credentials as) {
    return Membership.load(address("Membership"), access.web3j(), access.transactionManager(as), access.gasProvider());
  }

  CoopGovernor governor(Credentials as) {
    return CoopGovernor.load(address("CoopGovernor"), access.web3j(), access.transactionManager(as), access.gasProvider());
  }

  CoopToken token(Credentials as) {
    return CoopToken.load(address("CoopToken"), access.web3j(), access.transactionManager(as), access.gasProvider());
  }

  RideLedger ledger() {
    return RideLedger.load(address("RideLedger"), access.web3j(), access.readOnly(), access.gasProvider());
  }

  Membership membershipView() {
    return Membership.load(address("Membership"), access.web3j(), access.readOnly(), access.gasProvider());
  }

  CoopGovernor governorView() {
    return CoopGovernor.load(address("CoopGovernor"), access.web3j(), access.readOnly(), access.gasProvider());
  }

  /** Mints {@link #FUNDS} to {@code account} through the on-ramp. */
  void fund(Credentials account) throws Exception {
    token(onRamp).onRamp(account.getAddress(), FUNDS, new byte[32]).send();
  }

  /** Funds, registers and makes {@code account} an active member of {@code college}. */
  void join(Credentials account, College college) throws Exception {
    fund(account);
    membership(account).registerUser().send();
    token(account).approve(address("Membership"), config.sharePrice()).send();
    membership(account).join(college.idAsBigInteger()).send();
  }

  long blockNumber() throws Exception {
    return access.web3j().ethBlockNumber().send().getBlockNumber().longValueExact();
  }

  MemberStatus statusOf(Credentials account) throws Exception {
    return MemberStatus.ofId(membershipView().statusOf(account.getAddress()).send().longValueExact());
  }

  /** Submits {@code proposal} as {@code proposer} and mines past its snapshot, so votes are open. */
  BigInteger proposeAndOpen(Proposal proposal, Credentials proposer) throws Exception {
    proposal.propose(governor(proposer));
    BigInteger id = proposal.id(governorView());
    mineUntilAfter(governorView().proposalSnapshot(id).send());
    return id;
  }

  /** Casts one vote per voter. */
  void vote(BigInteger id, Support support, Credentials... voters) throws Exception {
    for (Credentials v : voters) {
      governor(v).castVote(id, support.idAsBigInteger()).send();
    }
  }

  /** Mines until the latest block is past the proposal's deadline: its result is final. */
  void closeVote(BigInteger id) throws Exception {
    mineUntilAfter(governorView().proposalDeadline(id).send());
  }

  /** Queues a passed proposal, lets the timelock delay run and executes it; returns the execution receipt. */
  TransactionReceipt queueAndExecute(Proposal proposal, Credentials by) throws Exception {
    proposal.queue(governor(by));
    chain.increaseTime(config.timelockDelaySeconds() + 1);
    chain.mine(1); // preflights run on the pending block: give it the new time
    return proposal.execute(governor(by));
  }

  /**
   * Proposes, has {@code voters} vote For, closes the vote, queues and executes.
   *
   * @return the receipt of the execution (the target's events are in it)
   */
  TransactionReceipt pass(Proposal proposal, Credentials proposer, Credentials... voters) throws Exception {
    BigInteger id = proposeAndOpen(proposal, proposer);
    vote(id, Support.FOR, voters);
    closeVote(id);
    assertThat(state(id)).as("proposal %s after its vote", proposal.description()).isEqualTo(ProposalState.SUCCEEDED);
    TransactionReceipt executed = queueAndExecute(proposal, proposer);
    assertThat(state(id)).isEqualTo(ProposalState.EXECUTED);
    return executed;
  }

  ProposalState state(BigInteger id) throws Exception {
    return ProposalState.ofId(governorView().state(id).send().longValueExact());
  }

  void mineUntilAfter(BigInteger block) throws Exception {
    long missing = block.longValueExact() + 1 - blockNumber();
    if (missing > 0) chain.mine(missing);
  }

  static List<BigInteger> bigs(long... values) {
    return java.util.Arrays.stream(values).mapToObj(BigInteger::valueOf).toList();
  }
}
