package org.ridecoop.benchmark;

import static org.ridecoop.benchmark.GasBenchmark.fmt;
import static org.ridecoop.benchmark.GasBenchmark.gas;

import java.math.BigInteger;
import java.util.Map;
import org.ridecoop.contracts.CoopGovernor;
import org.ridecoop.governance.BallotSigner;
import org.ridecoop.governance.Proposal;
import org.ridecoop.governance.Support;
import org.ridecoop.protocol.ContractStructs;
import org.ridecoop.test.CoopFixture;
import org.web3j.crypto.Credentials;

/** Gas of the governance cycle and of a dividend claim. */
final class GovernanceGas {
  private GovernanceGas() {}

  static void measure(CoopFixture f, Map<String, String> rows) throws Exception {
    Credentials a = f.driver(2);
    Credentials b = f.driver(3);
    Credentials c = f.rider(7);
    Credentials d = f.rider(8);
    rows.put("join (share capital paid, first vote checkpoint)", fmt(joinGas(f, a, 0)));
    joinGas(f, b, 0);
    joinGas(f, c, 1);
    joinGas(f, d, 2);
    f.chain.mine(1);

    CoopGovernor gov = f.governor(a);
    Proposal p = Proposal.describedAs("Fare v2 for the gas benchmark")
        .call(f.schedule(a), f.schedule(a).publish(ContractStructs.fareParams(f.fareParams(1))))
        .build();
    rows.put("propose (1 action)", fmt(gas(p.propose(gov))));
    BigInteger id = p.id(gov);
    f.chain.mine(f.config.votingDelayBlocks() + 1);
    rows.put("castVote, first voter", fmt(gas(f.governor(a).castVote(id, BigInteger.ONE).send())));
    rows.put("castVote, later voter", fmt(gas(f.governor(b).castVote(id, BigInteger.ONE).send())));
    BallotSigner signer = BallotSigner.forGovernor(f.chain.chainId(), f.manifest.address("CoopGovernor"));
    BigInteger nonce = gov.nonces(c.getAddress()).send();
    byte[] sig = signer.sign(id, Support.FOR, nonce, c);
    rows.put("castVoteBySig (relayed by a node)", fmt(gas(f.governor(b).castVoteBySig(id, BigInteger.ONE, c.getAddress(), sig).send())));
    f.governor(d).castVote(id, BigInteger.ONE).send();
    f.chain.mine(f.config.votingPeriodBlocks() + 1);
    rows.put("queue", fmt(gas(p.queue(gov))));
    f.chain.increaseTime(f.config.timelockDelaySeconds() + 1);
    rows.put("execute (publish a fare version)", fmt(gas(p.execute(gov))));

    // A dividend claim: close the epoch the benchmark rides fell in, then claim.
    f.chain.increaseTime(f.config.epochLengthSeconds());
    f.treasury(a).syncEpoch().send();
    long closed = f.treasury(a).currentEpoch().send().longValueExact() - 1;
    rows.put("closeEpoch", fmt(gas(f.treasury(a).closeEpoch(BigInteger.valueOf(closed)).send())));
    rows.put("claim dividend", fmt(gas(f.treasury(f.driver(0)).claim(BigInteger.valueOf(closed)).send())));
  }

  private static long joinGas(CoopFixture f, Credentials who, int college) throws Exception {
    f.membership(who).registerUser().send();
    f.fund(who, f.config.sharePrice().longValueExact());
    f.token(who).approve(f.manifest.address("Membership"), f.config.sharePrice()).send();
    return gas(f.membership(who).join(BigInteger.valueOf(college)).send());
  }
}
