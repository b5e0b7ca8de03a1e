package dev.foresight.worker.probe;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.foresight.worker.features.TaskFeatures;
import dev.foresight.worker.scoring.Outcomes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * Rows for training and scoring a probe: one per (labelled checkpoint, prompt), each with the
 * prompt's features from that checkpoint and its generative outcome there. Soft labels are the
 * per-prompt pass rates.
 */
public final class ProbeDataset {

  /**
   * @param source which labelled checkpoint the row comes from (0-based, in the order given)
   */
  public record Row(String task, String promptId, int source, int passed, int samples) {

    /** A row to predict, whose outcome is not known (samples 0). */
    public static Row unlabelled(String task, String promptId) {
      return new Row(task, promptId, 0, 0, 0);
    }

    public float passRate() {
      if (samples == 0) {
        throw new IllegalStateException(task + "/" + promptId + " has no label");
      }
      return (float) passed / samples;
    }
  }

  /**
   * Every row of {@code features}, without labels: what a probe predicts on a new checkpoint.
   *
   * @param side what each row ends with beside the states (as the head reads them)
   * @param step the checkpoint's training step (null when unknown)
   */
  public static ProbeDataset unlabelled(TaskFeatures features, boolean everyPosition, SideInputs side, Long step) {
    ProbeDataset d = new ProbeDataset(features.width(), everyPosition, side);
    for (int i = 0; i < features.rows(); i++) {
      d.add(features, i, Row.unlabelled(features.task(), features.ids().get(i)), step);
    }
    return d;
  }

  private final int statesWidth;
  private final int width;
  private final boolean everyPosition;
  private final SideInputs side;
  private final List<Row> rows = new ArrayList<>();
  private final List<float[]> states = new ArrayList<>();
  private final List<Integer> lengths = new ArrayList<>();

  public ProbeDataset(int width, boolean everyPosition) {
    this(width, everyPosition, SideInputs.NONE);
  }

  /**
   * @param statesWidth features per position of the hidden states read
   * @param side what each row's vector ends with beside the states (one-vector rows only)
   */
  public ProbeDataset(int statesWidth, boolean everyPosition, SideInputs side) {
    if (side.any() && everyPosition) {
      throw new IllegalArgumentException("answer and step inputs join one-vector rows only, not every position");
    }
    this.statesWidth = statesWidth;
    this.width = statesWidth + side.width();
    this.everyPosition = everyPosition;
    this.side = side;
  }

  /** Features per position of a row: the states' and the side inputs'. */
  public int width() { return width; }

  public boolean everyPosition() { return everyPosition; }

  public int size() { return rows.size(); }

  public List<Row> rows() { return Collections.unmodifiableList(rows); }

  /** Adds row {@code i} of {@code features} with its outcome, from a checkpoint of unknown step. */
  public void add(TaskFeatures features, int i, Row row) {
    add(features, i, row, null);
  }

  /**
   * Adds row {@code i} of {@code features} with its outcome.
   *
   * @param step the training step of the checkpoint the features come from (null when unknown)
   */
  public void add(TaskFeatures features, int i, Row row, Long step) {
    if (features.width() != statesWidth) {
      throw new IllegalArgumentException(features.task() + ": features are " + features.width() + " wide, expected "
          + statesWidth);
    }
    int len = features.lengths()[i];
    int stride = features.positions() * statesWidth;
    float[] vector = Arrays.copyOfRange(features.states(), i * stride, i * stride + len * statesWidth + width - statesWidth);
    side.write(features, i, step, vector, statesWidth);
    rows.add(row);
    states.add(vector);
    lengths.add(len);
  }

  /** A probe's input for rows {@code idx}: right-padded to the longest of them. */
  public ProbeInput input(NDManager manager, int[] idx) {
    int t = 1;
    for (int i : idx) {
      t = Math.max(t, lengths.get(i));
    }
    int positions = everyPosition ? t : 1;
    float[] batch = new float[idx.length * positions * width];
    float[] bias = new float[idx.length * positions];
    float[] last = new float[idx.length * positions];
    for (int b = 0; b < idx.length; b++) {
      float[] s = states.get(idx[b]);
      System.arraycopy(s, 0, batch, b * positions * width, Math.min(s.length, positions * width));
      int length = lengths.get(idx[b]);
      for (int p = length; p < positions; p++) {
        bias[b * positions + p] = ProbeInput.PADDING_BIAS;
      }
      last[b * positions + Math.min(length, positions) - 1] = 1;
    }
    if (!everyPosition) {
      return new ProbeInput(manager.create(batch, new Shape(idx.length, width)), null, null);
    }
    Shape rows = new Shape(idx.length, positions);
    return new ProbeInput(manager.create(batch, new Shape(idx.length, positions, width)),
        manager.create(bias, rows), manager.create(last, rows));
  }

