package org.ridecoop.node.chain;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.ridecoop.chain.ChainAccess;
import org.ridecoop.devchain.AnvilChain;
import org.ridecoop.node.NodeRuntime;
import org.ridecoop.node.config.ConfigException;
import org.ridecoop.test.AnvilExtension;
import org.ridecoop.test.CoopFixture;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.DefaultBlockParameterName;

/** The node registers itself in Membership at start, updates a changed registration, and refuses a non-member key. */
@ExtendWith(AnvilExtension.class)
class NodeRegistrationTest {

  static CoopFixture f;

  @TempDir
  Path dir;

  @BeforeAll
  static void deploy(AnvilChain chain, ChainAccess access) throws Exception {
    f = CoopFixture.deploy(chain, access);
  }

  static BigInteger parent(long cell) throws Exception {
    return ChainComponent.registryCells(List.of(cell)).get(0);
  }

  long txCount(Credentials key) throws Exception {
    return f.chain.web3j().ethGetTransactionCount(key.getAddress(), DefaultBlockParameterName.LATEST).send()
        .getTransactionCount().longValueExact();
  }

  @Test
  void registersOnStartAndUpdatesOnChange() throws Exception {
    Credentials key = f.driver(1);
    f.join(key, 0);
    ChainNode node = new ChainNode(dir, f, key);

    NodeRuntime first = node.start(node.config(10, 60_000, "https://a.example.org", List.of(ChainNode.CELL)));
    first.stop().await();
    var registered = f.membership(key).nodeOf(key.getAddress()).send();
    assertThat(registered.component1()).isEqualToIgnoringCase(key.getAddress());
    assertThat(registered.component2()).isEqualTo("https://a.example.org");
    assertThat(registered.component4()).containsExactly(parent(ChainNode.CELL));
    assertThat(registered.component5()).as("usable").isTrue();
    assertThat(parent(ChainNode.CELL)).isEqualTo(new BigInteger("871fb4662ffffff", 16));

    long before = txCount(key);
    NodeRuntime same = node.start(node.config(10, 60_000, "https://a.example.org", List.of(ChainNode.CELL)));
    same.stop().await();
    assertThat(txCount(key)).as("an unchanged registration sends nothing").isEqualTo(before);

    NodeRuntime changed = node.start(node.config(10, 60_000, "https://b.example.org",
        List.of(ChainNode.CELL, ChainNode.OTHER_CELL)));
    changed.stop().await();
    var updated = f.membership(key).nodeOf(key.getAddress()).send();
    assertThat(updated.component2()).isEqualTo("https://b.example.org");
    assertThat(updated.component4()).containsExactly(parent(ChainNode.CELL), parent(ChainNode.OTHER_CELL));
    assertThat(txCount(key)).isEqualTo(before + 1);
    assertThat(f.membership(key).nodeCount().send()).isEqualTo(BigInteger.ONE);
  }

  @Test
  void aKeyThatIsNoDriverMemberIsRefused() throws Exception {
    Credentials stranger = f.rider(7);
    ChainNode node = new ChainNode(dir, f, stranger);
    Throwable failure = null;
    try {
      node.start(node.config(10, 60_000)).stop().await();
    } catch (Throwable e) {
      failure = e;
    }
    assertThat(failure).isNotNull();
    Throwable t = failure;
    while (t != null && !(t instanceof ConfigException)) {
      t = t.getCause();
    }
    assertThat(t).as("a config error (exit 2)").isInstanceOf(ConfigException.class);
    assertThat(t.getMessage()).isEqualTo("keystore.file: the node key " + org.web3j.crypto.Keys.toChecksumAddress(stranger.getAddress())
        + " is not an active member of the drivers college (status None, college 0);"
        + " join the cooperative as a driver with this key first");
    assertThat(f.membership(stranger).nodeCount().send()).isZero();
  }

  @Test
  void aRiderMemberIsNotADriver() throws Exception {
    Credentials rider = f.rider(8);
    f.join(rider, 1);
    ChainNode node = new ChainNode(dir, f, rider);
    Throwable failure = null;
    try {
      node.start(node.config(10, 60_000)).stop().await();
    } catch (Throwable e) {
      failure = e;
    }
    assertThat(failure).isNotNull().hasMessageContaining("(status Active, college 1)");
  }
}
