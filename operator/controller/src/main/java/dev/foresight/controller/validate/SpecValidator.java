package dev.foresight.controller.validate;

import dev.foresight.api.StorageUri;
import dev.foresight.api.v1alpha1.CheckpointSource;
import dev.foresight.api.v1alpha1.Dtype;
import dev.foresight.api.v1alpha1.ProbeEvaluationSpec;
import dev.foresight.api.v1alpha1.ProbeSource;
import dev.foresight.api.v1alpha1.WorkerRuntime;
import dev.foresight.controller.config.OperatorConfig;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The checks a CRD schema cannot express: how fields relate to each other and to the operator's
 * configuration. Each problem reads {@code "<field>: <why>"} so that the user knows what to fix.
 * The schema's own rules (patterns, ranges, required fields) are enforced by the API server; the
 * few repeated here are those whose violation would otherwise surface as a confusing Job error.
 */
public final class SpecValidator {
  private static final Pattern TASK_NAME = Pattern.compile(ProbeEvaluationSpec.TASK_NAME_PATTERN);

  private final OperatorConfig config;

  public SpecValidator(OperatorConfig config) {
    this.config = config;
  }

  /** Every problem found, or an empty list for a spec the operator can run. */
  public List<String> validate(ProbeEvaluationSpec spec) {
    List<String> problems = new ArrayList<>();
    if (spec == null) {
      problems.add("spec: is required");
      return problems;
    }
    Optional<StorageUri> checkpoint = checkpoint(spec.getCheckpoint(), problems);
    Optional<StorageUri> probe = probe(spec.getProbe(), problems);
    Optional<StorageUri> output = Optional.empty();
    if (spec.getOutput() != null) {
      output = parse("spec.output", spec.getOutput(), problems);
      if (output.filter(uri -> uri.scheme() == StorageUri.Scheme.FILE).isPresent()) {
        problems.add("spec.output: file:// is not writable in the worker pod (read-only root filesystem);"
            + " use pvc:// or s3://");
      }
    }
    credentials(spec, checkpoint, probe, output, problems);
    tasks(spec.getTasks(), problems);
    runtime(spec.getRuntime(), problems);
    return problems;
  }

  private Optional<StorageUri> checkpoint(CheckpointSource checkpoint, List<String> problems) {
    if (checkpoint == null) {
      problems.add("spec.checkpoint: is required");
      return Optional.empty();
    }
    if (checkpoint.getRun() == null || checkpoint.getRun().isBlank()) {
      problems.add("spec.checkpoint.run: is required");
    } else if (!KubernetesSyntax.isLabelValue(checkpoint.getRun())) {
      // The run is a metric label and a Job label.
      problems.add("spec.checkpoint.run: '" + checkpoint.getRun() + "' must be at most 63 letters, digits,"
          + " '-', '_' or '.', starting and ending with a letter or digit");
    }
    if (checkpoint.getStep() == null) {
      problems.add("spec.checkpoint.step: is required");
    } else if (checkpoint.getStep() < 0) {
      problems.add("spec.checkpoint.step: must not be negative");
    }
    return parse("spec.checkpoint.uri", checkpoint.getUri(), problems);
  }

  private Optional<StorageUri> probe(ProbeSource probe, List<String> problems) {
    if (probe == null) {
      problems.add("spec.probe: is required");
      return Optional.empty();
    }
    boolean hasUri = probe.getUri() != null;
    boolean hasTraining = probe.getTrainingRef() != null;
    if (hasUri == hasTraining) {
      problems.add("spec.probe: set exactly one of uri and trainingRef");
      return Optional.empty();
    }
    if (hasTraining) {
      if (!KubernetesSyntax.isDnsSubdomain(probe.getTrainingRef())) {
        problems.add("spec.probe.trainingRef: '" + probe.getTrainingRef() + "' is not a ProbeTraining name");
      }
      // The bundle's URI is known once the training has succeeded; it is checked then.
      return Optional.empty();
    }
    return parse("spec.probe.uri", probe.getUri(), problems);
  }

  /** The URI, or empty with the problem added. */
  public static Optional<StorageUri> parse(String field, String text, List<String> problems) {
    try {
      return Optional.of(StorageUri.parse(field, text));
    } catch (IllegalArgumentException e) {
      problems.add(e.getMessage());
      return Optional.empty();
    }
  }

