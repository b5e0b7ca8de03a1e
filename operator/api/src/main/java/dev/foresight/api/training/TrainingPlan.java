package dev.foresight.api.training;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import dev.foresight.api.HexDigest;
import dev.foresight.api.report.StrictJson;
import dev.foresight.api.v1alpha1.BundleOutput;
import dev.foresight.api.v1alpha1.CheckpointPrefix;
import dev.foresight.api.v1alpha1.LabelSource;
import dev.foresight.api.v1alpha1.LabelledCheckpoint;
import dev.foresight.api.v1alpha1.ProbeTrainingSpec;
import dev.foresight.api.v1alpha1.StepRange;
import dev.foresight.api.v1alpha1.TaskFiles;
import dev.foresight.api.v1alpha1.TrainingSettings;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What every stage pod of one ProbeTraining reads: the operator writes it into a ConfigMap
 * ({@link #CONFIG_MAP_KEY}) mounted at {@link #MOUNT_PATH}, so that a pod's arguments stay short
 * however many checkpoints there are, and each Indexed-Job pod finds its checkpoint and shard from
 * its completion index ({@link LabelShardIndex}).
 *
 * <p>Exactly one of {@code checkpoints} (listed in the spec) and {@code prefix} + {@code steps}
 * (a ProbeMonitor's prefix, listed by the check stage into {@code <workDir>/checkpoints.json} once,
 * then read by every later stage) is set.
 *
 * <p>The work folder's layout, written and read by the worker's stage commands only:
 * {@code checkpoints.json}; {@code labels/step-<step>/labels.jsonl} (and its
 * {@code .shard-I-of-N} files); {@code features/step-<step>/<family>.safetensors};
 * {@code probes/<family>/} (one bundle per family). Every file is written whole or not at all, so a
 * stage that finds its output present skips it: a retried pod, a restarted operator or a re-created
 * resource with the same spec redoes only what is missing.
 *
 * <p>{@code validationOutput} is set with {@code labels.monitorValidation} only: the named
 * ProbeMonitor's {@code validation.output}, under which its validated evaluations keep their
 * per-prompt outputs ({@code step-<step>.json}) that the import stage reads.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TrainingPlan(
    int v,
    String name,
    String run,
    List<LabelledCheckpoint> checkpoints,
    CheckpointPrefix prefix,
    StepRange steps,
    TaskFiles tasks,
    LabelSource labels,
    TrainingSettings probe,
    BundleOutput output,
    String workDir,
    String validationOutput) {

  public static final int CURRENT_VERSION = 1;
  public static final String CONFIG_MAP_KEY = "plan.json";
  public static final String MOUNT_PATH = "/etc/foresight/training";
  public static final String FILE = MOUNT_PATH + "/" + CONFIG_MAP_KEY;

  public TrainingPlan {
    if ((checkpoints == null) == (prefix == null)) {
      throw new IllegalArgumentException("a training plan lists checkpoints or names a prefix, exactly one");
    }
    checkpoints = checkpoints == null ? null : List.copyOf(checkpoints);
    if (labels != null && labels.getMonitorValidation() != null && validationOutput == null) {
      throw new IllegalArgumentException("labels.monitorValidation needs the monitor's validation output prefix");
    }
  }

  /**
   * The plan of {@code spec}; {@code monitorPrefix} is the named ProbeMonitor's prefix when the
   * spec takes its checkpoints from one (else null).
   */
  public static TrainingPlan of(String name, ProbeTrainingSpec spec, CheckpointPrefix monitorPrefix) {
    return of(name, spec, monitorPrefix, null);
  }

  /**
   * @param validationOutput the named ProbeMonitor's {@code spec.validation.output} when the labels
   *     are its validation runs' (else null)
   */
  public static TrainingPlan of(String name, ProbeTrainingSpec spec, CheckpointPrefix monitorPrefix,
      String validationOutput) {
    var c = spec.getCheckpoints();
    StepRange steps = c.getMonitor() == null ? null : c.getMonitor().getSteps();
    String kept = spec.getLabels().getMonitorValidation() == null ? null : validationOutput;
    return new TrainingPlan(CURRENT_VERSION, name, spec.getRun(), c.getList(), c.getList() == null ? monitorPrefix : null,
        steps, spec.getTasks(), spec.getLabels(), spec.getProbe(), spec.getOutput(),
        workDir(spec, monitorPrefix, kept), kept);
  }

  /**
   * {@code <output.uri>.work/<hash>}: the hash covers what the outputs depend on (checkpoints,
   * tasks, label source and probe settings, not the runtime, the label pods' parallelism or
   * overwrite), so two trainings of the same data share their work and a changed one starts anew.
   */
  public static String workDir(ProbeTrainingSpec spec, CheckpointPrefix monitorPrefix) {
    return workDir(spec, monitorPrefix, null);
  }

  /** {@link #workDir(ProbeTrainingSpec, CheckpointPrefix)}; the monitor's validation outputs are labels' input too. */
  public static String workDir(ProbeTrainingSpec spec, CheckpointPrefix monitorPrefix, String validationOutput) {
    Map<String, Object> identity = new LinkedHashMap<>();
    identity.put("checkpoints", spec.getCheckpoints().getList() != null ? spec.getCheckpoints().getList()
        : Map.of("prefix", monitorPrefix == null ? "" : monitorPrefix.getUri(),
            "steps", spec.getCheckpoints().getMonitor().getSteps()));
    identity.put("tasks", spec.getTasks());
    var labels = spec.getLabels();
    if (labels.getGenerate() != null) {
      var g = labels.getGenerate();
      identity.put("generate", List.of(String.valueOf(g.getSamples()), String.valueOf(g.getTemperature()),
          String.valueOf(g.getTopP()), String.valueOf(g.getMaxNewTokens()), String.valueOf(g.getSeed()), g.shards()));
    } else if (labels.getLmEval() != null) {
      identity.put("lmEval", labels.getLmEval());
    } else {
      identity.put("monitorValidation", Map.of("output", validationOutput == null ? "" : validationOutput,
          "minCoverage", String.valueOf(labels.getMonitorValidation().getMinCoverage())));
    }
    identity.put("probe", spec.getProbe());
    String base = spec.getOutput().getUri();
    while (base.endsWith("/")) {
      base = base.substring(0, base.length() - 1);
    }
    return base + ".work/" + HexDigest.sha256(StrictJson.write(identity, "training plan identity")).substring(0, 16);
  }

  public String toJson() { return StrictJson.write(this, "training plan"); }

  /** Reads a plan; errors name what is wrong (a plan is the operator's, so any error is a bug or a foreign file). */
  public static TrainingPlan fromJson(String json) {
    try {
      TrainingPlan plan = StrictJson.MAPPER.readValue(json, TrainingPlan.class);
      if (plan.v() != CURRENT_VERSION) {
        throw new IllegalArgumentException("training plan version " + plan.v() + " is not " + CURRENT_VERSION
            + " (the worker image and the operator differ in version)");
      }
      return plan;
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not a training plan: " + e.getOriginalMessage(), e);
    }
  }

}
