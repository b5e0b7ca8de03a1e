package dev.foresight.controller.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.foresight.controller.validate.KubernetesSyntax;
import org.junit.jupiter.api.Test;

class JobNamesTest {
  @Test
  void sameResourceSameName() {
    assertEquals(JobNames.of("olmo3-7b-step120000", "uid-1"), JobNames.of("olmo3-7b-step120000", "uid-1"));
    assertTrue(JobNames.of("olmo3-7b-step120000", "uid-1").startsWith("olmo3-7b-step120000-"));
  }

  @Test
  void aResourceCreatedAgainUnderTheSameNameGetsAnotherJob() {
    assertNotEquals(JobNames.of("step-1", "uid-1"), JobNames.of("step-1", "uid-2"));
  }

  @Test
  void longAndDottedNamesBecomeValidJobNames() {
    String name = "olmo3-7b.stage2." + "x".repeat(200) + "-";
    String job = JobNames.of(name, "uid");
    assertEquals(JobNames.MAX_LENGTH, job.length());
    assertTrue(KubernetesSyntax.isDnsLabel(job), job);
    String cutAtDash = JobNames.of("a".repeat(53) + "-b", "uid");
    assertTrue(KubernetesSyntax.isDnsLabel(cutAtDash), cutAtDash);
  }
}
