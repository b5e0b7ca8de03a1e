package dev.foresight.worker.labels;

import dev.foresight.worker.Cancellation;
import dev.foresight.worker.model.CausalLm;
import dev.foresight.worker.progress.ProgressBar;
import dev.foresight.worker.runtime.BatchPlan;
import dev.foresight.worker.runtime.Completion;
import dev.foresight.worker.runtime.GenerationTiming;
import dev.foresight.worker.runtime.Generator;
import dev.foresight.worker.runtime.SamplingOptions;
import dev.foresight.worker.tasks.AnswerCheck;
import dev.foresight.worker.tasks.TaskCatalog;
import dev.foresight.worker.tasks.TaskPrompt;
import dev.foresight.worker.tasks.TaskSet;
import dev.foresight.worker.tokenizer.Tokenizer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.BiPredicate;
import java.util.function.Consumer;

/**
 * Generative labelling, the slow reference path: n samples per prompt, each checked by the task's
 * answer check. Prompts are generated in chunks of {@value #PROMPTS_PER_CHUNK} consecutive prompts
 * of a task (the unit of progress and of {@code stopAfter}), and each prompt's samples are drawn
 * from streams seeded by (seed, task, prompt id, sample) alone: so a prompt's samples do not depend
 * on the batch size, on the other prompts of its chunk, on where an interrupted run resumed, or on
 * which shard labelled it. Labels are handed to the sink chunk by chunk, as they finish, in the
 * task files' order.
 */
public final class Labeller {
  public static final int PROMPTS_PER_CHUNK = 16;

  private final CausalLm model;
  private final Tokenizer tokenizer;

  public Labeller(CausalLm model, Tokenizer tokenizer) {
    this.model = model;
    this.tokenizer = tokenizer;
  }

  /**
   * Labels every prompt of {@code tasks} that {@code done} does not already hold.
   *
   * @param batchSize prompts decoded together (each with all its samples)
   * @param done (task, prompt id) → already labelled (a resumed label file); those are not redone
   * @param stopAfter stop once at least this many prompts were labelled in this call (whole
   *     chunks); {@link Long#MAX_VALUE} for all
   * @return prompts labelled in this call
   */
  public long label(TaskCatalog tasks, LabelSettings settings, int batchSize, BiPredicate<String, String> done,
      Consumer<PromptLabel> sink, long stopAfter, ProgressBar progress) {
    return label(tasks, null, settings, batchSize, done, sink, stopAfter, progress);
  }

  /** {@link #label(TaskCatalog, LabelSettings, int, BiPredicate, Consumer, long, ProgressBar)} of one shard's prompts (all when null). */
  public long label(TaskCatalog tasks, LabelShard shard, LabelSettings settings, int batchSize,
      BiPredicate<String, String> done, Consumer<PromptLabel> sink, long stopAfter, ProgressBar progress) {
    Generator generator = new Generator(model, tokenizer::decode, tokenizer.eos());
    long labelled = 0;
    for (TaskSet set : tasks.sets()) {
      List<TaskPrompt> prompts = shard == null ? set.prompts()
          : shard.placesIn(set).stream().map(set.prompts()::get).toList();
      for (int chunk = 0; chunk * PROMPTS_PER_CHUNK < prompts.size(); chunk++) {
        List<TaskPrompt> part = prompts.subList(chunk * PROMPTS_PER_CHUNK,
            Math.min(prompts.size(), (chunk + 1) * PROMPTS_PER_CHUNK));
        long todo = part.stream().filter(p -> !done.test(set.name(), p.id())).count();
        if (todo == 0) {
          progress.advance(part.size());
          continue;
        }
        if (labelled >= stopAfter) {
          return labelled;
        }
        Cancellation.check();
        List<List<Completion>> completions = generate(generator, set.name(), part, settings, batchSize);
        for (int i = 0; i < part.size(); i++) {
          TaskPrompt p = part.get(i);
          if (!done.test(set.name(), p.id())) {
            sink.accept(judge(set.name(), p, completions.get(i)));
            labelled++;
          }
        }
        progress.advance(part.size());
      }
    }
    return labelled;
  }

