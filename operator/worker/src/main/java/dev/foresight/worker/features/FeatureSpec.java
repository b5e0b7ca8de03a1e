package dev.foresight.worker.features;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.foresight.worker.runtime.Pooling;
import dev.foresight.worker.runtime.SamplerView;
import dev.foresight.worker.probe.ProbeFamily;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Which hidden states a probe reads: the layers (Hugging Face indexing, 0 = embeddings,
 * concatenated per position in this order) and the positions (pooling); and at which temperature
 * the sampler that labelled the prompts is replayed on the gold answers ({@link SamplerView}).
 *
 * @param samplerTemperature the labels' sampling temperature, for the probability that one sample is
 *     the gold answer; null for none (greedy labels, imported labels, features written before it existed)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FeatureSpec(List<Integer> layers, Pooling pooling, Double samplerTemperature) {

  public FeatureSpec(List<Integer> layers, Pooling pooling) {
    this(layers, pooling, null);
  }

  public FeatureSpec {
    if (samplerTemperature != null && !(samplerTemperature > 0 && samplerTemperature < Double.POSITIVE_INFINITY)) {
      throw new IllegalArgumentException("samplerTemperature must be a positive number (or absent), got "
          + samplerTemperature);
    }
    layers = List.copyOf(layers);
    if (layers.isEmpty()) {
      throw new IllegalArgumentException("at least one layer is needed");
    }
    if (layers.stream().distinct().count() != layers.size()) {
      throw new IllegalArgumentException("layers repeat: " + layers);
    }
  }

  /** {@code foresight extract}'s default layers: the last hidden state (after the final norm). */
  public static final String DEFAULT_LAYERS = "-1";
  /** {@code foresight extract}'s default pooling: the prompt's last token. */
  public static final Pooling DEFAULT_POOLING = Pooling.LAST;

  /**
   * What {@code family} reads, given the layers and the one-vector pooling chosen for the linear and
   * mlp probes: those as they are; every position of the pooling's span of the last of the layers
   * (attention); every position of that span at layer L−k, the input of the k copied blocks (submodel).
   *
   * @param layers resolved hidden-state indices (0..L), in order
   * @param pooling one vector per prompt: last, mean or answer
   */
  public static FeatureSpec forFamily(ProbeFamily family, List<Integer> layers, Pooling pooling, int numLayers,
      int submodelBlocks) {
    if (pooling.everyPosition()) {
      throw new IllegalArgumentException("pooling " + pooling.cliName() + " keeps every position: name the one-vector"
          + " pooling of the linear and mlp probes (the others read every position of its span)");
    }
    return switch (family) {
      case LINEAR, MLP -> new FeatureSpec(layers, pooling);
      case ATTENTION -> new FeatureSpec(List.of(layers.get(layers.size() - 1)), pooling.withEveryPosition());
      case SUBMODEL -> new FeatureSpec(List.of(numLayers - submodelBlocks), pooling.withEveryPosition());
    };
  }

  /**
   * Negative indices count back from L+1: -1 is L (after the final norm).
   *
   * @param field the option or field the layers came from, for the error
   */
  public static List<Integer> resolveLayers(String field, List<Integer> layers, int numLayers) {
    List<Integer> out = new ArrayList<>();
    for (int l : layers) {
      int resolved = l < 0 ? numLayers + 1 + l : l;
      if (resolved < 0 || resolved > numLayers) {
        throw new IllegalArgumentException(field + " " + l + " is outside the model's hidden states 0.." + numLayers
            + " (or -" + (numLayers + 1) + "..-1)");
      }
      out.add(resolved);
    }
    return out;
  }

  /**
   * This spec replaying a sampler at {@code temperature}: none for null or 0 (greedy decoding, where
   * one answer's probability is 0 or 1 and says nothing the states do not), nor for a spec of every
   * position (the attention and submodel probes read no answer inputs).
   */
  public FeatureSpec withSamplerTemperature(Double temperature) {
    boolean none = temperature == null || temperature == 0 || everyPosition();
    return new FeatureSpec(layers, pooling, none ? null : temperature);
  }

  /** The sampler this spec replays with {@code endTokens}, or null. */
  public SamplerView sampler(Set<Integer> endTokens) {
    return samplerTemperature == null ? null : new SamplerView(samplerTemperature, endTokens);
  }

  /** Features per position for a model of {@code hiddenSize}. */
  public int width(int hiddenSize) { return hiddenSize * layers.size(); }

  public boolean everyPosition() { return pooling.everyPosition(); }
}
