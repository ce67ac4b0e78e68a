package org.ridecoop.node.besu;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * A Besu QBFT genesis for a ridecoop chain: free gas ({@code zeroBaseFee}, with
 * {@code --min-gas-price=0} on every node), every fork through Cancun active at block 0 (solc ≥
 * 0.8.20 emits PUSH0, OpenZeppelin 5.5 uses MCOPY), no Osaka (it would cap each transaction at
 * 2^24 gas), and the validators in {@code extraData} in ascending address order.
 *
 * @param chainId the EIP-155 chain id every transaction is signed for
 * @param validators the first validators
 * @param funded accounts given a balance (ridecoop never needs one: gas is free; this is for
 *     tools that refuse to send from an empty account)
 * @param blockPeriodSeconds minimum time between blocks
 * @param requestTimeoutSeconds QBFT round timeout (about twice the block period)
 * @param epochLength blocks after which pending validator votes reset
 */
public record QbftGenesis(long chainId, List<Validator> validators, List<String> funded,
    int blockPeriodSeconds, int requestTimeoutSeconds, long epochLength) {

  /** Marks Istanbul-family BFT blocks; mandatory in a QBFT genesis. */
  static final String BFT_MIX_HASH = "0x63746963616c2062797a616e74696e65206661756c7420746f6c6572616e6365";
  /** The largest block gas limit Besu's free-gas guide recommends. */
  static final String GAS_LIMIT = "0x1fffffffffffff";
  /** A large balance for {@link #funded} accounts (10^24 wei). */
  static final String FUNDED_BALANCE = "0xd3c21bcecceda1000000";

  private static final List<String> BLOCK_FORKS = List.of("homesteadBlock", "eip150Block", "eip155Block",
      "eip158Block", "byzantiumBlock", "constantinopleBlock", "petersburgBlock", "istanbulBlock",
      "muirGlacierBlock", "berlinBlock", "londonBlock", "arrowGlacierBlock", "grayGlacierBlock");
  private static final List<String> TIME_FORKS = List.of("shanghaiTime", "cancunTime");

  public QbftGenesis {
    validators = List.copyOf(validators);
    funded = List.copyOf(funded);
    if (validators.isEmpty()) {
      throw new IllegalArgumentException("at least one validator");
    }
  }

  /** The validator addresses in ascending order, as {@code extraData} lists them. */
  public List<String> sortedValidatorAddresses() {
    return validators.stream().map(v -> v.address().toLowerCase(Locale.ROOT))
        .sorted(Comparator.naturalOrder()).toList();
  }

  /** The genesis file's JSON. */
  public ObjectNode toJson(ObjectMapper json) {
    ObjectNode root = json.createObjectNode();
    ObjectNode config = root.putObject("config");
    config.put("chainId", chainId);
    BLOCK_FORKS.forEach(fork -> config.put(fork, 0));
    TIME_FORKS.forEach(fork -> config.put(fork, 0));
    config.put("zeroBaseFee", true);
    config.put("contractSizeLimit", Integer.MAX_VALUE);
    ObjectNode qbft = config.putObject("qbft");
    qbft.put("blockperiodseconds", blockPeriodSeconds);
    qbft.put("epochlength", epochLength);
    qbft.put("requesttimeoutseconds", requestTimeoutSeconds);
    root.put("nonce", "0x0");
    root.put("timestamp", "0x0");
    root.put("gasLimit", GAS_LIMIT);
    root.put("difficulty", "0x1");
    root.put("mixHash", BFT_MIX_HASH);
    root.put("coinbase", "0x0000000000000000000000000000000000000000");
    root.put("extraData", QbftExtraData.encode(sortedValidatorAddresses()));
    ObjectNode alloc = root.putObject("alloc");
    for (String account : funded) {
      alloc.putObject(account.toLowerCase(Locale.ROOT).replaceFirst("^0x", "")).put("balance", FUNDED_BALANCE);
    }
    return root;
  }
}
