package dev.foresight.worker.checkpoint;

import java.util.Arrays;
import java.util.Optional;

/**
 * The decoder families Foresight runs, named by the {@code architectures} entry of config.json.
 * They share one transformer; the differences are exactly these flags (read from transformers'
 * modeling_llama.py, modeling_mistral.py, modeling_qwen2.py, modeling_olmo2.py, modeling_olmo3.py).
 */
public enum Family {
  /** Pre-norm blocks; optional biases per attention_bias / mlp_bias. */
  LLAMA("LlamaForCausalLM", "llama", false, false),
  /** Llama plus an optional sliding window on every layer ({@code sliding_window}). */
  MISTRAL("MistralForCausalLM", "mistral", false, false),
  /** Llama with biases on q/k/v (never on o), often tied embeddings, optional sliding layers. */
  QWEN2("Qwen2ForCausalLM", "qwen2", true, false),
  /** Norm after each branch (not before), RMSNorm on q and k. */
  OLMO2("Olmo2ForCausalLM", "olmo2", false, true),
  /** OLMo-2 plus sliding-window layers ({@code layer_types}: 3 of 4 by default). */
  OLMO3("Olmo3ForCausalLM", "olmo3", false, true);

  private final String architecture;
  private final String modelType;
  private final boolean qkvBias;
  private final boolean postNorm;

  Family(String architecture, String modelType, boolean qkvBias, boolean postNorm) {
    this.architecture = architecture;
    this.modelType = modelType;
    this.qkvBias = qkvBias;
    this.postNorm = postNorm;
  }

  /** The class name transformers uses, e.g. {@code LlamaForCausalLM}. */
  public String architecture() { return architecture; }

  /** config.json's {@code model_type}. */
  public String modelType() { return modelType; }

  /** q/k/v projections always carry a bias (Qwen2). */
  public boolean qkvBias() { return qkvBias; }

  /**
   * OLMo-2/3 blocks: {@code h + norm(attn(h))}, {@code h + norm(mlp(h))} and QK-norm; the others:
   * {@code h + attn(norm(h))}, {@code h + mlp(norm(h))}.
   */
  public boolean postNorm() { return postNorm; }

  public static Optional<Family> ofArchitecture(String name) {
    return Arrays.stream(values()).filter(f -> f.architecture.equals(name)).findFirst();
  }

  public static Optional<Family> ofModelType(String name) {
    return Arrays.stream(values()).filter(f -> f.modelType.equals(name)).findFirst();
  }

  public static String supportedArchitectures() {
    return String.join(", ", Arrays.stream(values()).map(Family::architecture).toList());
  }
}
