package dev.foresight.worker.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ModelConfigTest {

  private static final String LLAMA31 = """
      {"architectures": ["LlamaForCausalLM"], "hidden_size": 4096, "intermediate_size": 14336,
       "num_attention_heads": 32, "num_hidden_layers": 32, "num_key_value_heads": 8, "vocab_size": 128256,
       "rms_norm_eps": 1e-05, "rope_theta": 500000.0, "max_position_embeddings": 131072,
       "rope_scaling": {"factor": 8.0, "low_freq_factor": 1.0, "high_freq_factor": 4.0,
                        "original_max_position_embeddings": 8192, "rope_type": "llama3"},
       "bos_token_id": 128000, "eos_token_id": [128001, 128008, 128009], "torch_dtype": "bfloat16"}
      """;

  @Test
  void llama31WithLlama3RopeScaling() throws Exception {
    ModelConfig c = ModelConfig.parse(LLAMA31);
    assertEquals(Family.LLAMA, c.family());
    assertEquals(128, c.headDim());
    assertEquals(8, c.numKvHeads());
    assertEquals(List.of(128001, 128008, 128009), c.eosTokenIds());
    RopeParameters rope = c.fullRope();
    assertEquals("llama3", rope.type());
    float[] scaled = rope.inverseFrequencies(128);
    float[] plain = RopeParameters.defaults(500000).inverseFrequencies(128);
    assertEquals(plain[0], scaled[0], "high frequencies (short wavelengths) are kept");
    assertEquals(plain[63] / 8, scaled[63], 1e-12, "low frequencies are divided by the factor");
    assertTrue(scaled[40] < plain[40] && scaled[40] >= plain[40] / 8, "the middle is a ramp between");
    assertEquals(1.0, rope.attentionScaling());
    assertFalse(c.slidingLayers().contains(true));
  }

  @Test
  void yarnUnderTransformers5RopeParameters() throws Exception {
    ModelConfig c = ModelConfig.parse("""
        {"architectures": ["Qwen2ForCausalLM"], "hidden_size": 64, "intermediate_size": 128,
         "num_attention_heads": 4, "num_hidden_layers": 2, "vocab_size": 100, "tie_word_embeddings": true,
         "max_position_embeddings": 4096,
         "rope_parameters": {"rope_type": "yarn", "rope_theta": 10000.0, "factor": 4.0,
                             "original_max_position_embeddings": 1024}}
        """);
    RopeParameters rope = c.fullRope();
    assertEquals(10000.0, rope.theta());
    assertEquals(0.1 * Math.log(4) + 1, rope.attentionScaling(), 1e-12);
    float[] inv = rope.inverseFrequencies(16);
    float[] plain = RopeParameters.defaults(10000).inverseFrequencies(16);
    assertEquals(plain[0], inv[0], 1e-9, "fast-rotating dimensions extrapolate");
    assertEquals(plain[7] / 4, inv[7], 1e-9, "slow-rotating dimensions interpolate");
    assertTrue(c.tieWordEmbeddings());
    assertTrue(c.family().qkvBias());
  }

  @Test
  void linearScalingAndTheOldTypeKey() throws Exception {
    ModelConfig c = ModelConfig.parse("""
        {"architectures": ["LlamaForCausalLM"], "hidden_size": 32, "intermediate_size": 64,
         "num_attention_heads": 4, "num_hidden_layers": 1, "vocab_size": 10,
         "rope_scaling": {"type": "linear", "factor": 2.0}}
        """);
    float[] inv = c.fullRope().inverseFrequencies(8);
    float[] plain = RopeParameters.defaults(10000).inverseFrequencies(8);
    for (int i = 0; i < inv.length; i++) {
      assertEquals(plain[i] / 2, inv[i], 1e-9);
    }
  }

  @Test
  void olmo3LayerTypesAndPerTypeRope() throws Exception {
    ModelConfig c = ModelConfig.parse("""
        {"architectures": ["Olmo3ForCausalLM"], "hidden_size": 32, "intermediate_size": 64,
         "num_attention_heads": 4, "num_hidden_layers": 4, "vocab_size": 10, "sliding_window": 16,
         "layer_types": ["sliding_attention", "sliding_attention", "sliding_attention", "full_attention"],
         "rope_parameters": {"full_attention": {"rope_type": "yarn", "rope_theta": 500000, "factor": 8.0,
                                                "original_max_position_embeddings": 8192},
                             "sliding_attention": {"rope_type": "default", "rope_theta": 500000}}}
        """);
    assertEquals(List.of(true, true, true, false), c.slidingLayers());
    assertEquals(16, c.slidingWindow());
    assertEquals("yarn", c.rope(3).type());
    assertEquals("default", c.rope(0).type());
    assertEquals(1e-5, c.rmsNormEps(), "OLMo's default eps");
  }

  @Test
  void defaultsPerFamily() throws Exception {
    String base = "\"hidden_size\": 32, \"intermediate_size\": 64, \"num_attention_heads\": 4, "
        + "\"num_hidden_layers\": 8, \"vocab_size\": 10";
    ModelConfig olmo3 = ModelConfig.parse("{\"architectures\": [\"Olmo3ForCausalLM\"], \"sliding_window\": 4, " + base + "}");
    assertEquals(List.of(true, true, true, false, true, true, true, false), olmo3.slidingLayers());
    assertEquals(500000, olmo3.fullRope().theta());
    ModelConfig mistral = ModelConfig.parse("{\"architectures\": [\"MistralForCausalLM\"], \"sliding_window\": 4, " + base + "}");
    assertTrue(mistral.slidingLayers().stream().allMatch(s -> s));
    ModelConfig mistralNoWindow = ModelConfig.parse("{\"architectures\": [\"MistralForCausalLM\"], \"sliding_window\": null, " + base + "}");
    assertFalse(mistralNoWindow.slidingLayers().contains(true));
    ModelConfig qwen = ModelConfig.parse("{\"architectures\": [\"Qwen2ForCausalLM\"], \"use_sliding_window\": true, "
        + "\"sliding_window\": 4, \"max_window_layers\": 6, " + base + "}");
    assertEquals(List.of(false, false, false, false, false, false, true, true), qwen.slidingLayers());
    assertEquals(1e-6, qwen.rmsNormEps());
    // Without the key, transformers' Mistral, Qwen2 and OLMo-3 configs use a window of 4096 (null means none).
    ModelConfig mistralDefault = ModelConfig.parse("{\"architectures\": [\"MistralForCausalLM\"], " + base + "}");
    assertEquals(4096, mistralDefault.slidingWindow());
    assertTrue(mistralDefault.slidingLayers().stream().allMatch(s -> s));
    assertEquals(mistralNoWindow, ModelConfig.parse(mistralNoWindow.toJson()), "no window survives a write and a read");
    ModelConfig olmo3Default = ModelConfig.parse("{\"architectures\": [\"Olmo3ForCausalLM\"], " + base + "}");
    assertEquals(4096, olmo3Default.slidingWindow());
    ModelConfig llama = ModelConfig.parse("{\"architectures\": [\"LlamaForCausalLM\"], " + base + "}");
    assertEquals(0, llama.slidingWindow());
    assertFalse(llama.slidingLayers().contains(true));
  }

  @Test
  void toJsonReadsBackTheSame() throws Exception {
    ModelConfig c = ModelConfig.parse(LLAMA31);
    assertEquals(c, ModelConfig.parse(c.toJson()));
    ModelConfig tiny = ModelConfig.llama(40, 64, 128, 2, 4, 2, 256, 1, 2);
    assertEquals(tiny, ModelConfig.parse(tiny.toJson()));
  }

  @Test
  void badConfigsNameTheField() {
    assertMessage("{\"architectures\": [\"LlamaForCausalLM\"]}", "'hidden_size' must be a positive integer");
    assertMessage("{\"architectures\": [\"BertModel\"]}", "unsupported architecture [BertModel]");
    assertMessage("{not json", "not well-formed JSON");
    String base = "\"architectures\": [\"LlamaForCausalLM\"], \"hidden_size\": 32, \"intermediate_size\": 64, "
        + "\"num_attention_heads\": 4, \"num_hidden_layers\": 1, \"vocab_size\": 10";
    assertMessage("{" + base + ", \"hidden_act\": \"gelu\"}", "hidden_act 'gelu'");
    assertMessage("{" + base + ", \"num_key_value_heads\": 3}", "not a multiple of num_key_value_heads 3");
    assertMessage("{" + base + ", \"rope_scaling\": {\"rope_type\": \"longrope\"}}", "rope type 'longrope' is not supported");
    assertMessage("{" + base + ", \"layer_types\": [\"full_attention\", \"full_attention\"]}", "one type per layer (1)");
    assertMessage("{" + base + ", \"layer_types\": [\"sliding_attention\"]}", "need a positive sliding_window");
    // Optional sizes, when given, must be usable: no silent fallback, no division by zero.
    assertMessage("{" + base + ", \"num_key_value_heads\": 0}", "'num_key_value_heads' must be a positive integer, found 0");
    assertMessage("{" + base + ", \"num_key_value_heads\": \"two\"}", "'num_key_value_heads' must be a positive integer");
    assertMessage("{" + base + ", \"head_dim\": -8}", "'head_dim' must be a positive integer, found -8");
    assertMessage("{" + base + ", \"max_position_embeddings\": 1.5}", "'max_position_embeddings' must be a positive integer");
    assertMessage("{" + base + ", \"sliding_window\": 0, \"layer_types\": [\"sliding_attention\"]}",
        "'sliding_window' must be a positive integer, found 0");
  }

  private static void assertMessage(String json, String expected) {
    CheckpointException e = assertThrows(CheckpointException.class, () -> ModelConfig.parse(json));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }
}
