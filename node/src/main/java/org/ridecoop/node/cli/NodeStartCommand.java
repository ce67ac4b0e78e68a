package org.ridecoop.node.cli;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.ridecoop.node.NodeComponents;
import org.ridecoop.node.NodeRuntime;
import org.ridecoop.node.config.NodeConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code ridecoop node start --config node.yaml}: validates the config, starts the node and runs
 * until SIGTERM or SIGINT, then stops it gracefully (HTTP first, database last).
 */
@Command(
    name = "start",
    mixinStandardHelpOptions = true,
    description = {"Start a node and run it until SIGTERM or SIGINT.",
        "Settings come from the YAML file, overridden by RIDECOOP_<KEY> environment variables."})
final class NodeStartCommand implements Callable<Integer> {

  private static final Logger LOG = LoggerFactory.getLogger(NodeStartCommand.class);

  /** How long a graceful stop may take before the process exits anyway. */
  static final long STOP_TIMEOUT_SECONDS = 30;

  @ParentCommand
  NodeCommand node;

  @Option(names = "--config", required = true, paramLabel = "FILE", description = "The node's YAML config file.")
  Path config;

  @Override
  public Integer call() throws Exception {
    Map<String, String> env = node.root.environment();
    NodeConfig cfg = NodeConfig.load(config, env);
    NodeRuntime runtime = NodeRuntime.start(cfg, env, NodeComponents.forConfig(cfg))
        .toCompletionStage().toCompletableFuture().get();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      LOG.info("stopping on signal");
      try {
        runtime.stop().toCompletionStage().toCompletableFuture().get(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      } catch (Exception e) {
        LOG.warn("graceful stop did not finish: {}", e.toString());
      }
    }, "ridecoop-shutdown"));
    runtime.terminated().toCompletionStage().toCompletableFuture().join();
    return 0;
  }
}
