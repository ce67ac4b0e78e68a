package org.ridecoop.node.besu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The QBFT genesis extraData against the encodings Besu's documentation and quickstart publish. */
class QbftExtraDataTest {

  @Test
  void matchesTheFourValidatorExampleOfBesusQbftGuide() {
    // besu-docs, private-networks/how-to/configure/consensus/qbft.md (extraData example)
    String expected = "0xf87aa00000000000000000000000000000000000000000000000000000000000000000f854"
        + "944592c8e45706cc08b8f44b11e43cba0cfc5892cb9406e23768a0f59cf365e18c2e0c89e151bcdedc70"
        + "94c5327f96ee02d7bcbc1bf1236b8c15148971e1de94ab5e7f4061c605820d3744227eed91ff8e2c8908c080c0";
    assertThat(QbftExtraData.encode(List.of("0x4592c8e45706cc08b8f44b11e43cba0cfc5892cb",
        "0x06e23768a0f59cf365e18c2e0c89e151bcdedc70", "0xc5327f96ee02d7bcbc1bf1236b8c15148971e1de",
        "0xab5e7f4061c605820d3744227eed91ff8e2c8908"))).isEqualTo(expected);
  }

  @Test
  void matchesTheGenesisOfBesusQbftGuide() {
    // the same guide's genesis.json example (another validator set)
    String expected = "0xf87aa00000000000000000000000000000000000000000000000000000000000000000f854"
        + "9464a702e6263b7297a96638cac6ae65e6541f4169943923390ad55e90c237593b3b0e401f3b08a03185"
        + "94aefdb9a738c9f433e5b6b212a6d62f6370c2f69294c7eeb9a4e00ce683cf93039b212648e01c6c6b78c080c0";
    assertThat(QbftExtraData.encode(List.of("64a702e6263b7297a96638cac6ae65e6541f4169",
        "3923390ad55e90c237593b3b0e401f3b08a03185", "aefdb9a738c9f433e5b6b212a6d62f6370c2f692",
        "c7eeb9a4e00ce683cf93039b212648e01c6c6b78"))).isEqualTo(expected);
  }

  @Test
  void matchesTheQuickstartsQbftGenesis() {
    // Consensys/besu-dev-quickstart files/common/config/besu/QBFTgenesis.json
    String expected = "0xf87aa00000000000000000000000000000000000000000000000000000000000000000f854"
        + "9493917cadbace5dfce132b991732c6cda9bcc5b8a9427a97c9aaf04f18f3014c32e036dd0ac76da5f18"
        + "94ce412f988377e31f4d0ff12d74df73b51c42d0ca9498c1334496614aed49d2e81526d089f7264fed9cc080c0";
    assertThat(QbftExtraData.encode(List.of("93917cadbace5dfce132b991732c6cda9bcc5b8a",
        "27a97c9aaf04f18f3014c32e036dd0ac76da5f18", "ce412f988377e31f4d0ff12d74df73b51c42d0ca",
        "98c1334496614aed49d2e81526d089f7264fed9c"))).isEqualTo(expected);
  }

  @Test
  void oneValidatorIsAShortListAndRoundZeroIsTheEmptyScalar() {
    // outer payload 0x3a = 33 (vanity) + 22 (one-address list) + 3 (no vote, round 0x80, no seals)
    assertThat(QbftExtraData.encode(List.of("0xfe3b557e8fb62b89f4916b721be55ceb828dbd73")))
        .isEqualTo("0xf83aa00000000000000000000000000000000000000000000000000000000000000000"
            + "d594fe3b557e8fb62b89f4916b721be55ceb828dbd73c080c0");
  }

  @Test
  void refusesNoValidatorsAndMalformedAddresses() {
    assertThatThrownBy(() -> QbftExtraData.encode(List.of())).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least one validator");
    assertThatThrownBy(() -> QbftExtraData.encode(List.of("0x1234"))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a 20-byte address: 0x1234");
  }
}
