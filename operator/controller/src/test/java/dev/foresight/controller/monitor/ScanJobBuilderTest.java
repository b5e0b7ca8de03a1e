package dev.foresight.controller.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.foresight.api.v1alpha1.ProbeMonitor;
import dev.foresight.api.worker.ScanCommand;
import dev.foresight.api.worker.WorkerCommand;
import dev.foresight.controller.job.JobNames;
import dev.foresight.controller.job.ScanJobBuilder;
import dev.foresight.controller.job.WorkerLabels;
import dev.foresight.controller.support.Monitors;
import dev.foresight.controller.support.TestOperators;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A monitor's scan Job: the worker's hardened pod, small, read-only, no GPU, owned by the monitor. */
class ScanJobBuilderTest {
  static ProbeMonitor monitor() {
    ProbeMonitor m = Monitors.monitor("ns", "run");
    m.getMetadata().setUid("uid-1");
    return m;
  }

  @Test
  void theScanPodIsHardenedSmallAndReadsThePrefixReadOnly() {
    ProbeMonitor m = monitor();
    Job job = new ScanJobBuilder(TestOperators.config()).build(m, "run-scan-x", 300L, null);
    PodSpec pod = job.getSpec().getTemplate().getSpec();
    Container c = pod.getContainers().get(0);
    assertEquals(List.of(ScanCommand.SUBCOMMAND, ScanCommand.PREFIX, Monitors.PREFIX, ScanCommand.MARKER, Monitors.MARKER,
        ScanCommand.ABOVE, "300", WorkerCommand.REPORT_FILE, WorkerCommand.TERMINATION_LOG), c.getArgs());
    assertEquals(TestOperators.IMAGE, c.getImage());
    assertEquals("FallbackToLogsOnError", c.getTerminationMessagePolicy());
    assertTrue(c.getSecurityContext().getReadOnlyRootFilesystem());
    assertEquals(List.of("ALL"), c.getSecurityContext().getCapabilities().getDrop());
    assertTrue(pod.getSecurityContext().getRunAsNonRoot());
    assertFalse(pod.getAutomountServiceAccountToken());
    assertFalse(c.getResources().getLimits().keySet().stream().anyMatch(k -> k.contains("gpu")), "no GPU");
    assertEquals("512Mi", c.getResources().getLimits().get("memory").toString());
    assertTrue(pod.getVolumes().stream().anyMatch(v -> v.getPersistentVolumeClaim() != null
        && v.getPersistentVolumeClaim().getClaimName().equals("checkpoints") && v.getPersistentVolumeClaim().getReadOnly()));
    assertEquals(ScanJobBuilder.DEADLINE_SECONDS, job.getSpec().getActiveDeadlineSeconds());
    assertEquals(0, job.getSpec().getBackoffLimit(), "the monitor retries, with backoff");
    assertTrue(job.getSpec().getTtlSecondsAfterFinished() > 0);
    assertEquals("uid-1", job.getMetadata().getOwnerReferences().get(0).getUid());
    assertEquals("ProbeMonitor", job.getMetadata().getOwnerReferences().get(0).getKind());
    assertEquals(WorkerLabels.SCAN_NAME_VALUE, job.getMetadata().getLabels().get(WorkerLabels.NAME));
  }

  @Test
  void s3CredentialsComeFromTheSecretByReference() {
    ProbeMonitor m = monitor();
    m.getSpec().getCheckpoints().setUri("s3://ckpts/run");
    m.getSpec().getCheckpoints().setCredentialsSecret("s3-creds");
    Job job = new ScanJobBuilder(TestOperators.config()).build(m, "run-scan-x", null, 500L);
    Container c = job.getSpec().getTemplate().getSpec().getContainers().get(0);
    EnvVar key = c.getEnv().stream().filter(e -> e.getName().equals("AWS_SECRET_ACCESS_KEY")).findFirst().orElseThrow();
    assertEquals("s3-creds", key.getValueFrom().getSecretKeyRef().getName());
    assertEquals(null, key.getValue(), "never the value itself");
    assertTrue(c.getArgs().containsAll(List.of(ScanCommand.BELOW, "500")));
    assertEquals("500", job.getMetadata().getAnnotations().get(WorkerLabels.SCAN_BELOW_ANNOTATION));
  }

  @Test
  void scanNamesAreDeterministicPerLookAndFitALabel() {
    ProbeMonitor m = monitor();
    m.getMetadata().setName("r".repeat(63));
    String first = JobNames.ofScan(m, "FIRST/null/null/null");
    assertEquals(first, JobNames.ofScan(m, "FIRST/null/null/null"));
    assertNotEquals(first, JobNames.ofScan(m, "NEW/100/null/2026-12-04T20:00:00.123Z"));
    assertTrue(first.length() <= JobNames.MAX_LENGTH, first);
  }
}
