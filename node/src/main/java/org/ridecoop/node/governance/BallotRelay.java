package org.ridecoop.node.governance;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import java.math.BigInteger;
import java.io.IOException;
import java.security.SignatureException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.ridecoop.chain.ContractRevertException;
import org.ridecoop.contracts.CoopGovernor;
import org.ridecoop.contracts.Membership;
import org.ridecoop.governance.BallotSigner;
import org.ridecoop.governance.ProposalState;
import org.ridecoop.governance.Support;
import org.ridecoop.node.api.ApiError;
import org.ridecoop.node.chain.ChainGateway;
import org.ridecoop.protocol.MessageSigner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.abi.EventEncoder;
import org.web3j.abi.TypeEncoder;
import org.web3j.abi.datatypes.Address;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.core.methods.response.Transaction;
import org.web3j.utils.Numeric;

/**
 * Checks members' ballots against the chain and sends them with the node key as {@code
 * castVoteBySig}, through the gateway's single send thread (so the node key's nonce is managed
 * there). The checks (signature recovery included) run on the gateway's view workers, never on
 * an event loop. Each refusal is an {@link ApiError} saying why, and nothing is sent then:
 * <ul>
 *   <li>401 {@code bad_signature}: not signed by {@code voter} for its current governor nonce;
 *   <li>404 {@code unknown_proposal};
 *   <li>409 {@code proposal_not_active}: votes are not open (pending, or closed);
 *   <li>403 {@code not_a_voter}: the voter held no vote at the proposal's snapshot;
 *   <li>409 {@code already_voted}: the voter voted otherwise (the reason names that vote's transaction);
 *   <li>409 {@code vote_refused}: the governor reverted for another reason (its custom error named).
 * </ul>
 *
 * <p>Idempotent: the same ballot asked again (while sent or after) gets the same transaction with
 * {@code repeat}, not a second vote. The last {@value #REMEMBERED} ballots are remembered here;
 * older ones, ones from before a restart, or ones relayed by another node (an SDK failing over
 * after a lost answer) are recognised on chain by their {@code VoteCast} event and transaction.
 */
final class BallotRelay {
  private static final Logger LOG = LoggerFactory.getLogger(BallotRelay.class);
  /** Ballots whose outcome is remembered for repeats. */
  static final int REMEMBERED = 10_000;

  /** A relayed ballot: the transaction that counted it and whether this request was a repeat. */
  record Relayed(String transactionHash, boolean repeat) {}

