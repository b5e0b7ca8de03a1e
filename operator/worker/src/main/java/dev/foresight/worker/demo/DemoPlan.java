package dev.foresight.worker.demo;

import dev.foresight.worker.probe.ProbeFamily;
import dev.foresight.worker.runtime.Pooling;
import dev.foresight.worker.world.SyntheticWorld;
import dev.foresight.worker.world.WorldKind;
import dev.foresight.worker.world.WorldModelTrainer;
import dev.foresight.worker.world.WorldRecipe;
import java.util.List;

/**
 * What {@code foresight demo} does: the world to make, how many of its first checkpoints are
 * labelled generatively to train the probes on, which probe families to train, and which one's
 * bundle becomes {@code bundle/}.
 *
 * @param world the task world and the model's training (checkpoints every {@code saveEvery} steps)
 * @param labelledCheckpoints the first this many checkpoints train the probes; the rest are "later"
 * @param families probe families trained and compared
 * @param family the family written to {@code bundle/} and shown in the table; null picks the one
 *     by {@code ProbeManifest.best}: the simplest within one standard error of the best mean AUROC on
 *     the newest labelled checkpoint, scored by a head trained without it (never the later ones)
 * @param pooling what the linear and mlp probes read (one vector per prompt: last, mean or answer);
 *     the attention and submodel probes read every position of the same span
 *     ({@link Pooling#withEveryPosition()})
 * @param batchSize prompts per forward pass; generation decodes this × samples sequences at once
 * @param probeSeed probe initialisation, held-out split and shuffling
 */
public record DemoPlan(WorldRecipe world, int labelledCheckpoints, List<ProbeFamily> families, ProbeFamily family,
    Pooling pooling, int batchSize, long probeSeed) {

  /**
   * The default demo, what {@code ./foresight demo} runs: 3 minutes of training on 2 cores, 16
   * checkpoints, the first half labelled. Long problems are rare in training (each size 0.6 times
   * as often as the next smaller), so they are learnt late and actual pass@1 keeps rising through
   * the later checkpoints instead of sitting at 1; the probes read the gold answer's states.
   * Chosen on worlds of other seeds (11 and 13), never on this one's scores; BENCHMARKS.md
   * ("Demo world") has what it reaches and how the choice was made.
   */
  public static final DemoPlan DEFAULT = new DemoPlan(
      new WorldRecipe(128, 7, new SyntheticWorld.Sizes(5, 16, 0.6),
          new WorldModelTrainer.Options(3200, 200, 64, 64, 2, 4, 1.5e-3, true, 7)),
      8, List.of(ProbeFamily.values()), null, Pooling.ANSWER, 64, 3);

  /** The most items to sort in the many-answers demo world (its letters; at most 10, one letter each). */
  public static final int MANY_ANSWERS_ITEMS = 8;

  /**
   * The default demo in the world of {@code kind}: {@link #DEFAULT} itself for the single-answer
   * world; for the many-answers world the same model, training, prompts and probes, with sums and
   * stepwise additions up to the default's digits (as terms) and up to {@value #MANY_ANSWERS_ITEMS}
   * items to sort, each size as often in training, relative to the next, as in the default.
   */
  public static DemoPlan defaultFor(WorldKind kind) {
    return switch (kind) {
      case SINGLE_ANSWER -> DEFAULT;
      case MANY_ANSWERS -> {
        WorldRecipe w = DEFAULT.world();
        SyntheticWorld.Sizes sizes = new SyntheticWorld.Sizes(w.sizes().digits(), MANY_ANSWERS_ITEMS,
            w.sizes().trainingDecay());
        yield new DemoPlan(new WorldRecipe(w.promptsPerTask(), w.promptSeed(), sizes, w.training(), kind),
            DEFAULT.labelledCheckpoints(), DEFAULT.families(), DEFAULT.family(), DEFAULT.pooling(), DEFAULT.batchSize(),
            DEFAULT.probeSeed());
      }
    };
  }

  public DemoPlan {
    families = List.copyOf(families);
    int checkpoints = world.checkpointSteps().size();
    if (labelledCheckpoints < 1 || labelledCheckpoints >= checkpoints) {
      throw new IllegalArgumentException("the world saves " + checkpoints + " checkpoints; labelled checkpoints must be"
          + " between 1 and " + (checkpoints - 1) + " so that later ones remain to predict, not " + labelledCheckpoints);
    }
    if (families.isEmpty()) {
      throw new IllegalArgumentException("no probe family to train");
    }
    if (family != null && !families.contains(family)) {
      throw new IllegalArgumentException("probe family " + family + " is not among those trained: " + families);
    }
    if (pooling.everyPosition()) {
      throw new IllegalArgumentException("pooling " + pooling.cliName() + " keeps every position: the demo's pooling is"
          + " what the linear and mlp probes read (last, mean or answer); attention and submodel read every position"
          + " of its span");
    }
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be at least 1, not " + batchSize);
    }
  }

  /** This plan with the probes reading states pooled by {@code other} (the same world, labels and families). */
  public DemoPlan withPooling(Pooling other) {
    return new DemoPlan(world, labelledCheckpoints, families, family, other, batchSize, probeSeed);
  }

  /**
   * This plan in another world of the same recipe and kind: {@code seed} draws the prompt sets and
   * initialises and feeds the model (as {@code foresight demo --seed}). Sampling's seed stays the
   * labelling's own; each prompt's samples still differ between worlds, the prompts and the model
   * being others. The probes' seed stays too, so that seeds compare worlds, not probe draws.
   */
  public DemoPlan withSeed(long seed) {
    WorldModelTrainer.Options t = world.training();
    WorldModelTrainer.Options training = new WorldModelTrainer.Options(t.steps(), t.saveEvery(), t.batchSize(),
        t.hiddenSize(), t.layers(), t.heads(), t.learningRate(), t.cosineDecay(), seed);
    return new DemoPlan(new WorldRecipe(world.promptsPerTask(), seed, world.sizes(), training, world.kind()),
        labelledCheckpoints,
        families, family, pooling, batchSize, probeSeed);
  }

  /** The steps of the labelled checkpoints, oldest first. */
  public List<Integer> labelledSteps() { return world.checkpointSteps().subList(0, labelledCheckpoints); }

  /** The steps of the later checkpoints, which the probes predict and generation checks. */
  public List<Integer> laterSteps() {
    List<Integer> all = world.checkpointSteps();
    return all.subList(labelledCheckpoints, all.size());
  }
}
