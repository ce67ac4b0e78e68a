package org.ridecoop.sdk.member;

import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.ridecoop.chain.ChainAccess;
import org.ridecoop.contracts.CoopToken;
import org.ridecoop.contracts.Membership;
import org.ridecoop.contracts.Treasury;
import org.ridecoop.deploy.DeploymentManifest;
import org.ridecoop.governance.College;
import org.ridecoop.governance.MemberStatus;
import org.ridecoop.protocol.MessageSigner;
import org.ridecoop.protocol.Permit;
import org.ridecoop.sdk.ChainCalls;
import org.ridecoop.sdk.ChainRefusedException;
import org.ridecoop.sdk.RideCoopException;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.DefaultBlockParameterName;

/**
 * A member (or would-be member) acting on chain with its own key. Every method blocks until its
 * transaction is mined. A revert is thrown as {@link ChainRefusedException} with the contract's
 * custom error (e.g. {@code InvalidStatus}, {@code NoticeNotOver}, {@code NothingToClaim}); a chain
 * that cannot be reached as {@link RideCoopException}.
 */
public final class Member {
  /** How long the share's permit stays valid: the one transaction that uses it is sent at once. */
  private static final long PERMIT_VALIDITY_SECONDS = 600;

  private final ChainAccess chain;
  private final Credentials key;
  private final Membership membership;
  private final Treasury treasury;
  private final CoopToken token;
  private final String membershipAddress;
  private final long chainId;
  private final String tokenAddress;

  private Member(ChainAccess chain, DeploymentManifest manifest, Credentials key) {
    this.chain = chain;
    this.key = key;
    var tm = chain.transactionManager(key);
    this.membershipAddress = manifest.address("Membership");
    this.tokenAddress = manifest.address("CoopToken");
    this.chainId = manifest.chainId();
    this.membership = Membership.load(membershipAddress, chain.web3j(), tm, chain.gasProvider());
    this.treasury = Treasury.load(manifest.address("Treasury"), chain.web3j(), tm, chain.gasProvider());
    this.token = CoopToken.load(tokenAddress, chain.web3j(), tm, chain.gasProvider());
  }

  /**
   * A member acting with {@code key} on the deployment {@code manifest} reached through {@code
   * chain} ({@code RideCoop.member(key)} does this for a connection).
   */
  public static Member connect(ChainAccess chain, DeploymentManifest manifest, Credentials key) {
    return new Member(chain, manifest, key);
  }

  /** The member's address. */
  public String address() {
    return key.getAddress();
  }

  /** The account's status, college, capital and notice. */
  public MemberInfo status() {
    return ChainCalls.call("read the membership of " + address(), () -> {
      MemberStatus status = MemberStatus.ofId(membership.statusOf(address()).send().longValueExact());
      boolean seated = status == MemberStatus.ACTIVE || status == MemberStatus.SUSPENDED
          || status == MemberStatus.EXCLUDED;
      Optional<College> college = seated
          ? Optional.of(College.ofId(membership.collegeOf(address()).send().longValueExact()))
          : Optional.empty();
      return new MemberInfo(address(), status, college, membership.capitalOf(address()).send(),
          membership.refundAvailableAt(address()).send().longValueExact());
    });
  }

  /** The share price a member pays to join, token base units. */
  public BigInteger sharePrice() {
    return ChainCalls.call("read the share price", () -> membership.sharePrice().send());
  }

  /**
   * Joins {@code college}, paying the share price from the account's CoopToken balance: registers
   * the account first when it never was, then buys the share with an EIP-2612 permit in the same
   * transaction as the join (no separate approval).
   *
   * @return the join transaction's hash
   * @throws ChainRefusedException e.g. {@code InvalidStatus} for an account already a member,
   *     {@code ERC20InsufficientBalance} when it cannot pay the share
   */
  public String join(College college) {
    return ChainCalls.call("join the " + college + " college", () -> {
      if (MemberStatus.ofId(membership.statusOf(address()).send().longValueExact()) == MemberStatus.NONE) {
        membership.registerUser().send();
      }
      BigInteger price = membership.sharePrice().send();
      long deadline = latestBlockTime() + PERMIT_VALIDITY_SECONDS;
      Permit permit = new Permit(address(), membershipAddress, price, token.nonces(address()).send(), deadline);
      byte[] sig = MessageSigner.sign(Permit.tokenDomain(chainId, tokenAddress), permit.structHash(), key);
      return membership.joinWithPermit(college.idAsBigInteger(), BigInteger.valueOf(deadline),
          BigInteger.valueOf(sig[64] & 0xff), Arrays.copyOfRange(sig, 0, 32), Arrays.copyOfRange(sig, 32, 64))
          .send().getTransactionHash();
    });
  }

  /**
   * Gives notice of leaving: the vote is lost now, the capital comes back with {@link
   * #completeLeave()} after the notice period ({@link MemberInfo#refundAt()}).
   *
   * @return the transaction's hash
   */
  public String requestLeave() {
    return ChainCalls.call("give notice of leaving", () -> membership.requestLeave().send().getTransactionHash());
  }

  /**
   * Leaves once the notice is over; the share capital is paid back to the account.
   *
   * @return the transaction's hash
   * @throws ChainRefusedException {@code NoticeNotOver} (with the refund time) when too early,
   *     {@code NoNoticeGiven} without {@link #requestLeave()}
   */
  public String completeLeave() {
    return ChainCalls.call("leave the co-op", () -> membership.completeLeave().send().getTransactionHash());
  }

  /**
   * Claims the dividend of a closed epoch.
   *
   * @return what was paid
   * @throws ChainRefusedException {@code EpochNotClosed}, {@code AlreadyClaimed} or {@code
   *     NothingToClaim}
   */
  public Dividend claim(long epoch) {
    return ChainCalls.call("claim the dividend of epoch " + epoch, () -> {
      BigInteger amount = treasury.claimable(BigInteger.valueOf(epoch), address()).send();
      treasury.claim(BigInteger.valueOf(epoch)).send();
      return new Dividend(epoch, amount);
    });
  }

  /** The closed epochs with a dividend this member has not claimed yet, oldest first. */
  public List<Dividend> claimable() {
    return ChainCalls.call("list the claimable dividends of " + address(), () -> {
      long current = treasury.currentEpoch().send().longValueExact();
      List<Dividend> due = new ArrayList<>();
      // Epochs are few (one a week or a month) and claimable() is a view: one call each is cheap.
      for (long epoch = 1; epoch < current; epoch++) {
        BigInteger amount = treasury.claimable(BigInteger.valueOf(epoch), address()).send();
        if (amount.signum() > 0) {
          due.add(new Dividend(epoch, amount));
        }
      }
      return due;
    });
  }

  /**
   * Claims every dividend {@link #claimable()} lists, one transaction each, oldest first. A claim
   * that reverts stops the run (the earlier ones stay paid).
   *
   * @return what was paid
   */
  public List<Dividend> claimAll() {
    List<Dividend> paid = new ArrayList<>();
    for (Dividend d : claimable()) {
      paid.add(claim(d.epoch()));
    }
    return paid;
  }

  private long latestBlockTime() throws IOException {
    return chain.web3j().ethGetBlockByNumber(DefaultBlockParameterName.LATEST, false).send().getBlock()
        .getTimestamp().longValueExact();
  }
}