  public ProbeInput input(NDManager manager) {
    return input(manager, all());
  }

  public int[] all() {
    int[] idx = new int[size()];
    Arrays.setAll(idx, i -> i);
    return idx;
  }

  public float[] softLabels(int[] idx) {
    float[] y = new float[idx.length];
    for (int b = 0; b < idx.length; b++) {
      y[b] = rows.get(idx[b]).passRate();
    }
    return y;
  }

  /** Normalisation statistics over every real position of every row (padding excluded). */
  public FeatureStats normStats() {
    int count = lengths.stream().mapToInt(Integer::intValue).sum();
    float[] all = new float[count * width];
    int at = 0;
    for (float[] s : states) {
      System.arraycopy(s, 0, all, at, s.length);
      at += s.length;
    }
    return FeatureStats.of(all, count, width);
  }

  /** The rows of each task, in order, for per-task metrics. */
  public Map<String, int[]> rowsByTask() {
    Map<String, List<Integer>> byTask = new LinkedHashMap<>();
    for (int i = 0; i < rows.size(); i++) {
      byTask.computeIfAbsent(rows.get(i).task(), k -> new ArrayList<>()).add(i);
    }
    Map<String, int[]> out = new LinkedHashMap<>();
    byTask.forEach((task, list) -> out.put(task, list.stream().mapToInt(Integer::intValue).toArray()));
    return out;
  }

  public Outcomes outcomes(int[] idx) {
    int[] passed = new int[idx.length];
    int[] samples = new int[idx.length];
    for (int b = 0; b < idx.length; b++) {
      passed[b] = rows.get(idx[b]).passed();
      samples[b] = rows.get(idx[b]).samples();
    }
    return new Outcomes(passed, samples);
  }

  /** The rows that {@code keep} accepts, in order (for example one checkpoint's, by {@link Row#source}). */
  public ProbeDataset select(Predicate<Row> keep) {
    ProbeDataset out = new ProbeDataset(statesWidth, everyPosition, side);
    for (int i = 0; i < rows.size(); i++) {
      if (keep.test(rows.get(i))) {
        out.rows.add(rows.get(i));
        out.states.add(states.get(i));
        out.lengths.add(lengths.get(i));
      }
    }
    return out;
  }

  /** Training and held-out rows. */
  public record Split(ProbeDataset train, ProbeDataset heldOut) {}

  /**
   * Splits by prompt, within each task: a prompt's rows from every checkpoint land on the same
   * side, so the held-out score measures prompts the probe never saw (not the same prompt seen on
   * another checkpoint). {@code heldOutFraction} of each task's prompts, at least one, are held
   * out; which ones depends only on {@code seed} and the prompt ids.
   */
  public Split split(double heldOutFraction, long seed) {
    Map<String, Set<String>> idsByTask = new LinkedHashMap<>();
    for (Row r : rows) {
      idsByTask.computeIfAbsent(r.task(), k -> new TreeSet<>()).add(r.promptId());
    }
    Set<String> heldOutKeys = new java.util.HashSet<>();
    for (Map.Entry<String, Set<String>> e : idsByTask.entrySet()) {
      List<String> ids = new ArrayList<>(e.getValue());
      if (ids.size() < 2) {
        throw new IllegalArgumentException("task " + e.getKey() + " has " + ids.size()
            + " labelled prompt: at least 2 are needed to hold some out");
      }
      Collections.shuffle(ids, new Random(seed ^ e.getKey().hashCode()));
      int n = Math.max(1, Math.min(ids.size() - 1, (int) Math.round(heldOutFraction * ids.size())));
      ids.subList(0, n).forEach(id -> heldOutKeys.add(e.getKey() + "\u0000" + id));
    }
    ProbeDataset train = new ProbeDataset(statesWidth, everyPosition, side);
    ProbeDataset heldOut = new ProbeDataset(statesWidth, everyPosition, side);
    for (int i = 0; i < rows.size(); i++) {
      Row r = rows.get(i);
      ProbeDataset target = heldOutKeys.contains(r.task() + "\u0000" + r.promptId()) ? heldOut : train;
      target.rows.add(r);
      target.states.add(states.get(i));
      target.lengths.add(lengths.get(i));
    }
    return new Split(train, heldOut);
  }
}
