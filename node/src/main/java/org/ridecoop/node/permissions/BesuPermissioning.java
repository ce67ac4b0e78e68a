package org.ridecoop.node.permissions;

import java.io.IOException;
import java.util.List;
import org.web3j.protocol.Web3jService;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.exceptions.ClientConnectionException;

/**
 * A Besu node's local permissioning through its {@code perm_*} JSON-RPC methods (the node needs
 * {@code PERM} in {@code --rpc-http-api} and a writable permissions file). Web3j's Besu client
 * has no methods for them, so they are sent as generic requests.
 */
public final class BesuPermissioning {

  private final Web3jService rpc;
  private final String name;

  /**
   * @param rpc the node's JSON-RPC endpoint
   * @param name how logs and errors name the node (its URL)
   */
  public BesuPermissioning(Web3jService rpc, String name) {
    this.rpc = rpc;
    this.name = name;
  }

  /** How this node is named in logs. */
  public String name() {
    return name;
  }

  /** The node's two allowlists now. */
  public Allowlists current() throws IOException {
    return Allowlists.of(list("perm_getAccountsAllowlist"), list("perm_getNodesAllowlist"));
  }

  /** Allows {@code accounts} to send transactions. */
  public void addAccounts(List<String> accounts) throws IOException {
    change("perm_addAccountsToAllowlist", accounts);
  }

  /** Refuses transactions from {@code accounts}. */
  public void removeAccounts(List<String> accounts) throws IOException {
    change("perm_removeAccountsFromAllowlist", accounts);
  }

  /** Allows connections from {@code enodes}. */
  public void addNodes(List<String> enodes) throws IOException {
    change("perm_addNodesToAllowlist", enodes);
  }

  /** Refuses connections from {@code enodes}. */
  public void removeNodes(List<String> enodes) throws IOException {
    change("perm_removeNodesFromAllowlist", enodes);
  }

  private List<String> list(String method) throws IOException {
    ListResponse r = send(new Request<>(method, List.of(), rpc, ListResponse.class));
    failOnError(method, r);
    return r.getResult() == null ? List.of() : r.getResult();
  }

  // The list is the single parameter: params [["0x…", …]]. Besu answers "Success".
  private void change(String method, List<String> values) throws IOException {
    if (values.isEmpty()) {
      return;
    }
    StringResponse r = send(new Request<>(method, List.of(values), rpc, StringResponse.class));
    failOnError(method, r);
    if (!"Success".equals(r.getResult())) {
      throw new IOException(name + " " + method + ": unexpected answer " + r.getResult());
    }
  }

  // web3j reports an HTTP error status (a restarting node answers 503) as an unchecked exception
  private <T extends Response<?>> T send(Request<?, T> request) throws IOException {
    try {
      return request.send();
    } catch (ClientConnectionException e) {
      throw new IOException(name + " " + request.getMethod() + ": " + e.getMessage(), e);
    }
  }

  private void failOnError(String method, Response<?> r) throws IOException {
    if (r.hasError()) {
      throw new IOException(name + " " + method + " failed: " + r.getError().getMessage()
          + " (code " + r.getError().getCode() + ")");
    }
  }

  /** A JSON-RPC answer holding a list of strings. */
  public static final class ListResponse extends Response<List<String>> {}

  /** A JSON-RPC answer holding a string. */
  public static final class StringResponse extends Response<String> {}
}
