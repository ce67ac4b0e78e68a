package org.ridecoop.node.cli;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Keys;
import org.web3j.crypto.WalletUtils;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code ridecoop node keygen --out FILE (--password-file F | --password-env VAR)}: creates a new
 * node key as an encrypted web3j wallet file (scrypt) and prints only its address.
 */
@Command(
    name = "keygen",
    mixinStandardHelpOptions = true,
    description = {"Create a node key: an encrypted web3j wallet file (scrypt).",
        "Prints only the key's address. The password never appears on the command line."})
final class NodeKeygenCommand implements Callable<Integer> {

  /** The scrypt cost of the wallet encryption. */
  enum Kdf {
    /** n = 262144: about a second and 256 MiB to decrypt; for real keys. */
    standard,
    /** n = 4096: fast; for tests and demos only. */
    light
  }


  @ParentCommand
  NodeCommand node;

  @Spec
  CommandSpec spec;

  @Option(names = "--out", required = true, paramLabel = "FILE", description = "Where to write the wallet file (must not exist).")
  Path out;

  @ArgGroup(exclusive = true, multiplicity = "1")
  PasswordSource password;

  @Option(names = "--kdf", defaultValue = "standard", paramLabel = "STRENGTH",
      description = "scrypt strength: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  Kdf kdf;

  @Override
  public Integer call() throws Exception {
    if (Files.exists(out)) {
      throw CommandFailure.usage("--out: " + out + " exists; refusing to overwrite a key");
    }
    String pw = password();
    Path dir = out.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    // Written in a private directory next to the target, then moved: never readable by others,
    // never half-written at FILE.
    Path tmp = Files.createTempDirectory(dir, ".keygen", PosixFilePermissions.asFileAttribute(
        PosixFilePermissions.fromString("rwx------")));
    try {
      ECKeyPair pair = Keys.createEcKeyPair();
      String name = WalletUtils.generateWalletFile(pw, pair, tmp.toFile(), kdf == Kdf.standard);
      Path written = tmp.resolve(name);
      Files.setPosixFilePermissions(written, PosixFilePermissions.fromString("rw-------"));
      Files.move(written, out, StandardCopyOption.ATOMIC_MOVE);
      spec.commandLine().getOut().println(Keys.toChecksumAddress(Keys.getAddress(pair)));
      spec.commandLine().getOut().flush();
      return 0;
    } finally {
      deleteTree(tmp);
    }
  }

  private String password() {
    return password.read(node.root.environment());
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
    }
  }
}
