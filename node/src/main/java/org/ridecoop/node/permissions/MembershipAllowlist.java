package org.ridecoop.node.permissions;

import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.ridecoop.chain.ChainAccess;
import org.ridecoop.contracts.Membership;
import org.ridecoop.deploy.DeploymentManifest;
import org.ridecoop.governance.MemberStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.abi.EventEncoder;
import org.web3j.abi.datatypes.Event;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.exceptions.ClientConnectionException;
import org.web3j.tuples.generated.Tuple5;
import org.web3j.utils.Numeric;

/**
 * What the membership allows, read from the chain: every registered, non-excluded account (users,
 * members, suspended members and those who left: they may still need to withdraw or complete a
 * leave), and the registered nodes whose operator is an active driver member (their signing
 * address as an account, their Besu enode as a node).
 *
 * <p>Membership keeps no list of accounts, so this follows its events: every event naming an
 * account (registered, joined, suspended, excluded, …) makes it re-read that account's status. It
 * starts at the deployment block and remembers where it stopped; a restarted sync reads the events
 * again from the deployment, which is correct because only the current status counts. QBFT blocks
 * are final, so no event is ever undone.
 *
 * <p>Not thread-safe; blocking (call it from one worker thread).
 */
public final class MembershipAllowlist {
  private static final Logger LOG = LoggerFactory.getLogger(MembershipAllowlist.class);
  /** Blocks per eth_getLogs request: stays under the usual provider limits. */
  static final long LOG_CHUNK = 5_000;
  private static final List<Event> ACCOUNT_EVENTS = List.of(Membership.USERREGISTERED_EVENT,
      Membership.MEMBERJOINED_EVENT, Membership.LEAVEREQUESTED_EVENT, Membership.MEMBERLEFT_EVENT,
      Membership.MEMBERSUSPENDED_EVENT, Membership.MEMBEREXCLUDED_EVENT, Membership.MEMBERREINSTATED_EVENT,
      Membership.EXCLUDEDCAPITALREFUNDED_EVENT);
  private static final Set<String> ACCOUNT_TOPICS = Set.copyOf(ACCOUNT_EVENTS.stream()
      .map(EventEncoder::encode).map(t -> t.toLowerCase(Locale.ROOT)).toList());

  private final ChainAccess chain;
  private final Membership membership;
  private final String membershipAddress;
  private final int p2pPort;
  private final Map<String, MemberStatus> statuses = new HashMap<>();
  private final Set<String> applicants;
  private boolean applicantsRead;
  private long nextBlock;
  private Set<String> nodeAccounts = Set.of();
  private Set<String> nodeEnodes = Set.of();
  private boolean nodesStale = true;

  /**
   * @param chain the chain (read-only use)
   * @param manifest where Membership lives and from which block to read its events
   * @param p2pPort the P2P port written into registered nodes' enodes
   */
  public MembershipAllowlist(ChainAccess chain, DeploymentManifest manifest, int p2pPort) {
    this(chain, manifest, p2pPort, List.of());
  }

  /**
   * With applicants: accounts allowed before they register, so they can send their own
   * {@code registerUser} or {@code join} (Membership takes only the sender's own registration, and
   * an account Besu refuses could never send it). An applicant stays allowed unless excluded.
   *
   * @param applicants addresses allowed while not excluded, whatever their status
   */
  public MembershipAllowlist(ChainAccess chain, DeploymentManifest manifest, int p2pPort,
      java.util.Collection<String> applicants) {
    this.chain = chain;
    this.membershipAddress = manifest.address("Membership");
    this.membership = Membership.load(membershipAddress, chain.web3j(), chain.readOnly(), chain.gasProvider());
    this.nextBlock = manifest.deploymentBlock();
    this.p2pPort = p2pPort;
    this.applicants = applicants.stream().map(a -> a.toLowerCase(Locale.ROOT)).collect(java.util.stream.Collectors.toSet());
  }

  /**
   * Catches up with the chain's latest block and returns what the membership allows now.
   *
   * @throws IOException if the chain cannot be read (nothing is half-updated: the next call retries)
   */
  public Allowlists read() throws IOException {
    try {
      return catchUp();
    } catch (ClientConnectionException e) {
      // web3j reports an HTTP error status as an unchecked exception
      throw new IOException("chain RPC: " + e.getMessage(), e);
    }
  }

