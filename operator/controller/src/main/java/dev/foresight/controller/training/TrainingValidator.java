package dev.foresight.controller.training;

import dev.foresight.api.StorageUri;
import dev.foresight.api.v1alpha1.CheckpointPrefix;
import dev.foresight.api.v1alpha1.GeneratedLabels;
import dev.foresight.api.v1alpha1.LabelSource;
import dev.foresight.api.v1alpha1.LabelledCheckpoint;
import dev.foresight.api.v1alpha1.PeriodicValidation;
import dev.foresight.api.v1alpha1.ProbeTrainingSpec;
import dev.foresight.api.v1alpha1.TrainingCheckpoints;
import dev.foresight.controller.validate.KubernetesSyntax;
import dev.foresight.controller.validate.SpecValidator;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The checks of a ProbeTraining that its CRD's schema and CEL rules cannot make, before any Job
 * runs; each problem reads {@code "<field>: <why>"}. What needs the checkpoints themselves (one
 * architecture and tokenizer, the prompts, the bundle already at the output) is the check stage's.
 */
public final class TrainingValidator {
  /** Kubernetes caps an Indexed Job with per-index backoff at this many completions. */
  static final int MAX_INDEXES = 100_000;

  private final SpecValidator evaluations;

  public TrainingValidator(SpecValidator evaluations) {
    this.evaluations = evaluations;
  }

  /**
   * @param monitorPrefix the named ProbeMonitor's prefix in monitor mode, or null (list mode, or the
   *     monitor is not there yet: its prefix is checked once it is)
   */
  public List<String> validate(ProbeTrainingSpec spec, CheckpointPrefix monitorPrefix) {
    return validate(spec, monitorPrefix, null);
  }

  /**
   * @param monitorValidation the named ProbeMonitor's spec.validation in monitor mode once the
   *     monitor is there (else null): labels.monitorValidation reads what it keeps
   */
  public List<String> validate(ProbeTrainingSpec spec, CheckpointPrefix monitorPrefix, PeriodicValidation monitorValidation) {
    List<String> problems = new ArrayList<>();
    if (spec == null) {
      return List.of("spec: is required");
    }
    if (spec.getRun() == null || !KubernetesSyntax.isLabelValue(spec.getRun())) {
      // The run is a Job label.
      problems.add("spec.run: '" + spec.getRun() + "' must be at most 63 letters, digits, '-', '_' or '.',"
          + " starting and ending with a letter or digit");
    }
    List<StorageUri> locations = new ArrayList<>();
    checkpoints(spec, monitorPrefix, locations, problems);
    if (spec.getTasks() == null) {
      problems.add("spec.tasks: is required");
    } else {
      SpecValidator.parse("spec.tasks.uri", spec.getTasks().getUri(), problems).ifPresent(locations::add);
    }
    if (spec.getLabels() == null || !spec.getLabels().exactlyOne()) {
      problems.add("spec.labels: " + LabelSource.EXACTLY_ONE);
    } else if (spec.getLabels().getLmEval() != null) {
      SpecValidator.parse("spec.labels.lmEval.uri", spec.getLabels().getLmEval().getUri(), problems)
          .ifPresent(locations::add);
    } else if (spec.getLabels().getMonitorValidation() != null) {
      monitorValidation(spec, monitorPrefix, monitorValidation, locations, problems);
    }
    Optional<StorageUri> output = spec.getOutput() == null ? Optional.empty()
        : SpecValidator.parse("spec.output.uri", spec.getOutput().getUri(), problems);
    if (spec.getOutput() == null) {
      problems.add("spec.output: is required");
    } else if (output.filter(u -> u.scheme() == StorageUri.Scheme.FILE).isPresent()) {
      problems.add("spec.output.uri: file:// is not writable in the stage pods (read-only root filesystem); use pvc:// or s3://");
    }
    output.ifPresent(locations::add);
    credentials(spec, monitorPrefix, locations, problems);
    evaluations.runtime(spec.getRuntime(), problems);
    return problems;
  }

