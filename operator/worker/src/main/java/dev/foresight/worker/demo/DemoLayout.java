package dev.foresight.worker.demo;

import dev.foresight.worker.probe.ProbeFamily;
import dev.foresight.worker.runtime.Pooling;
import dev.foresight.worker.world.WorldModelTrainer;
import dev.foresight.worker.world.WorldRecipe;
import java.nio.file.Path;

/**
 * Where the demo keeps things under its working directory. {@code checkpoints/step-<N>/} and
 * {@code bundle/} are a contract (the README and the end-to-end workflow use them); the rest is
 * the demo's own.
 */
public record DemoLayout(Path dir) {

  public Path checkpoint(int step) { return WorldModelTrainer.checkpointDir(dir, step); }

  public Path tasks() { return WorldRecipe.tasksDir(dir); }

  /** The generative labels of a checkpoint (JSONL, resumable) and, beside it, their summary. */
  public Path labels(int step) { return dir.resolve("labels").resolve("step-" + step + ".jsonl"); }

  /** The bundle of one probe family reading states pooled by {@code pooling} (see {@link DemoPlan#pooling()}). */
  public Path probe(ProbeFamily family, Pooling pooling) {
    return dir.resolve("probes").resolve(pooling.cliName()).resolve(family.wireName());
  }

  /** The chosen family's bundle: a normal probe bundle for {@code foresight evaluate --probe}. */
  public Path bundle() { return dir.resolve("bundle"); }

  public Path table() { return dir.resolve("table.txt"); }

  public Path summary() { return dir.resolve("summary.json"); }

  public Path plot() { return dir.resolve("pass-at-1.png"); }
}