  /**
   * The worker receives one set of S3 credentials (AWS_* variables from one Secret), so every s3://
   * location must be reachable with it: the checkpoint's Secret, else the probe's.
   */
  private static void credentials(ProbeEvaluationSpec spec, Optional<StorageUri> checkpoint,
      Optional<StorageUri> probe, Optional<StorageUri> output, List<String> problems) {
    String checkpointSecret = spec.getCheckpoint() == null ? null : spec.getCheckpoint().getCredentialsSecret();
    String probeSecret = spec.getProbe() == null ? null : spec.getProbe().getCredentialsSecret();
    checkSecretName("spec.checkpoint.credentialsSecret", checkpointSecret, problems);
    checkSecretName("spec.probe.credentialsSecret", probeSecret, problems);
    if (checkpointSecret != null && probeSecret != null && !checkpointSecret.equals(probeSecret)) {
      problems.add("spec.probe.credentialsSecret: '" + probeSecret + "' differs from spec.checkpoint.credentialsSecret '"
          + checkpointSecret + "'; the worker takes one set of S3 credentials, so both must name the same Secret");
    }
    boolean anySecret = checkpointSecret != null || probeSecret != null;
    if (isS3(checkpoint) && checkpointSecret == null) {
      problems.add("spec.checkpoint.credentialsSecret: is required for an s3:// checkpoint (a Secret with"
          + " AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)");
    } else if (isS3(probe) && !anySecret) {
      problems.add("spec.probe.credentialsSecret: is required for an s3:// probe bundle (a Secret with"
          + " AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)");
    } else if (isS3(output) && !anySecret) {
      problems.add("spec.output: an s3:// output needs S3 credentials: set spec.checkpoint.credentialsSecret");
    }
  }

  private static boolean isS3(Optional<StorageUri> uri) {
    return uri.filter(u -> u.scheme() == StorageUri.Scheme.S3).isPresent();
  }

  public static void checkSecretName(String field, String name, List<String> problems) {
    if (name != null && !KubernetesSyntax.isDnsSubdomain(name)) {
      problems.add(field + ": '" + name + "' is not a valid Secret name");
    }
  }

  private static void tasks(List<String> tasks, List<String> problems) {
    if (tasks == null) {
      return;
    }
    if (tasks.isEmpty()) {
      problems.add("spec.tasks: must name at least one task; leave it out to evaluate every task in the bundle");
    }
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < tasks.size(); i++) {
      String task = tasks.get(i);
      if (task == null || !TASK_NAME.matcher(task).matches()) {
        problems.add("spec.tasks[" + i + "]: '" + task + "' is not a task name (lowercase letters, digits, '-', '_', '.')");
      } else if (!seen.add(task)) {
        problems.add("spec.tasks[" + i + "]: '" + task + "' is listed twice");
      }
    }
  }

  /** The checks of a spec's {@code runtime} (one shared type), its fields named spec.runtime.*. */
  public void runtime(WorkerRuntime runtime, List<String> problems) {
    if (runtime == null) {
      return;
    }
    int gpus = runtime.getGpus() != null ? runtime.getGpus() : config.defaultGpus();
    if (runtime.getDtype() == Dtype.FLOAT16 && gpus == 0) {
      problems.add("spec.runtime.dtype: float16 needs a GPU, but spec.runtime.gpus is 0"
          + (runtime.getGpus() == null ? " (the operator's default)" : "") + "; use float32 on CPU");
    }
    if (runtime.getImage() != null && (runtime.getImage().isBlank()
        || runtime.getImage().chars().anyMatch(Character::isWhitespace))) {
      problems.add("spec.runtime.image: '" + runtime.getImage() + "' is not an image reference");
    }
    if (runtime.getQueueName() != null && !KubernetesSyntax.isLabelValue(runtime.getQueueName())) {
      problems.add("spec.runtime.queueName: '" + runtime.getQueueName() + "' is not a valid Kueue LocalQueue name");
    }
    if (runtime.getPriorityClassName() != null && !KubernetesSyntax.isDnsSubdomain(runtime.getPriorityClassName())) {
      problems.add("spec.runtime.priorityClassName: '" + runtime.getPriorityClassName()
          + "' is not a valid PriorityClass name");
    }
    if (runtime.getResources() != null) {
      quantities("spec.runtime.resources.requests", runtime.getResources().getRequests(), problems);
      quantities("spec.runtime.resources.limits", runtime.getResources().getLimits(), problems);
    }
  }

  private void quantities(String field, Map<String, Quantity> quantities, List<String> problems) {
    if (quantities == null) {
      return;
    }
    quantities.forEach((name, quantity) -> {
      if (name.equals(config.gpuResourceName())) {
        problems.add(field + ": set GPUs with spec.runtime.gpus, not " + name);
      } else if (!KubernetesSyntax.isQuantity(quantity)) {
        problems.add(field + "." + name + ": '" + quantity + "' is not a quantity");
      }
    });
  }
}
