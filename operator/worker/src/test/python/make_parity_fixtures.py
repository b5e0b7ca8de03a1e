#!/usr/bin/env python3
"""Parity fixtures for Foresight's Java runtime, made with Hugging Face transformers.

For tiny random models of each supported family (and two RoPE-scaling variants) this saves, under
OUTPUT_DIR/<family>/:
  config.json, model.safetensors   the checkpoint (save_pretrained, float32)
  expected.safetensors             input_ids [B, T] (I64), lengths [B] (I64, real tokens per row:
                                   rows are right-padded with id 0 and masked), hidden_states.<i>
                                   [B, T, D] for i = 0..L (output_hidden_states: 0 = embeddings,
                                   L = after the final norm) and logits [B, T, V], all float32,
                                   from eval mode with eager attention.
The Java ParityTest loads each checkpoint with the runtime and compares real (unpadded) positions
to within 1e-4.

Every weight is redrawn at random (biases, norms and QK-norms included) so that no part of the
model hides behind a zero or one initialisation. Runs offline with torch, transformers and
safetensors; CPU is enough (CUDA is not used, so the numbers do not depend on GPU kernels).

  python3 make_parity_fixtures.py operator/worker/src/test/resources/parity
"""
import argparse
import json
import pathlib
import sys

import torch
import transformers
from safetensors.torch import save_file

VOCAB = 256
BATCH_LENGTHS = [12, 12, 7]  # the third row is short: right-padded to 12 and masked

MAJOR = int(transformers.__version__.split(".")[0])


def rope(params):
    """rope settings under transformers 5's `rope_parameters`, or 4.x's `rope_theta` + `rope_scaling`."""
    if MAJOR >= 5:
        return {"rope_parameters": params}
    theta = params["rope_theta"]
    scaling = {k: v for k, v in params.items() if k != "rope_theta"}
    return {"rope_theta": theta, "rope_scaling": None if scaling.get("rope_type") == "default" else scaling}


COMMON = dict(vocab_size=VOCAB, hidden_size=64, intermediate_size=128, num_hidden_layers=3,
              num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=128,
              rms_norm_eps=1e-6, pad_token_id=0, bos_token_id=1, eos_token_id=2)
DEFAULT_ROPE = {"rope_type": "default", "rope_theta": 10000.0}

FAMILIES = {
    "llama": ("LlamaConfig", "LlamaForCausalLM", dict(**rope(DEFAULT_ROPE))),
    # llama3 scaling with a short original context, so that all three frequency bands occur.
    "llama-rope-llama3": ("LlamaConfig", "LlamaForCausalLM", dict(**rope({
        "rope_type": "llama3", "rope_theta": 10000.0, "factor": 8.0, "low_freq_factor": 1.0,
        "high_freq_factor": 4.0, "original_max_position_embeddings": 16}))),
    "mistral": ("MistralConfig", "MistralForCausalLM", dict(sliding_window=4, head_dim=16, **rope(DEFAULT_ROPE))),
    "qwen2": ("Qwen2Config", "Qwen2ForCausalLM", dict(tie_word_embeddings=True, use_sliding_window=False,
                                                      **rope(DEFAULT_ROPE))),
    "qwen2-rope-yarn": ("Qwen2Config", "Qwen2ForCausalLM", dict(tie_word_embeddings=False, use_sliding_window=False, **rope({
        "rope_type": "yarn", "rope_theta": 10000.0, "factor": 4.0, "original_max_position_embeddings": 32}))),
    "olmo2": ("Olmo2Config", "Olmo2ForCausalLM", dict(**rope(DEFAULT_ROPE))),
    # Sliding window 4 on layers 0 and 1, full attention on layer 2. RoPE is left to Olmo3Config's
    # defaults (theta 500000, unscaled): its rope settings are per layer type in some transformers
    # versions and flat in others, and they only differ between layer types when scaled.
    "olmo3": ("Olmo3Config", "Olmo3ForCausalLM", dict(sliding_window=4,
              layer_types=["sliding_attention", "sliding_attention", "full_attention"])),
}


def randomize(model, seed):
    generator = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, p in model.named_parameters():
            noise = torch.randn(p.shape, generator=generator) * 0.1
            p.copy_(1.0 + noise if "norm" in name else noise * 2)


def inputs():
    generator = torch.Generator().manual_seed(1234)
    t = max(BATCH_LENGTHS)
    ids = torch.zeros(len(BATCH_LENGTHS), t, dtype=torch.long)
    mask = torch.zeros(len(BATCH_LENGTHS), t, dtype=torch.long)
    for row, n in enumerate(BATCH_LENGTHS):
        ids[row, :n] = torch.randint(3, VOCAB, (n,), generator=generator)
        mask[row, :n] = 1
    return ids, mask


def make(name, out_dir, seed):
    config_class, model_class, extra = FAMILIES[name]
    config = getattr(transformers, config_class)(**COMMON, **extra)
    config._attn_implementation = "eager"  # the plain matmul/softmax path the Java runtime mirrors
    torch.manual_seed(seed)
    model = getattr(transformers, model_class)(config).float().eval()
    randomize(model, seed)
    target = out_dir / name
    target.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(target)  # safetensors: the default since transformers 4.35, the only format in 5
    ids, mask = inputs()
    with torch.no_grad():
        out = model(input_ids=ids, attention_mask=mask, output_hidden_states=True, use_cache=False)
    hidden = out.hidden_states
    if len(hidden) != config.num_hidden_layers + 1:
        sys.exit(f"{name}: expected {config.num_hidden_layers + 1} hidden states, got {len(hidden)}")
    tensors = {"input_ids": ids.contiguous(), "lengths": torch.tensor(BATCH_LENGTHS, dtype=torch.long),
               "logits": out.logits.float().contiguous()}
    for i, h in enumerate(hidden):
        tensors[f"hidden_states.{i}"] = h.float().contiguous()
    save_file(tensors, str(target / "expected.safetensors"),
              metadata={"transformers": transformers.__version__, "torch": torch.__version__,
                        "architecture": model_class})
    with open(target / "config.json") as f:
        saved = json.load(f)
    if not (target / "model.safetensors").is_file():
        sys.exit(f"{name}: save_pretrained wrote no model.safetensors (files: {sorted(p.name for p in target.iterdir())})")
    size = sum(p.stat().st_size for p in target.iterdir())
    print(f"{name:20s} {model_class:18s} layers={config.num_hidden_layers} hidden={config.hidden_size} "
          f"vocab={VOCAB} |logits|max={out.logits.abs().max():.2f} files={size / 1024:.0f} KiB "
          f"rope={saved.get('rope_parameters', saved.get('rope_scaling'))} "
          f"layer_types={saved.get('layer_types')} sliding_window={saved.get('sliding_window')}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("output_dir", type=pathlib.Path)
    parser.add_argument("--families", nargs="*", default=list(FAMILIES), choices=list(FAMILIES))
    args = parser.parse_args()
    torch.set_grad_enabled(False)
    print(f"transformers {transformers.__version__}, torch {torch.__version__}")
    for seed, name in enumerate(args.families):
        make(name, args.output_dir, 100 + seed)
    print(f"wrote {len(args.families)} fixture(s) under {args.output_dir}")


if __name__ == "__main__":
    main()
