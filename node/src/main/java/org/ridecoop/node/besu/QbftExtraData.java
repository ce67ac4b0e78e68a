package org.ridecoop.node.besu;

import java.util.ArrayList;
import java.util.List;
import org.web3j.rlp.RlpEncoder;
import org.web3j.rlp.RlpList;
import org.web3j.rlp.RlpString;
import org.web3j.rlp.RlpType;
import org.web3j.utils.Numeric;

/**
 * The {@code extraData} of a QBFT genesis block, which names the first validators:
 * {@code RLP([32-byte vanity, [validator addresses], [] no vote, round 0 as the empty scalar 0x80,
 * [] no seals])}. QBFT differs from IBFT 2.0 only in the round, an RLP scalar rather than 4 bytes.
 */
public final class QbftExtraData {

  private static final int VANITY_BYTES = 32;

  private QbftExtraData() {}

  /**
   * Encodes the genesis {@code extraData} for {@code validators}, in the order given (callers
   * sort them: Besu writes validator lists in ascending order).
   *
   * @param validators 20-byte addresses, hex with or without {@code 0x}
   * @return {@code 0x}-prefixed hex
   * @throws IllegalArgumentException if the list is empty or an address is not 20 bytes
   */
  public static String encode(List<String> validators) {
    if (validators.isEmpty()) {
      throw new IllegalArgumentException("a QBFT genesis needs at least one validator");
    }
    List<RlpType> addresses = new ArrayList<>();
    for (String v : validators) {
      byte[] address = Numeric.hexStringToByteArray(v);
      if (address.length != 20) {
        throw new IllegalArgumentException("not a 20-byte address: " + v);
      }
      addresses.add(RlpString.create(address));
    }
    RlpList extra = new RlpList(
        RlpString.create(new byte[VANITY_BYTES]),
        new RlpList(addresses),
        new RlpList(),                  // no vote
        RlpString.create(new byte[0]),  // round 0: the empty scalar, 0x80
        new RlpList());                 // no seals in the genesis
    return Numeric.toHexString(RlpEncoder.encode(extra));
  }
}
