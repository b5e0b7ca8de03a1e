package dev.foresight.controller.monitor;

import dev.foresight.api.StorageUri;
import dev.foresight.api.v1alpha1.CheckpointPrefix;
import dev.foresight.api.v1alpha1.ProbeMonitor;
import dev.foresight.api.v1alpha1.ProbeMonitorSpec;
import dev.foresight.controller.job.WorkerLabels;
import dev.foresight.controller.validate.KubernetesSyntax;
import dev.foresight.controller.validate.SpecValidator;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The checks of a ProbeMonitor that its CRD's schema and CEL rules cannot make. Each problem reads
 * {@code "<field>: <why>"}. What the monitor hands its evaluations (probe, tasks, runtime, the
 * prefix's credentials) is checked by the very {@link SpecValidator} that will check them, on the
 * evaluation the monitor would make, its fields named as the monitor's.
 */
public final class MonitorValidator {
  private final SpecValidator evaluations;

  public MonitorValidator(SpecValidator evaluations) {
    this.evaluations = evaluations;
  }

  public List<String> validate(ProbeMonitor monitor) {
    ProbeMonitorSpec spec = monitor.getSpec();
    if (spec == null) {
      return List.of("spec: is required");
    }
    LinkedHashSet<String> problems = new LinkedHashSet<>();
    String name = monitor.getMetadata().getName();
    if (!KubernetesSyntax.isLabelValue(name)) {
      problems.add("metadata.name: '" + name + "' must be at most 63 characters: it labels the monitor's"
          + " evaluations (" + WorkerLabels.MONITOR + ")");
    }
    CheckpointPrefix prefix = spec.getCheckpoints();
    StorageUri uri = null;
    if (prefix == null) {
      problems.add("spec.checkpoints: is required");
    } else {
      try {
        uri = StorageUri.parse("spec.checkpoints.uri", prefix.getUri());
      } catch (IllegalArgumentException e) {
        problems.add(e.getMessage());
      }
      stepPattern(prefix.getStepPattern(), problems);
    }
    if (spec.getProbe() == null) {
      problems.add("spec.probe: is required");
    } else {
      // A validated evaluation of a checkpoint under the prefix (a placeholder where the prefix is
      // invalid, which is reported above): the validated ones carry the most, their output too.
      String checkpoint = uri != null ? uri.resolve("step-0").toString() : "file:///checkpoint";
      for (String problem : evaluations.validate(MonitorEvaluations.spec(spec, checkpoint, 0L, true))) {
        problems.add(asMonitorField(problem));
      }
    }
    return new ArrayList<>(problems);
  }

  private static void stepPattern(String pattern, LinkedHashSet<String> problems) {
    if (pattern == null) {
      return;
    }
    try {
      if (Pattern.compile(pattern).matcher("").groupCount() < 1) {
        problems.add("spec.checkpoints.stepPattern: '" + pattern + "' has no group: its first group must capture"
            + " the step's digits, e.g. ^ckpt-([0-9]+)$");
      }
    } catch (PatternSyntaxException e) {
      problems.add("spec.checkpoints.stepPattern: '" + pattern + "' is not a regular expression: "
          + e.getDescription());
    }
  }

  /** The evaluation's field names as the monitor's spec spells them. */
  private static String asMonitorField(String problem) {
    return problem
        .replace("spec.checkpoint.credentialsSecret", "spec.checkpoints.credentialsSecret")
        .replace("spec.checkpoint.uri", "spec.checkpoints.uri")
        .replace("spec.checkpoint.run", "spec.run")
        .replace("spec.output", "spec.validation.output");
  }
}
