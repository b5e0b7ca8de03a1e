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
 * The synthetic task world of the tests and the demo: by default ({@link WorldKind#SINGLE_ANSWER})
 * addition and multiplication with worked solutions, and string reversal; or the
 * {@link WorldKind#MANY_ANSWERS many-answers} families; each from small problems up to a largest size. Evaluation prompt
 * sets are drawn once from a seed; training draws fresh problems and never one of the evaluation
 * prompts, so a probe's held-out prompts are unseen by the model too.
 */
public final class SyntheticWorld {
  /** Every character a prompt or answer of the single-answer world can contain: its character tokenizer's alphabet. */
  public static final String ALPHABET = " 0123456789+*=;#abcdefghijlmruv";

  /**
   * The largest problems: operands of up to {@code digits} digits (both of an addition, the first
   * factor of a multiplication by one digit), words of up to {@code letters} letters to reverse;
   * and how often training shows each size. In the many-answers world: sums of up to
   * {@code digits} digits and stepwise additions of up to {@code digits} terms, and up to
   * {@code letters} items to sort.
   *
   * @param trainingDecay in training, a size is drawn this many times as often as the next smaller
   *     one: 1 draws every size equally often, as the evaluation prompt sets always do; below 1 long
   *     problems are rare in training, so they are learnt late (as rare skills are in pretraining)
   */
  public record Sizes(int digits, int letters, double trainingDecay) {
    /** The tests' world: up to 3 digits and 7 letters, every size equally often. */
    public static final Sizes SMALL = new Sizes(3, 7);

    public Sizes {
      if (digits < 1 || digits > 8 || letters < 2) {
        throw new IllegalArgumentException("operands need 1 to 8 digits and words at least 2 letters, not " + digits
            + " digits and " + letters + " letters");
      }
      if (!(trainingDecay > 0 && trainingDecay <= 1)) {
        throw new IllegalArgumentException("the training decay of sizes must be in (0, 1], not " + trainingDecay);
      }
    }

    /** Every size equally often, in training as in evaluation. */
    public Sizes(int digits, int letters) {
      this(digits, letters, 1);
    }
  }

  /** How a family picks the size of a problem between its smallest and largest. */
  public interface SizeDraw {
    int draw(SplittableRandom random, int smallest, int largest);

    /** Every size equally likely. */
    SizeDraw UNIFORM = (random, smallest, largest) -> smallest + random.nextInt(largest - smallest + 1);

    /** Each size {@code decay} times as likely as the one below it (uniform at 1). */
    static SizeDraw decaying(double decay) {
      if (decay == 1) {
        return UNIFORM;
      }
      return (random, smallest, largest) -> {
        int n = largest - smallest + 1;
        double total = (1 - Math.pow(decay, n)) / (1 - decay);
        double u = random.nextDouble() * total;
        double weight = 1;
        for (int k = 0; k < n - 1; k++) {
          if (u < weight) {
            return smallest + k;
          }
          u -= weight;
          weight *= decay;
        }
        return largest;
      };
    }
  }

  private final WorldKind kind;
  private final List<TaskFamily> families;
  private final SizeDraw trainingSizes;

  /** The single-answer world. */
  public SyntheticWorld(Sizes sizes) {
    this(WorldKind.SINGLE_ANSWER, sizes);
  }

  public SyntheticWorld(WorldKind kind, Sizes sizes) {
    this.kind = kind;
    families = kind.families(sizes);
    trainingSizes = SizeDraw.decaying(sizes.trainingDecay());
  }

  /** The alphabet of this world's character tokenizer. */
  public String alphabet() { return kind.alphabet(); }

  /** The largest number of {@code digits} digits: 9, 99, … */
  static int largest(int digits) {
    return (int) Math.pow(10, digits) - 1;
  }

  /** The longest gold answer of any family, in characters. */
  public int longestAnswer() {
    return families.stream().mapToInt(TaskFamily::longestAnswer).max().orElseThrow();
  }

  /** A number of exactly {@code digits} digits (0 to 9 for one digit), uniformly drawn. */
  static int number(SplittableRandom random, int digits) {
    int low = digits == 1 ? 0 : (int) Math.pow(10, digits - 1);
    return low + random.nextInt((int) Math.pow(10, digits) - low);
  }

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
        Example e = f.sample(random, SizeDraw.UNIFORM);
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
      Example e = families.get(random.nextInt(families.size())).sample(random, trainingSizes);
      if (!excluded.contains(e.prompt())) {
        return e;
      }
    }
  }
}
