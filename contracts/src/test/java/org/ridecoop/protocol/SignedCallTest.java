package org.ridecoop.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Keys;

/** The signed-call format: what is signed, and each rule a node enforces. */
class SignedCallTest {
  static final long NOW = 1_800_000_000L;
  static final byte[] BODY = "{\"lat\":48.85}".getBytes(StandardCharsets.UTF_8);

  final Credentials key = key();

  static Credentials key() {
    try {
      return Credentials.create(Keys.createEcKeyPair());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void theCanonicalTextNamesMethodPathBodyHashNonceAndExpiry() {
    assertThat(SignedCall.canonical("POST", "/v1/x", new byte[0], "n-1", 5)).isEqualTo(
        "ridecoop:POST:/v1/x:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855:n-1:5");
  }

  @Test
  void aSignedCallVerifiesToItsSignerThroughItsHeaders() throws Exception {
    String[] h = SignedCall.sign(key, "POST", "/v1/rides/1/cancel", BODY, "n-1", NOW + 60).headerValues();
    SignedCall read = SignedCall.fromHeaders(h[0], h[1], h[2], h[3]);
    assertThat(read.verify("POST", "/v1/rides/1/cancel", BODY, NOW)).isEqualTo(key.getAddress().toLowerCase(Locale.ROOT));
  }

  @Test
  void everyBrokenRuleIsRefusedWithItsReason() throws Exception {
    SignedCall good = SignedCall.sign(key, "POST", "/p", BODY, "n-1", NOW + 60);
    refused(() -> good.verify("POST", "/p", "{}".getBytes(StandardCharsets.UTF_8), NOW), "is not by");
    refused(() -> good.verify("PUT", "/p", BODY, NOW), "is not by");
    refused(() -> good.verify("POST", "/p", BODY, NOW + 61), "expired");
    SignedCall tooLong = SignedCall.sign(key, "POST", "/p", BODY, "n-1", NOW + SignedCall.MAX_VALIDITY_SECONDS + 1);
    refused(() -> tooLong.verify("POST", "/p", BODY, NOW), "more than 600 s ahead");
    SignedCall other = SignedCall.sign(key(), "POST", "/p", BODY, "n-1", NOW + 60);
    refused(() -> new SignedCall(good.address(), "n-1", NOW + 60, other.signature()).verify("POST", "/p", BODY, NOW),
        "is not by");
    refused(() -> new SignedCall(good.address(), "n-1", NOW + 60, "0x12").verify("POST", "/p", BODY, NOW),
        "65 bytes");
    refused(() -> SignedCall.fromHeaders(null, "n", "1", "0x"), "missing header X-Ridecoop-Address");
    refused(() -> SignedCall.fromHeaders("0x12", "n", "1", "0x"), "must be a 0x address");
    refused(() -> SignedCall.fromHeaders(good.address(), "no spaces", "1", "0x"), "1 to 64 letters");
    refused(() -> SignedCall.fromHeaders(good.address(), "n", "soon", "0x"), "unix seconds");
  }

  interface Check {
    void run() throws Exception;
  }

  static void refused(Check check, String reason) {
    assertThatThrownBy(check::run).isInstanceOf(SignedCall.Refused.class).hasMessageContaining(reason);
  }
}
