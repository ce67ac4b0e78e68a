package org.ridecoop.node.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ridecoop.node.NodeFiles;
import org.web3j.utils.Numeric;

class NodeKeyTest {

  @TempDir
  Path dir;

  NodeFiles files;
  Vertx vertx;

  @BeforeEach
  void setUp() throws Exception {
    files = NodeFiles.create(dir);
    vertx = Vertx.vertx();
  }

  @AfterEach
  void tearDown() {
    vertx.close().await();
  }

  NodeConfig.Keystore fromFile(Path passwordFile) {
    return new NodeConfig.Keystore(files.keyFile, Optional.of(passwordFile), Optional.empty());
  }

  @Test
  void decryptsWithThePasswordFile() {
    NodeKey key = NodeKey.load(vertx, fromFile(files.passwordFile), Map.of()).await();

    assertThat(key.address()).isEqualTo(files.address);
    assertThat(key.credentials().getAddress()).isEqualToIgnoringCase(files.address);
  }

  @Test
  void readsThePasswordFromAnEnvironmentVariable() {
    NodeConfig.Keystore ks = new NodeConfig.Keystore(files.keyFile, Optional.empty(), Optional.of("NODE_PW"));

    NodeKey key = NodeKey.load(vertx, ks, Map.of("NODE_PW", NodeFiles.PASSWORD)).await();

    assertThat(key.address()).isEqualTo(files.address);
  }

  @Test
  void toStringShowsOnlyTheAddress() {
    NodeKey key = NodeKey.load(vertx, fromFile(files.passwordFile), Map.of()).await();
    String privateKey = Numeric.toHexStringNoPrefix(key.credentials().getEcKeyPair().getPrivateKey());

    assertThat(key.toString()).isEqualTo("NodeKey[address=" + files.address + "]");
    assertThat(key.toString()).doesNotContain(privateKey);
  }

  @Test
  void aWrongPasswordIsAConfigErrorNamingTheKeystore() throws Exception {
    Path wrong = Files.writeString(dir.resolve("wrong.password"), "not it");

    Future<NodeKey> f = NodeKey.load(vertx, fromFile(wrong), Map.of());

    Throwable e = f.transform(ar -> Future.succeededFuture(ar.cause())).await();
    assertThat(e).isInstanceOf(ConfigException.class);
    assertThat(((ConfigException) e).setting()).isEqualTo("keystore.file");
    assertThat(e.getMessage()).startsWith("keystore.file: cannot decrypt " + files.keyFile
        + " with the password from keystore.passwordFile").doesNotContain("not it");
  }

  @Test
  void aFileThatIsNotAWallet() throws Exception {
    Files.writeString(files.keyFile, "{}");

    Throwable e = NodeKey.load(vertx, fromFile(files.passwordFile), Map.of())
        .transform(ar -> Future.succeededFuture(ar.cause())).await();

    assertThat(e).isInstanceOf(ConfigException.class).hasMessageStartingWith("keystore.file: ");
  }

  @Test
  void passwordFilesLoseOneTrailingLineBreakOnly() throws Exception {
    assertThat(NodeKey.readPasswordFile("p", Files.writeString(dir.resolve("a"), "pw\r\n"))).isEqualTo("pw");
    assertThat(NodeKey.readPasswordFile("p", Files.writeString(dir.resolve("b"), "pw \n\n"))).isEqualTo("pw \n");
    assertThat(NodeKey.readPasswordFile("p", Files.writeString(dir.resolve("c"), "pw"))).isEqualTo("pw");
  }

  @Test
  void anEmptyPasswordFileIsRefused() throws Exception {
    Path empty = Files.writeString(dir.resolve("empty"), "\n");

    Throwable e = NodeKey.load(vertx, fromFile(empty), Map.of())
        .transform(ar -> Future.succeededFuture(ar.cause())).await();

    assertThat(e).hasMessage("keystore.passwordFile: the password file " + empty + " is empty");
  }
}