  private static void checkpoints(ProbeTrainingSpec spec, CheckpointPrefix monitorPrefix, List<StorageUri> locations,
      List<String> problems) {
    TrainingCheckpoints checkpoints = spec.getCheckpoints();
    if (checkpoints == null || (checkpoints.getList() == null) == (checkpoints.getMonitor() == null)) {
      problems.add("spec.checkpoints: set exactly one of checkpoints.list and checkpoints.monitor");
      return;
    }
    if (checkpoints.getMonitor() != null) {
      if (monitorPrefix != null) {
        SpecValidator.parse("spec.checkpoints.monitor (ProbeMonitor " + checkpoints.getMonitor().getName()
            + "'s spec.checkpoints.uri)", monitorPrefix.getUri(), problems).ifPresent(locations::add);
      }
      return;
    }
    List<LabelledCheckpoint> list = checkpoints.getList();
    if (list.isEmpty()) {
      problems.add("spec.checkpoints.list: must name at least one checkpoint");
    }
    Map<Long, Integer> steps = new HashMap<>();
    Map<String, Integer> uris = new HashMap<>();
    for (int i = 0; i < list.size(); i++) {
      LabelledCheckpoint c = list.get(i);
      String field = "spec.checkpoints.list[" + i + "]";
      if (c.getStep() == null || c.getStep() < 0) {
        problems.add(field + ".step: is required and must not be negative");
      } else {
        Integer first = steps.putIfAbsent(c.getStep(), i);
        if (first != null) {
          problems.add(field + ".step: " + c.getStep() + " is also the step of spec.checkpoints.list[" + first
              + "]; each labelled checkpoint needs its own step");
        }
      }
      Optional<StorageUri> uri = SpecValidator.parse(field + ".uri", c.getUri(), problems);
      uri.ifPresent(locations::add);
      if (uri.isPresent()) {
        Integer first = uris.putIfAbsent(uri.get().toString(), i);
        if (first != null) {
          problems.add(field + ".uri: " + c.getUri() + " is listed twice (also spec.checkpoints.list[" + first + "])");
        }
      }
    }
    GeneratedLabels generate = spec.getLabels() == null ? null : spec.getLabels().getGenerate();
    long indexes = (long) list.size() * (generate == null ? 1 : generate.shards());
    if (indexes > MAX_INDEXES) {
      problems.add("spec.labels.generate.shardsPerCheckpoint: " + list.size() + " checkpoints x " + generate.shards()
          + " shards is " + indexes + " label pods, more than the " + MAX_INDEXES + " indexes a Job may have");
    }
  }

  /**
   * labels.monitorValidation reads {@code <validation.output>/step-<step>.json} of the monitor that
   * names the checkpoints: it needs that monitor, and the monitor must keep those outputs.
   */
  private static void monitorValidation(ProbeTrainingSpec spec, CheckpointPrefix monitorPrefix,
      PeriodicValidation validation, List<StorageUri> locations, List<String> problems) {
    TrainingCheckpoints checkpoints = spec.getCheckpoints();
    if (checkpoints == null || checkpoints.getMonitor() == null) {
      problems.add(ProbeTrainingSpec.VALIDATION_NEEDS_MONITOR);
      return;
    }
    if (monitorPrefix == null) {
      return; // the monitor is not there yet: checked once it is
    }
    String monitor = "ProbeMonitor " + checkpoints.getMonitor().getName();
    if (validation == null || validation.getOutput() == null) {
      problems.add("spec.labels.monitorValidation: " + monitor + " keeps no validation outputs (its spec.validation"
          + (validation == null ? " is not set" : ".output is not set") + "); set spec.validation.output there so that"
          + " its validated evaluations keep their per-prompt outcomes");
      return;
    }
    SpecValidator.parse("spec.labels.monitorValidation (" + monitor + "'s spec.validation.output)", validation.getOutput(),
        problems).ifPresent(locations::add);
  }

  /**
   * Every stage pod gets one set of S3 credentials: the training's Secret, else (checkpoints from a
   * monitor) the monitor's. A missing Secret object shows later, as the pods' ConfigError.
   */
  private static void credentials(ProbeTrainingSpec spec, CheckpointPrefix monitorPrefix, List<StorageUri> locations,
      List<String> problems) {
    SpecValidator.checkSecretName("spec.credentialsSecret", spec.getCredentialsSecret(), problems);
    if (credentialsSecret(spec, monitorPrefix) != null) {
      return;
    }
    locations.stream().filter(u -> u.scheme() == StorageUri.Scheme.S3).findFirst().ifPresent(u ->
        problems.add("spec.credentialsSecret: is required for " + u + " (a Secret with AWS_ACCESS_KEY_ID and"
            + " AWS_SECRET_ACCESS_KEY)"));
  }

  /** The Secret every stage pod reads its S3 credentials from, or null. */
  public static String credentialsSecret(ProbeTrainingSpec spec, CheckpointPrefix monitorPrefix) {
    if (spec.getCredentialsSecret() != null) {
      return spec.getCredentialsSecret();
    }
    return monitorPrefix == null ? null : monitorPrefix.getCredentialsSecret();
  }
}