  private Allowlists catchUp() throws IOException {
    if (!applicantsRead) {
      for (String a : applicants) {
        statuses.put(a, status(a));
      }
      applicantsRead = true;
    }
    long latest = chain.web3j().ethBlockNumber().send().getBlockNumber().longValueExact();
    while (nextBlock <= latest) {
      long to = Math.min(latest, nextBlock + LOG_CHUNK - 1);
      Set<String> touched = new HashSet<>();
      List<Log> logs = logs(nextBlock, to);
      for (Log log : logs) {
        List<String> topics = log.getTopics();
        if (topics.size() > 1 && ACCOUNT_TOPICS.contains(topics.get(0).toLowerCase(Locale.ROOT))) {
          touched.add(addressOf(topics.get(1)));
        }
      }
      for (String account : touched) {
        statuses.put(account, status(account));
      }
      nodesStale |= !logs.isEmpty();
      if (!logs.isEmpty()) {
        LOG.debug("membership events blocks={}..{} events={} accountsTouched={}", nextBlock, to, logs.size(), touched.size());
      }
      nextBlock = to + 1;
    }
    if (nodesStale) {
      readNodes();
    }
    Set<String> accounts = new HashSet<>(nodeAccounts);
    statuses.forEach((account, status) -> {
      if (status != MemberStatus.EXCLUDED && (status != MemberStatus.NONE || applicants.contains(account))) {
        accounts.add(account);
      }
    });
    return Allowlists.of(accounts, nodeEnodes);
  }

  // Node registry: enumerated whole (it is small) whenever a Membership event happened, since an
  // operator's exclusion makes its node unusable without any node event.
  private void readNodes() throws IOException {
    Set<String> accounts = new HashSet<>();
    Set<String> enodes = new HashSet<>();
    try {
      long count = membership.nodeCount().send().longValueExact();
      for (long i = 0; i < count; i++) {
        String node = membership.nodeAt(BigInteger.valueOf(i)).send();
        Tuple5<String, String, byte[], List<BigInteger>, Boolean> n = membership.nodeOf(node).send();
        if (!n.component5()) {
          continue;
        }
        accounts.add(node.toLowerCase(Locale.ROOT));
        byte[] enode = n.component3();
        if (enode.length == 64) {
          enodes.add(enodeUrl(enode, n.component2(), p2pPort));
        }
      }
    } catch (IOException e) {
      throw e;
    } catch (Exception e) {
      throw new IOException("reading the node registry failed: " + e.getMessage(), e);
    }
    nodeAccounts = accounts;
    nodeEnodes = enodes;
    nodesStale = false;
  }

  /**
   * The enode URL of a registered node: its 64-byte public key at the host of its endpoint URL.
   * Membership stores only the key, so the Besu node is taken to run on the host of the ridecoop
   * node's endpoint (Besu needs an IP there, or {@code --Xdns-enabled=true}).
   */
  static String enodeUrl(byte[] publicKey, String endpoint, int p2pPort) {
    String host;
    try {
      host = URI.create(endpoint).getHost();
    } catch (IllegalArgumentException e) {
      host = null;
    }
    return "enode://" + Numeric.toHexStringNoPrefix(publicKey) + "@" + (host == null ? "127.0.0.1" : host) + ":" + p2pPort;
  }

  private List<Log> logs(long from, long to) throws IOException {
    EthFilter filter = new EthFilter(DefaultBlockParameter.valueOf(BigInteger.valueOf(from)),
        DefaultBlockParameter.valueOf(BigInteger.valueOf(to)), membershipAddress);
    EthLog answer = chain.web3j().ethGetLogs(filter).send();
    if (answer.hasError()) {
      throw new IOException("eth_getLogs " + from + ".." + to + " failed: " + answer.getError().getMessage());
    }
    return answer.getLogs().stream().map(r -> (Log) r.get()).toList();
  }

  private MemberStatus status(String account) throws IOException {
    try {
      return MemberStatus.ofId(membership.statusOf(account).send().longValueExact());
    } catch (IOException e) {
      throw e;
    } catch (Exception e) {
      throw new IOException("statusOf(" + account + ") failed: " + e.getMessage(), e);
    }
  }

  private static String addressOf(String topic) {
    String hex = Numeric.cleanHexPrefix(topic);
    return "0x" + hex.substring(hex.length() - 40).toLowerCase(Locale.ROOT);
  }
}
