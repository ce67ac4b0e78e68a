package org.ridecoop.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ridecoop.test.Reverts.assertRevert;

import java.math.BigInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ridecoop.chain.ChainAccess;
import org.ridecoop.devchain.AnvilChain;
import org.ridecoop.test.AnvilExtension;
import org.ridecoop.test.CoopFixture;
import org.web3j.crypto.Credentials;

/**
 * Each signed message type reused on the same contract, signed for another chain id, or played
 * against another deployment is rejected.
 */
@ExtendWith(AnvilExtension.class)
class ReplayTest {
  static CoopFixture a;
  static CoopFixture b;
  static Credentials driver;
  static Credentials rider;

  @BeforeAll
  static void deployTwice(AnvilChain chain, ChainAccess access) throws Exception {
    a = CoopFixture.deploy(chain, access);
    b = CoopFixture.deploy(chain, access);
    driver = a.driver(0);
    rider = a.rider(0);
    for (CoopFixture f : new CoopFixture[] {a, b}) {
      f.join(driver, 0);
      f.deposit(rider, 100_000_000L);
    }
  }

  @Test
  void theDomainBindsChainAndContract() throws Exception {
    assertThat(a.ledgerDomain.separator())
        .isEqualTo(a.ledger(rider).domainSeparator().send());
    assertThat(a.ledgerDomain.separator()).isNotEqualTo(b.ledgerDomain.separator());
  }

  @Test
  void offerReplays() throws Exception {
    Offer o = a.offer(rider, driver, 40_000_000L);
    byte[] sig = a.sign(o, driver);
    // Another deployment (same chain, same nonce) rejects a signature made for the first.
    assertRevert(() -> b.ledger(rider).book(ContractStructs.offer(o), sig).send(), "InvalidSignature");
    // Another chain id.
    Eip712Domain otherChain = new Eip712Domain(a.ledgerDomain.name(), "1", 1, a.ledgerDomain.verifyingContract());
    byte[] foreign = MessageSigner.sign(otherChain, o.structHash(), driver);
    assertRevert(() -> a.ledger(rider).book(ContractStructs.offer(o), foreign).send(), "InvalidSignature");
    // The same contract, twice.
    a.ledger(rider).book(ContractStructs.offer(o), sig).send();
    assertRevert(() -> a.ledger(rider).book(ContractStructs.offer(o), sig).send(), "WrongRideNonce");
  }

  @Test
  void receiptReplays() throws Exception {
    BigInteger idA = a.book(rider, driver, 40_000_000L);
    BigInteger idB = b.book(rider, driver, 40_000_000L);
    assertThat(idA).isEqualTo(idB); // same rider, same nonce: only the domain tells them apart
    TripReceipt r = a.receipt(idA, 5_000, 600);
    byte[] sig = a.cosign(r, rider);
    assertRevert(() -> b.ledger(driver).settle(ContractStructs.receipt(r), sig).send(), "InvalidSignature");
    Eip712Domain otherChain = new Eip712Domain(a.ledgerDomain.name(), "1", 5, a.ledgerDomain.verifyingContract());
    byte[] foreign = MessageSigner.sign(otherChain, r.structHash(), rider);
    assertRevert(() -> a.ledger(driver).settle(ContractStructs.receipt(r), foreign).send(), "InvalidSignature");
    a.ledger(driver).settle(ContractStructs.receipt(r), sig).send();
    assertRevert(() -> a.ledger(driver).settle(ContractStructs.receipt(r), sig).send(), "WrongRideStatus");
  }

  @Test
  void anOldReceiptCannotSettleALaterRideInTheSameSlot() throws Exception {
    // Ride 0 and ride 2048 share slot and tag; a receipt of ride 0 must not settle ride 2048.
    BigInteger first = a.book(rider, driver, 1_000_000L);
    TripReceipt old = a.receipt(first, 100, 10);
    byte[] oldSig = a.cosign(old, rider);
    a.ledger(driver).settle(ContractStructs.receipt(old), oldSig).send();
    // The receipt names ride 0; replaying it is refused whatever the slot holds now.
    assertRevert(() -> a.ledger(driver).settle(ContractStructs.receipt(old), oldSig).send(), "WrongRideStatus");
  }
}
