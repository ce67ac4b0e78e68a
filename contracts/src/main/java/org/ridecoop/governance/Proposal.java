package org.ridecoop.governance;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.ridecoop.contracts.CoopGovernor;
import org.web3j.crypto.Hash;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.tx.Contract;
import org.web3j.protocol.core.RemoteFunctionCall;

/**
 * A governance proposal: the calls the timelock will make if the members pass it, and the
 * description they read. The Governor stores none of this (only its hash, the proposal id), so
 * whoever proposes, queues or executes must hold the same four values.
 *
 * @param targets contracts called
 * @param values ether sent with each call (always zero in ridecoop)
 * @param calldatas encoded calls
 * @param description human text; its keccak256 is part of the id
 */
public record Proposal(List<String> targets, List<BigInteger> values, List<byte[]> calldatas, String description) {

  public Proposal {
    if (targets.isEmpty() || targets.size() != values.size() || targets.size() != calldatas.size()) {
      throw new IllegalArgumentException("a proposal needs one or more calls, each with target, value and data");
    }
    targets = List.copyOf(targets);
    values = List.copyOf(values);
    calldatas = List.copyOf(calldatas);
  }

  /** Starts a proposal described by {@code description}; add calls with {@link Builder#call}. */
  public static Builder describedAs(String description) {
    return new Builder(description);
  }

  /** keccak256 of the description, as queue and execute take it. */
  public byte[] descriptionHash() {
    return Hash.sha3(description.getBytes(StandardCharsets.UTF_8));
  }

  /** The proposal id the governor derives from it. */
  public BigInteger id(CoopGovernor governor) throws Exception {
    return governor.hashProposal(targets, values, calldatas, descriptionHash()).send();
  }

  /** Submits it (the caller must hold a vote). */
  public TransactionReceipt propose(CoopGovernor governor) throws Exception {
    return governor.propose(targets, values, calldatas, description).send();
  }

  /** Queues it in the timelock once it has passed. */
  public TransactionReceipt queue(CoopGovernor governor) throws Exception {
    return governor.queue(targets, values, calldatas, descriptionHash()).send();
  }

  /** Executes it once the timelock delay is over (anyone may). */
  public TransactionReceipt execute(CoopGovernor governor) throws Exception {
    return governor.execute(targets, values, calldatas, descriptionHash(), BigInteger.ZERO).send();
  }

  /** Collects the calls of a proposal. */
  public static final class Builder {
    private final String description;
    private final List<String> targets = new ArrayList<>();
    private final List<byte[]> calldatas = new ArrayList<>();

    private Builder(String description) {
      this.description = description;
    }

    /** Adds {@code call} of {@code contract} (a wrapper loaded at the target address). */
    public Builder call(Contract contract, RemoteFunctionCall<?> call) {
      targets.add(contract.getContractAddress());
      calldatas.add(org.web3j.utils.Numeric.hexStringToByteArray(call.encodeFunctionCall()));
      return this;
    }

    /** The proposal. */
    public Proposal build() {
      return new Proposal(targets, targets.stream().map(t -> BigInteger.ZERO).toList(), calldatas, description);
    }
  }
}
