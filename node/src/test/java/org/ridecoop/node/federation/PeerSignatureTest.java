package org.ridecoop.node.federation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Sign;
import org.web3j.utils.Numeric;

/** The peer signature: its text, EIP-191 as web3j signs personal messages, and its headers. */
class PeerSignatureTest {

  static final Credentials KEY =
      Credentials.create("0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d");
  static final byte[] BODY = "{\"offers\":[]}".getBytes(StandardCharsets.UTF_8);

  @Test
  void signsTheDocumentedTextAsAnEip191PersonalMessage() throws Exception {
    PeerSignature sig = PeerSignature.sign(31337, BODY, KEY, 1_790_000_000_000L);
    String text = PeerSignature.text(31337, BODY, sig.sender(), sig.timestamp(), sig.nonce());

    assertThat(text).isEqualTo("ridecoop-peer:31337:" + sha256(BODY) + ":0x70997970c51812dc3a010c7d01b50e0d17dc79c8:1790000000000:" + sig.nonce());
    Sign.SignatureData web3j = Sign.signPrefixedMessage(text.getBytes(StandardCharsets.UTF_8), KEY.getEcKeyPair());
    byte[] expected = new byte[65];
    System.arraycopy(web3j.getR(), 0, expected, 0, 32);
    System.arraycopy(web3j.getS(), 0, expected, 32, 32);
    expected[64] = web3j.getV()[0];
    assertThat(sig.signature()).isEqualTo(expected);
    assertThat(sig.verifies(31337, BODY)).isTrue();
  }

  @Test
  void anotherBodyChainOrSenderDoesNotVerify() {
    PeerSignature sig = PeerSignature.sign(31337, BODY, KEY, 1_790_000_000_000L);
    assertThat(sig.verifies(31337, "{\"offers\":[ ]}".getBytes(StandardCharsets.UTF_8))).isFalse();
    assertThat(sig.verifies(1, BODY)).isFalse();
    PeerSignature claimed = new PeerSignature("0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc", sig.timestamp(),
        sig.nonce(), sig.signature());
    assertThat(claimed.verifies(31337, BODY)).isFalse();
    PeerSignature later = new PeerSignature(sig.sender(), sig.timestamp() + 1, sig.nonce(), sig.signature());
    assertThat(later.verifies(31337, BODY)).isFalse();
  }

  @Test
  void nonceIsFreshEachTime() {
    assertThat(PeerSignature.sign(31337, BODY, KEY, 1).nonce()).isNotEqualTo(PeerSignature.sign(31337, BODY, KEY, 1).nonce());
  }

  @Test
  void headersRoundTripAndMalformedOnesAreNamed() {
    PeerSignature sig = PeerSignature.sign(31337, BODY, KEY, 1_790_000_000_000L);
    PeerSignature read = PeerSignature.fromHeaders(sig.sender(), Long.toString(sig.timestamp()), sig.nonce(),
        sig.signatureHex());
    assertThat(read.verifies(31337, BODY)).isTrue();
    assertThatThrownBy(() -> PeerSignature.fromHeaders(null, "1", sig.nonce(), sig.signatureHex()))
        .hasMessageContaining(PeerSignature.SENDER);
    assertThatThrownBy(() -> PeerSignature.fromHeaders(sig.sender(), "soon", sig.nonce(), sig.signatureHex()))
        .hasMessageContaining(PeerSignature.TIMESTAMP);
    assertThatThrownBy(() -> PeerSignature.fromHeaders(sig.sender(), "1", "xyz", sig.signatureHex()))
        .hasMessageContaining(PeerSignature.NONCE);
    assertThatThrownBy(() -> PeerSignature.fromHeaders(sig.sender(), "1", sig.nonce(), "0x12"))
        .hasMessageContaining(PeerSignature.SIGNATURE);
  }

  private static String sha256(byte[] b) throws Exception {
    return Numeric.toHexStringNoPrefix(java.security.MessageDigest.getInstance("SHA-256").digest(b));
  }
}
