package dev.foresight.controller.training;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.foresight.api.v1alpha1.Phase;
import dev.foresight.api.v1alpha1.ProbeTrainingStatus;
import dev.foresight.api.v1alpha1.TrainingStage;
import dev.foresight.api.worker.TrainingStageCommand.Stage;
import dev.foresight.controller.ForesightOperator;
import dev.foresight.controller.support.ClusterSimulator;
import dev.foresight.controller.support.TestOperators;
import dev.foresight.controller.support.Trainings;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The status and the stage Jobs are the record: an operator stopped while the labelling Job runs,
 * and a new one started after more shards finished, makes no second Job, redoes no stage and goes on.
 */
@EnableKubernetesMockClient(crud = true, https = false)
class ProbeTrainingRestartTest {
  static final Duration WAIT = Duration.ofSeconds(30);
  static final String NS = "restart-training";
  static KubernetesMockServer server;
  static KubernetesClient client;

  @Test
  void restartMidLabellingMakesNoSecondJobAndContinues() {
    TestOperators.installCrd(client);
    ClusterSimulator cluster = new ClusterSimulator(client);
    Trainings trainings = new Trainings(client, NS);
    client.resource(Trainings.training(NS, "demo", 2, 2)).create();

    Job check;
    Job label;
    String labellingSince;
    try (ForesightOperator first = TestOperators.start(server, TestOperators.config())) {
      label = trainings.checked(cluster, "demo", 2, 10);
      check = trainings.job("demo", Stage.CHECK);
      cluster.indexesCompleted(label, "0", 1);
      labellingSince = await().atMost(WAIT).until(() -> trainings.get("demo").getStatus(),
          s -> s.getProgress() != null && Integer.valueOf(1).equals(s.getProgress().getShardsDone())).getStageStartTime();
    }
    // While no operator runs, more shards finish.
    cluster.indexesCompleted(label, "0-2", 3);

    try (ForesightOperator second = TestOperators.start(server, TestOperators.config())) {
      ProbeTrainingStatus resumed = await().atMost(WAIT).until(() -> trainings.get("demo").getStatus(),
          s -> Integer.valueOf(3).equals(s.getProgress().getShardsDone()));
      assertEquals(TrainingStage.Labelling, resumed.getStage());
      assertEquals("3/4 shards, 15/20 prompts", resumed.getProgress().getSummary());
      assertEquals(labellingSince, resumed.getStageStartTime(), "the stage's start stands");
      assertEquals(List.of(check.getMetadata().getName(), label.getMetadata().getName()), jobNames(trainings),
          "no second check or label Job");
      assertEquals(label.getMetadata().getUid(), trainings.job("demo", Stage.LABEL).getMetadata().getUid());

      trainings.finishFromLabelling(cluster, "demo", label, 4);
      await().atMost(WAIT).until(() -> trainings.get("demo").getStatus().getPhase() == Phase.Succeeded);
      assertEquals(4, trainings.jobs().size());
      assertEquals(1, events("Labelling"), "the labelling stage was announced once, by the first operator");
      assertEquals(1, events("Checking"));
    }
  }

  static List<String> jobNames(Trainings trainings) {
    return trainings.jobs().stream().map(j -> j.getMetadata().getName()).sorted().toList();
  }

  static long events(String reason) {
    return client.v1().events().inNamespace(NS).list().getItems().stream()
        .filter(e -> reason.equals(e.getReason())).count();
  }
}
