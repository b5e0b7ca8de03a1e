package dev.foresight.worker.model;

import ai.djl.Device;
import dev.foresight.worker.checkpoint.ModelConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which device holds which part of a model too large for one GPU: the embeddings on the first
 * device, consecutive decoder blocks split so that each device's parameter bytes are as even as
 * they can be, the final norm and the output head on the last. The forward pass moves the hidden
 * state to the next device at each boundary (one [B, T, D] copy per boundary, nothing else).
 *
 * <p>A plan of one device is the ordinary single-device model. A plan whose devices are all the
 * same (all {@code cpu}) takes the split code path with transfers that do nothing, which is how the
 * split forward is tested without GPUs.
 *
 * @param devices the devices, in pipeline order
 * @param firstLayer for each device, the index of its first decoder block (ascending, starting at 0)
 * @param numLayers the model's decoder blocks
 */
public record DevicePlan(List<Device> devices, int[] firstLayer, int numLayers) {

  private static final Pattern LAYER = Pattern.compile("^model\\.layers\\.(\\d+)\\.");

  public DevicePlan {
    devices = List.copyOf(devices);
    firstLayer = firstLayer.clone();
    if (devices.isEmpty() || firstLayer.length != devices.size() || firstLayer[0] != 0) {
      throw new IllegalArgumentException("a plan needs one first block per device, the first at 0: "
          + devices + " " + Arrays.toString(firstLayer));
    }
    for (int i = 1; i < firstLayer.length; i++) {
      if (firstLayer[i] <= firstLayer[i - 1] || firstLayer[i] >= numLayers) {
        throw new IllegalArgumentException("every device needs at least one block: " + Arrays.toString(firstLayer)
            + " over " + numLayers + " blocks");
      }
    }
  }

  /** The whole model on one device. */
  public static DevicePlan single(Device device, int numLayers) {
    return new DevicePlan(List.of(device), new int[] {0}, numLayers);
  }

  /**
   * Splits {@code config}'s model over {@code devices}, minimising the largest device's parameter
   * bytes (the model dtype does not matter: every parameter has the same size).
   */
  public static DevicePlan balance(ModelConfig config, List<Device> devices) {
    int n = devices.size();
    int layers = config.numLayers();
    if (n > layers) {
      throw new IllegalArgumentException(n + " devices for " + layers + " decoder blocks: every device needs one");
    }
    long embeddings = (long) config.vocabSize() * config.hiddenSize();
    // A tied head reads the embedding matrix, so the last device keeps a copy of it.
    long tail = (long) config.hiddenSize() + (long) config.vocabSize() * config.hiddenSize();
    long block = blockParameters(config);
    return new DevicePlan(devices, split(layers, n, block, embeddings, tail), layers);
  }

  /** Parameters of one decoder block: q/k/v/o, gate/up/down and the norms (biases and QK-norms are small enough to leave out). */
  static long blockParameters(ModelConfig c) {
    long d = c.hiddenSize();
    long q = (long) c.numHeads() * c.headDim();
    long kv = (long) c.numKvHeads() * c.headDim();
    return d * (q + 2 * kv) + q * d + 3 * d * c.intermediateSize() + 2 * d;
  }

  /**
   * First block of each of {@code parts} contiguous parts of {@code layers} equal blocks, the first
   * part also holding {@code head} and the last {@code tail}, minimising the largest part: every
   * split point is tried (dynamic programming over parts × blocks, small for any real model).
   */
  static int[] split(int layers, int parts, long block, long head, long tail) {
    // best[p][i]: the smallest largest-part for blocks [0, i) in p parts; from[p][i]: where part p starts.
    long[][] best = new long[parts + 1][layers + 1];
    int[][] from = new int[parts + 1][layers + 1];
    for (long[] row : best) {
      Arrays.fill(row, Long.MAX_VALUE);
    }
    for (int i = 1; i <= layers; i++) {
      best[1][i] = head + i * block + (parts == 1 && i == layers ? tail : 0);
    }
    for (int p = 2; p <= parts; p++) {
      for (int i = p; i <= layers; i++) {
        for (int j = p - 1; j < i; j++) {
          long part = (i - j) * block + (p == parts && i == layers ? tail : 0);
          long worst = Math.max(best[p - 1][j], part);
          if (worst < best[p][i]) {
            best[p][i] = worst;
            from[p][i] = j;
          }
        }
      }
    }
    int[] first = new int[parts];
    int end = layers;
    for (int p = parts; p >= 2; p--) {
      first[p - 1] = from[p][end];
      end = first[p - 1];
    }
    return first;
  }

  /** Whether the forward pass runs the split path (more than one entry, even if the devices are the same). */
  public boolean split() { return devices.size() > 1; }

  public Device first() { return devices.get(0); }

  public Device last() { return devices.get(devices.size() - 1); }

  /** The device holding decoder block {@code layer}. */
  public Device layer(int layer) {
    int part = 0;
    while (part + 1 < firstLayer.length && firstLayer[part + 1] <= layer) {
      part++;
    }
    return devices.get(part);
  }

  /** The device a weight named as in Hugging Face checkpoints goes to. */
  public Device of(String weightName) {
    Matcher m = LAYER.matcher(weightName);
    if (m.find()) {
      return layer(Integer.parseInt(m.group(1)));
    }
    return weightName.startsWith("model.embed_tokens.") ? first() : last();
  }

  /** e.g. {@code gpu(0): blocks 0-15 + embeddings; gpu(1): blocks 16-31 + norm, head}. */
  @Override
  public String toString() {
    List<String> parts = new ArrayList<>();
    for (int i = 0; i < devices.size(); i++) {
      int end = i + 1 < devices.size() ? firstLayer[i + 1] : numLayers;
      parts.add(devices.get(i) + ": blocks " + firstLayer[i] + "-" + (end - 1) + (i == 0 ? " + embeddings" : "")
          + (i == devices.size() - 1 ? " + norm, head" : ""));
    }
    return String.join("; ", parts);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DevicePlan p && devices.equals(p.devices) && Arrays.equals(firstLayer, p.firstLayer)
        && numLayers == p.numLayers;
  }

  @Override
  public int hashCode() { return devices.hashCode() * 31 + Arrays.hashCode(firstLayer); }
}
