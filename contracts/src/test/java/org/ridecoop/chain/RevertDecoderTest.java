package org.ridecoop.chain;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Utf8String;
import org.web3j.abi.datatypes.generated.Uint256;

/** Decoding alone; the chain tests cover revert data as Anvil produces it. */
class RevertDecoderTest {
  private final RevertDecoder decoder = RevertDecoder.fromClasspath();

  @Test
  void knowsOurErrorsAndOpenZeppelinsFromTheClasspathAbis() {
    assertThat(decoder.knowsError("ERC20InsufficientBalance")).isTrue();
    assertThat(decoder.knowsError("EpochLengthOutOfBounds")).isTrue();
    assertThat(decoder.knowsError("NoSuchError")).isFalse();
    assertThat(decoder.functionSignature("0xa9059cbb" + "00".repeat(64))).hasValue("transfer(address,uint256)");
  }

  @Test
  void decodesErrorString() {
    ContractError e = decoder.decode("0x08c379a0" + FunctionEncoder.encodeConstructor(List.of(new Utf8String("boom"))));
    assertThat(e.name()).isEqualTo("Error");
    assertThat(e.<String>arg("message")).isEqualTo("boom");
    assertThat(e).hasToString("Error(message=boom)");
  }

  @Test
  void decodesPanic() {
    ContractError e = decoder.decode("0x4e487b71" + FunctionEncoder.encodeConstructor(List.of(new Uint256(0x11))));
    assertThat(e.name()).isEqualTo("Panic");
    assertThat(e.<BigInteger>arg("code")).isEqualTo(0x11);
  }

  @Test
  void unknownSelectorGivesItsHex() {
    ContractError e = decoder.decode("0xDEADBEEF0102");
    assertThat(e.name()).isEqualTo("0xdeadbeef");
    assertThat(e.known()).isFalse();
    assertThat(e.args()).isEmpty();
    assertThat(e.data()).isEqualTo("0xdeadbeef0102");
  }

  @Test
  void emptyRevertDataHasItsOwnName() {
    assertThat(decoder.decode("0x").name()).isEqualTo(ContractError.EMPTY_REVERT);
    assertThat(decoder.decode(null).name()).isEqualTo(ContractError.EMPTY_REVERT);
  }

  @Test
  void truncatedArgumentsStillGiveTheName() {
    String selector = org.web3j.crypto.Hash.sha3String("ERC20InsufficientBalance(address,uint256,uint256)").substring(0, 10);
    ContractError e = decoder.decode(selector + "00".repeat(10));
    assertThat(e.name()).isEqualTo("ERC20InsufficientBalance");
    assertThat(e.args()).isEmpty();
  }
}
