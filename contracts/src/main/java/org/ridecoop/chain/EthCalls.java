package org.ridecoop.chain;

import java.io.IOException;
import java.math.BigInteger;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthCall;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/** eth_call with reverts turned into {@link ContractRevertException}s, and replays of mined failures. */
final class EthCalls {
  private static final Pattern HEX = Pattern.compile("0x[0-9a-fA-F]*");

  private EthCalls() {}

  /**
   * Runs {@code tx} as eth_call at {@code block} and returns its result.
   *
   * @throws ContractRevertException if it reverts
   * @throws IOException if the node fails otherwise (unreachable, unknown block, …)
   */
  static String call(Web3j web3j, RevertDecoder decoder, Transaction tx, DefaultBlockParameter block)
      throws IOException {
    EthCall result = web3j.ethCall(tx, block).send();
    if (!result.hasError()) return result.getValue();
    Response.Error error = result.getError();
    if (!isRevert(error)) {
      throw new IOException("eth_call " + describe(decoder, tx.getTo(), tx.getData()) + " failed ("
          + error.getCode() + "): " + error.getMessage());
    }
    throw new ContractRevertException(decoder.decode(revertData(error)),
        describe(decoder, tx.getTo(), tx.getData()), tx.getFrom(), tx.getTo(), null);
  }

  /**
   * Explains a transaction mined with status 0 by replaying it with eth_call on the state after
   * its block (where whatever made it fail has happened), then before its block.
   */
  static ContractRevertException minedFailure(Web3j web3j, RevertDecoder decoder, TransactionReceipt receipt)
      throws IOException {
    String hash = receipt.getTransactionHash();
    var mined = web3j.ethGetTransactionByHash(hash).send().getTransaction()
        .orElseThrow(() -> new IOException("node does not know mined transaction " + hash));
    Transaction replay = new Transaction(mined.getFrom(), null, null, mined.getGas(), mined.getTo(),
        mined.getValue(), mined.getInput());
    String call = describe(decoder, mined.getTo(), mined.getInput());
    BigInteger block = receipt.getBlockNumber();
    for (BigInteger at : List.of(block, block.subtract(BigInteger.ONE))) {
      if (at.signum() < 0) continue;
      EthCall result = web3j.ethCall(replay, DefaultBlockParameter.valueOf(at)).send();
      if (result.hasError() && isRevert(result.getError())) {
        return new ContractRevertException(decoder.decode(revertData(result.getError())), call,
            mined.getFrom(), mined.getTo(), hash);
      }
    }
    return new ContractRevertException(new ContractError(ContractError.NOT_REPRODUCED, "", List.of(), List.of(), "0x"),
        call, mined.getFrom(), mined.getTo(), hash);
  }

  /** Anvil and Geth answer code 3; Besu -32000 with "Execution reverted"; all carry the data. */
  private static boolean isRevert(Response.Error error) {
    return error.getCode() == 3
        || (error.getMessage() != null && error.getMessage().toLowerCase(Locale.ROOT).contains("revert"));
  }

  /** The error's data is kept as raw JSON by Web3j (a quoted string, sometimes an object). */
  private static String revertData(Response.Error error) {
    if (error.getData() == null) return "0x";
    Matcher m = HEX.matcher(error.getData());
    return m.find() ? m.group() : "0x";
  }

  private static String describe(RevertDecoder decoder, String to, String data) {
    if (to == null || to.isEmpty()) return "deploy";
    return decoder.functionSignature(data)
        .orElse("call " + (data != null && data.length() >= 10 ? data.substring(0, 10) : "(no data)"));
  }
}
