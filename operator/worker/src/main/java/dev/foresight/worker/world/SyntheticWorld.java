package dev.foresight.worker.world;

import dev.foresight.worker.tasks.TaskCatalog;
import dev.foresight.worker.tasks.TaskPrompt;
import dev.foresight.worker.tasks.TaskSet;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The synthetic task world of the tests and the demo: addition and multiplication with worked
 * solutions, and string reversal. Evaluation prompt sets are drawn once from a seed; training draws
 * fresh problems and never one of the evaluation prompts, so a probe's held-out prompts are unseen
 * by the model too.
 */
public final class SyntheticWorld {
  /** Every character a prompt or answer of this world can contain: the character tokenizer's alphabet. */
  public static final String ALPHABET = " 0123456789+*=;#abcdefghijlmruv";

  private final List<TaskFamily> families = List.of(new Addition(), new Multiplication(), new Reversal());

  public List<TaskFamily> families() { return families; }

  /**
   * {@code perTask} distinct prompts of every family, ids {@code <task>-000}, …, the same for the
   * same seed.
   */
  public TaskCatalog promptSets(int perTask, long seed) {
    List<TaskSet> sets = new ArrayList<>();
    for (TaskFamily f : families) {
      SplittableRandom random = new SplittableRandom(seed ^ f.name().hashCode());
      Set<String> seen = new HashSet<>();
      List<TaskPrompt> prompts = new ArrayList<>();
      int attempts = 0;
      while (prompts.size() < perTask) {
        if (++attempts > perTask * 100) {
          throw new IllegalArgumentException(f.name() + " has fewer than " + perTask + " distinct prompts");
        }
        Example e = f.sample(random);
        if (seen.add(e.prompt())) {
          prompts.add(new TaskPrompt(String.format("%s-%03d", f.name(), prompts.size()), e.prompt(), e.answer(),
              e.check(), null, List.of()));
        }
      }
      sets.add(new TaskSet(f.name(), prompts));
    }
    return TaskCatalog.of(sets);
  }

  /** The prompts of {@code catalog}, which training must not show the model. */
  public static Set<String> promptsOf(TaskCatalog catalog) {
    Set<String> prompts = new LinkedHashSet<>();
    catalog.sets().forEach(s -> s.prompts().forEach(p -> prompts.add(p.prompt())));
    return prompts;
  }

  /** A training problem from a uniformly chosen family, never one of {@code excluded}. */
  public Example trainingExample(SplittableRandom random, Set<String> excluded) {
    while (true) {
      Example e = families.get(random.nextInt(families.size())).sample(random);
      if (!excluded.contains(e.prompt())) {
        return e;
      }
    }
  }
}