  private final ChainGateway chain;
  private final BallotSigner signer;
  private final String governorAddress;
  private final Counter relayed;
  private final Counter repeated;
  private final Counter refused;
  private final Map<String, Future<Relayed>> sent = new LinkedHashMap<>(16, 0.75f, false) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Future<Relayed>> eldest) {
      return size() > REMEMBERED;
    }
  };

  BallotRelay(ChainGateway chain, MeterRegistry registry) {
    this.chain = chain;
    this.governorAddress = chain.manifest().address("CoopGovernor");
    this.signer = BallotSigner.forGovernor(chain.chainId(), governorAddress);
    this.relayed = counter(registry, "relayed");
    this.repeated = counter(registry, "repeat");
    this.refused = counter(registry, "refused");
  }

  private static Counter counter(MeterRegistry registry, String outcome) {
    return Counter.builder("ridecoop.ballots").description("Signed ballots received, by outcome")
        .tag("outcome", outcome).register(registry);
  }

  /** Counts a ballot refused before reaching {@link #relay} (a malformed body). */
  void refusedEarly() {
    refused.increment();
  }

  /**
   * Checks and sends {@code ballot}, or answers the transaction of the same ballot sent before.
   *
   * @return the transaction, once mined; a failed future with an {@link ApiError} when refused
   */
  Future<Relayed> relay(Ballot ballot) {
    String key = ballot.key();
    Future<Relayed> earlier;
    synchronized (sent) {
      earlier = sent.get(key);
    }
    if (earlier != null) {
      repeated.increment();
      return earlier.map(r -> new Relayed(r.transactionHash(), true));
    }
    Future<Relayed> send = chain.view(() -> check(ballot)).compose(counted -> counted != null
        ? Future.succeededFuture(new Relayed(counted, true))
        : chain.send(tm -> CoopGovernor.load(governorAddress, chain.access().web3j(), tm,
                chain.access().gasProvider())
            .castVoteBySig(ballot.proposalId(), ballot.support().idAsBigInteger(), ballot.voter(), ballot.signature()))
            .map(receipt -> new Relayed(receipt.getTransactionHash(), false)))
        .recover(e -> Future.failedFuture(refusal(e)));
    synchronized (sent) {
      Future<Relayed> raced = sent.putIfAbsent(key, send);
      if (raced != null) {
        repeated.increment();
        return raced.map(r -> new Relayed(r.transactionHash(), true));
      }
    }
    return send.andThen(ar -> {
      if (ar.succeeded()) {
        (ar.result().repeat() ? repeated : relayed).increment();
        LOG.info("ballot {} proposal={} voter={} support={} tx={}", ar.result().repeat() ? "already counted" : "relayed",
            ballot.proposalId(), ballot.voter(), ballot.support(), ar.result().transactionHash());
      } else {
        refused.increment();
        synchronized (sent) {
          sent.remove(key, send); // a refused ballot may be fixed and sent again
        }
        LOG.info("ballot refused proposal={} voter={} reason={}", ballot.proposalId(), ballot.voter(),
            ar.cause().getMessage());
      }
    });
  }

  /**
   * The chain checks; runs on a worker thread (RPCs and the key recovery block).
   *
   * @return the transaction that already counted this very ballot, or null when it is to be sent
   */
  private String check(Ballot b) throws Exception {
    CoopGovernor governor = CoopGovernor.load(governorAddress, chain.access().web3j(), chain.access().readOnly(),
        chain.access().gasProvider());
    ProposalState state = ProposalState.ofId(governor.state(b.proposalId()).send().longValueExact());
    if (governor.hasVoted(b.proposalId(), b.voter()).send()) {
      // Asked first: a counted ballot is remembered by the chain, not only by this node's memory
      // (lost after a restart, and absent on the node an SDK fails over to).
      return countedBefore(governor, b);
    }
    BigInteger nonce = governor.nonces(b.voter()).send();
    if (!signedBy(b, nonce)) {
      throw new ApiError(401, "bad_signature", "the ballot is not signed by " + b.voter()
          + " for its governor nonce " + nonce);
    }
    if (state != ProposalState.ACTIVE) {
      throw new ApiError(409, "proposal_not_active", "proposal " + b.proposalId() + " is " + state
          + "; ballots are taken only while it is ACTIVE");
    }
    BigInteger snapshot = governor.proposalSnapshot(b.proposalId()).send();
    Membership membership = Membership.load(chain.manifest().address("Membership"), chain.access().web3j(),
        chain.access().readOnly(), chain.access().gasProvider());
    if (membership.getPastVotes(b.voter(), snapshot).send().signum() == 0) {
      throw new ApiError(403, "not_a_voter", b.voter() + " held no vote at block " + snapshot
          + ", the snapshot of proposal " + b.proposalId());
    }
    return null;
  }

  /**
   * For a voter who has voted on the ballot's proposal: the transaction of that vote when it was
   * this ballot (same choice, sent as {@code castVoteBySig} with this signature), else a 409
   * {@code already_voted} naming the earlier vote. The vote's {@code VoteCast} event is searched
   * between the proposal's snapshot and its deadline (votes are taken only then; the governor
   * counts on Membership's block-number clock), by its indexed voter.
   */
  private String countedBefore(CoopGovernor governor, Ballot b) throws Exception {
    BigInteger from = governor.proposalSnapshot(b.proposalId()).send();
    BigInteger latest = chain.access().web3j().ethBlockNumber().send().getBlockNumber();
    BigInteger to = governor.proposalDeadline(b.proposalId()).send().min(latest);
    EthFilter filter = new EthFilter(DefaultBlockParameter.valueOf(from), DefaultBlockParameter.valueOf(to),
        governorAddress);
    filter.addSingleTopic(EventEncoder.encode(CoopGovernor.VOTECAST_EVENT));
    filter.addSingleTopic("0x" + TypeEncoder.encode(new Address(b.voter())));
    EthLog logs = chain.access().web3j().ethGetLogs(filter).send();
    if (logs.hasError()) {
      throw new IOException("eth_getLogs " + from + ".." + to + ": " + logs.getError().getMessage());
    }
    CoopGovernor.VoteCastEventResponse vote = null;
    for (EthLog.LogResult<?> r : logs.getLogs()) {
      CoopGovernor.VoteCastEventResponse v = CoopGovernor.getVoteCastEventFromLog((Log) r.get());
      if (v.proposalId.equals(b.proposalId())) {
        vote = v;
      }
    }
    if (vote == null) {
      throw new ApiError(409, "already_voted", b.voter() + " has already voted on proposal " + b.proposalId());
    }
    String tx = vote.log.getTransactionHash();
    Support earlier = Support.values()[vote.support.intValueExact()];
    if (earlier == b.support() && sentWithSignature(tx, b.signature())) {
      return tx;
    }
    throw new ApiError(409, "already_voted", b.voter() + " has already voted " + earlier + " on proposal "
        + b.proposalId() + " in transaction " + tx + (earlier == b.support() ? ", not with this ballot" : ""));
  }

  /** Whether transaction {@code tx} carries {@code signature}: the governor checked it was the voter's. */
  private boolean sentWithSignature(String tx, byte[] signature) throws IOException {
    Optional<Transaction> sent = chain.access().web3j().ethGetTransactionByHash(tx).send().getTransaction();
    return sent.isPresent() && sent.get().getInput().toLowerCase(Locale.ROOT)
        .contains(Numeric.toHexStringNoPrefix(signature).toLowerCase(Locale.ROOT));
  }

  private boolean signedBy(Ballot b, BigInteger nonce) {
    try {
      String recovered = MessageSigner.recoverDigest(signer.digest(b.proposalId(), b.support(), b.voter(), nonce),
          b.signature());
      return recovered.equalsIgnoreCase(b.voter());
    } catch (SignatureException | IllegalArgumentException e) {
      return false;
    }
  }

  /** What to answer for a failed check or send. */
  private static Throwable refusal(Throwable e) {
    if (e instanceof ApiError) {
      return e;
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ContractRevertException revert) {
        return switch (revert.errorName()) {
          case "GovernorNonexistentProposal" -> ApiError.notFound("no such proposal: " + revert.error());
          case "GovernorAlreadyCastVote" -> new ApiError(409, "already_voted", "the governor says " + revert.error());
          case "GovernorInvalidSignature" -> new ApiError(401, "bad_signature", "the governor says " + revert.error());
          case "GovernorUnexpectedProposalState" ->
              new ApiError(409, "proposal_not_active", "the governor says " + revert.error());
          case "GovernorNoVoteAtSnapshot" -> new ApiError(403, "not_a_voter", "the governor says " + revert.error());
          default -> new ApiError(409, "vote_refused", "the governor refused the vote: " + revert.error());
        };
      }
    }
    LOG.warn("ballot could not be relayed", e);
    return new ApiError(503, "chain_unavailable", "the node cannot reach the chain now: " + e.getMessage());
  }
}
