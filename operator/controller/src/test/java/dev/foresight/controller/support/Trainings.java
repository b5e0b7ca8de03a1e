package dev.foresight.controller.support;

import static org.awaitility.Awaitility.await;

import dev.foresight.api.training.CheckReport;
import dev.foresight.api.training.TrainingReport;
import dev.foresight.api.training.TrainingReports;
import dev.foresight.api.v1alpha1.BundleOutput;
import dev.foresight.api.v1alpha1.FamilyMetrics;
import dev.foresight.api.v1alpha1.GeneratedLabels;
import dev.foresight.api.v1alpha1.LabelSource;
import dev.foresight.api.v1alpha1.LabelledCheckpoint;
import dev.foresight.api.v1alpha1.ProbeTraining;
import dev.foresight.api.v1alpha1.ProbeTrainingSpec;
import dev.foresight.api.v1alpha1.TaskFiles;
import dev.foresight.api.v1alpha1.TrainingCheckpoints;
import dev.foresight.api.worker.TrainingStageCommand;
import dev.foresight.controller.job.JobNames;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.stream.LongStream;

/** ProbeTrainings, their stage Jobs and the stage pods' reports, for tests. */
public final class Trainings {
  public static final String OUTPUT = "pvc://probes/" + Fixtures.RUN + "/trained";
  public static final String ARCHITECTURE = "Olmo3ForCausalLM";

  private static final Duration WAIT = Duration.ofSeconds(40);

  private final KubernetesClient client;
  private final String namespace;

  public Trainings(KubernetesClient client, String namespace) {
    this.client = client;
    this.namespace = namespace;
  }

  /** Checkpoints at steps 100, 200, ... on one claim, labelled generatively in {@code shards} shards each. */
  public static ProbeTraining training(String namespace, String name, int checkpoints, int shards) {
    ProbeTrainingSpec spec = new ProbeTrainingSpec();
    spec.setRun(Fixtures.RUN);
    TrainingCheckpoints list = new TrainingCheckpoints();
    list.setList(LongStream.rangeClosed(1, checkpoints)
        .mapToObj(i -> new LabelledCheckpoint(uri(i * 100), i * 100)).toList());
    spec.setCheckpoints(list);
    spec.setTasks(new TaskFiles("pvc://tasks/demo"));
    GeneratedLabels generate = new GeneratedLabels();
    generate.setShardsPerCheckpoint(shards);
    generate.setParallelism(3);
    spec.setLabels(LabelSource.generate(generate));
    spec.setOutput(new BundleOutput(OUTPUT));
    ProbeTraining training = new ProbeTraining();
    training.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
    training.setSpec(spec);
    return training;
  }

  public static String uri(long step) {
    return "pvc://checkpoints/" + Fixtures.RUN + "/step-" + step;
  }

  /** The check stage's report: {@code checkpoints} alike, {@code prompts} prompts each. */
  public static String checkReport(int checkpoints, long prompts) {
    return TrainingReports.encode(new CheckReport(CheckReport.CURRENT_VERSION, checkpoints, 100, checkpoints * 100L,
        prompts, List.of("gsm8k"), ARCHITECTURE, "sha256:" + "cd".repeat(32), CheckReport.BUNDLE_ABSENT));
  }

  /** The training stage's report: linear and mlp, mlp chosen. */
  public static String trainingReport() {
    return TrainingReports.encode(new TrainingReport(TrainingReport.CURRENT_VERSION,
        List.of(new FamilyMetrics("linear", 0.71, 0.05, 0.04), new FamilyMetrics("mlp", 0.78, 0.04, 0.03)),
        "mlp", OUTPUT, "sha256:" + "ef".repeat(32), List.of(300L)));
  }

  public ProbeTraining get(String name) {
    return client.resources(ProbeTraining.class).inNamespace(namespace).withName(name).get();
  }

  /** The stage's Job, or null while there is none. */
  public Job job(String name, TrainingStageCommand.Stage stage) {
    return client.batch().v1().jobs().inNamespace(namespace).withName(JobNames.ofTraining(get(name), stage)).get();
  }

  /** Waits for the stage's Job. */
  public Job awaitJob(String name, TrainingStageCommand.Stage stage) {
    return await().atMost(WAIT).until(() -> job(name, stage), j -> j != null);
  }

  /** The check passes ({@code checkpoints} alike, {@code prompts} each); returns the labelling Job it leads to. */
  public Job checked(ClusterSimulator cluster, String name, int checkpoints, long prompts) {
    cluster.succeed(awaitJob(name, TrainingStageCommand.Stage.CHECK), checkReport(checkpoints, prompts));
    return awaitJob(name, TrainingStageCommand.Stage.LABEL);
  }

  /** Every one of the labelling Job's {@code indexes} succeeds, then the extraction, then the training. */
  public void finishFromLabelling(ClusterSimulator cluster, String name, Job label, int indexes) {
    cluster.indexesCompleted(label, "0-" + (indexes - 1), indexes);
    cluster.complete(label);
    cluster.complete(awaitJob(name, TrainingStageCommand.Stage.EXTRACT));
    cluster.succeed(awaitJob(name, TrainingStageCommand.Stage.TRAIN), trainingReport());
  }

  public List<Job> jobs() {
    return client.batch().v1().jobs().inNamespace(namespace).list().getItems();
  }
}