  /**
   * What {@link #labelFile} did.
   *
   * @param labels everything the file holds now
   * @param before prompts the file held already
   * @param labelled prompts labelled in this call
   * @param seconds the time this call spent generating and checking
   */
  public record FileRun(Labels labels, int before, long labelled, double seconds) {}

  /**
   * Labels into a label file, creating it or continuing it when it holds an unfinished part of the
   * same run (same checkpoint, settings and prompt sets; another run's file is refused). A header
   * with a {@link LabelHeader#shard() shard} labels that shard's prompts only.
   */
  public FileRun labelFile(Path file, LabelHeader header, TaskCatalog tasks, LabelSettings settings, int batchSize,
      long stopAfter, ProgressBar progress) throws IOException {
    int before;
    long labelled;
    long start = System.nanoTime();
    try (LabelFile out = LabelFile.open(file, header)) {
      before = out.doneCount();
      labelled = label(tasks, header.shard(), settings, batchSize, out::isDone, out::append, stopAfter, progress);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    return new FileRun(LabelFile.read(file), before, labelled, seconds);
  }

  /** Generation has no memory plan yet (its KV cache grows with the new tokens): a planned batch decodes the default. */
  static int generationBatch(int batchSize) {
    return batchSize == BatchPlan.FROM_FREE_MEMORY ? BatchPlan.DEFAULT : batchSize;
  }

  /**
   * The chunk's completions, in order. The generator takes one list of stop strings per call, so
   * prompts with different lists (rare: a task's prompts usually share one) go in separate calls.
   */
  private List<List<Completion>> generate(Generator generator, String task, List<TaskPrompt> part, LabelSettings s,
      int batchSize) {
    Map<List<String>, List<Integer>> byStops = new LinkedHashMap<>();
    for (int i = 0; i < part.size(); i++) {
      byStops.computeIfAbsent(part.get(i).stop(), k -> new ArrayList<>()).add(i);
    }
    List<List<Completion>> out = new ArrayList<>(java.util.Collections.nCopies(part.size(), null));
    for (Map.Entry<List<String>, List<Integer>> e : byStops.entrySet()) {
      List<int[]> prompts = e.getValue().stream().map(i -> tokenizer.encode(part.get(i).prompt())).toList();
      // Past the int range the batch is "every sequence at once" (and a batch never holds more).
      long[] seeds = e.getValue().stream().mapToLong(i -> promptSeed(s.seed(), task, part.get(i).id())).toArray();
      SamplingOptions options = new SamplingOptions(s.samples(), s.maxNewTokens(), s.temperature(), s.topP(),
          s.seed(), e.getKey(), (int) Math.min(Integer.MAX_VALUE, (long) generationBatch(batchSize) * s.samples()));
      List<List<Completion>> completions = generator.generate(prompts, seeds, options,
          (done, total) -> Cancellation.check(), new GenerationTiming());
      for (int j = 0; j < prompts.size(); j++) {
        out.set(e.getValue().get(j), completions.get(j));
      }
    }
    return out;
  }

  /**
   * The seed of one prompt's samples: a 64-bit FNV-1a hash of (task, prompt id), mixed with the
   * run's seed. It depends on nothing else, so any shard or batch that holds the prompt draws the
   * same samples, in any JVM.
   */
  static long promptSeed(long seed, String task, String id) {
    long h = 0xcbf29ce484222325L;
    for (byte b : (task + '\u0000' + id).getBytes(StandardCharsets.UTF_8)) {
      h = (h ^ (b & 0xff)) * 0x100000001b3L;
    }
    return new SplittableRandom(seed * 0x9E3779B97F4A7C15L ^ h).nextLong();
  }

  private static PromptLabel judge(String task, TaskPrompt p, List<Completion> samples) {
    AnswerCheck check = p.check();
    List<Boolean> outcomes = new ArrayList<>();
    List<String> outputs = new ArrayList<>();
    for (Completion c : samples) {
      String text = p.cutAtStop(c.text());
      outputs.add(text);
      outcomes.add(check.passes(text));
    }
    return PromptLabel.of(task, p.id(), outcomes, outputs);
  }
}
