package cdktracing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.codelibs.opensearch.runner.OpenSearchRunner;
import org.opensearch.cluster.ClusterState;
import org.opensearch.cluster.ClusterStateUpdateTask;
import org.opensearch.cluster.metadata.IndexMetadata;
import org.opensearch.cluster.metadata.Metadata;
import org.opensearch.cluster.service.ClusterService;
import org.opensearch.common.settings.Settings;

/**
 * Starts one OpenSearch node for a test and keeps it up until the test closes our stdin (or kills
 * us): java -jar opensearch-node.jar BASE_DIR HTTP_PORT TRANSPORT_PORT
 * Binds 127.0.0.1 only, one node, data under BASE_DIR (the test deletes it). Prints
 * "OPENSEARCH_READY http://127.0.0.1:PORT" once the cluster is yellow.
 *
 * One test fixture on stdin: "age INDEX EPOCH_MILLIS" sets the index's creation date. Jaeger's
 * es-index-cleaner deletes by creation date, and OpenSearch refuses index.creation_date from
 * clients, so a test that needs indices created days ago rewrites that one field of the index
 * metadata through a cluster-state update. Answers "aged INDEX" or "error INDEX MESSAGE".
 */
public final class NodeMain {
  private NodeMain() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 3) {
      System.err.println("usage: java -jar opensearch-node.jar BASE_DIR HTTP_PORT TRANSPORT_PORT");
      System.exit(2);
    }
    Path base = Path.of(args[0]);
    Files.createDirectories(base);
    String httpPort = args[1];
    String transportPort = args[2];
    OpenSearchRunner runner = new OpenSearchRunner();
    // The test picked a free port; the runner's own scan stops at 9299 and probes "localhost".
    runner.setMaxHttpPort(-1);
    runner.onBuild((index, settings) -> {
      settings.put("network.host", "127.0.0.1");
      settings.put("http.port", httpPort);
      settings.put("transport.port", transportPort);
      // A throwaway node on a shared machine: never refuse writes because the disk is fullish.
      settings.put("cluster.routing.allocation.disk.threshold_enabled", "false");
    });
    runner.build(OpenSearchRunner.newConfigs()
        .basePath(base.toString())
        .numOfNode(1)
        .baseHttpPort(Integer.parseInt(httpPort) - 1)
        .clusterName("cdk-tracing-test")
        .disableESLogger());
    runner.ensureYellow();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> close(runner)));
    say("OPENSEARCH_READY http://127.0.0.1:" + httpPort);
    ClusterService clusterService = runner.node().injector().getInstance(ClusterService.class);
    // The test holds our stdin open; EOF (the test ended or died) stops the node.
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      String[] words = line.trim().split("\\s+");
      if (words.length == 3 && words[0].equals("age")) {
        age(clusterService, words[1], Long.parseLong(words[2]));
      } else if (!line.isBlank()) {
        say("error - unknown command: " + line);
      }
    }
    close(runner);
    System.exit(0);
  }

  private static void age(ClusterService clusterService, String index, long creationMillis) {
    clusterService.submitStateUpdateTask("cdk-tracing-test: age " + index, new ClusterStateUpdateTask() {
      @Override
      public ClusterState execute(ClusterState current) {
        IndexMetadata old = current.metadata().index(index);
        if (old == null) throw new IllegalArgumentException("no index " + index);
        IndexMetadata aged = IndexMetadata.builder(old)
            .settings(Settings.builder().put(old.getSettings()).put(IndexMetadata.SETTING_CREATION_DATE, creationMillis))
            .settingsVersion(old.getSettingsVersion() + 1)
            .build();
        return ClusterState.builder(current).metadata(Metadata.builder(current.metadata()).put(aged, true)).build();
      }

      @Override
      public void onFailure(String source, Exception e) {
        say("error " + index + " " + e.getMessage());
      }

      @Override
      public void clusterStateProcessed(String source, ClusterState oldState, ClusterState newState) {
        say("aged " + index);
      }
    });
  }

  private static synchronized void say(String line) {
    System.out.println(line);
    System.out.flush();
  }

  private static void close(OpenSearchRunner runner) {
    try {
      if (!runner.isClosed()) runner.close();
    } catch (IOException e) {
      System.err.println("closing the node: " + e);
    }
  }
}
