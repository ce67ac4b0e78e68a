// Generates a Web3j wrapper for every <Name>.abi/<Name>.bin pair that scripts/compile.js wrote.
// Run by the Maven build as a single-file Java program (no compiler download, no web3j Maven
// plugin): java -cp <web3j codegen classpath> scripts/GenerateWrappers.java IN OUT PACKAGE
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.web3j.codegen.SolidityFunctionWrapperGenerator;

public class GenerateWrappers {
  public static void main(String[] args) throws Exception {
    Path in = Path.of(args[0]);
    File out = new File(args[1]);
    String pkg = args[2];
    List<Path> abis;
    try (Stream<Path> s = Files.list(in)) {
      abis = s.filter(p -> p.toString().endsWith(".abi")).sorted().toList();
    }
    for (Path abi : abis) {
      String name = abi.getFileName().toString().replace(".abi", "");
      File bin = in.resolve(name + ".bin").toFile();
      new SolidityFunctionWrapperGenerator(
              bin, abi.toFile(), out, name, pkg, true, false, 160)
          .generate();
    }
    System.out.println("[web3j] generated " + abis.size() + " wrappers into " + out + " (" + pkg + ")");
  }
}
