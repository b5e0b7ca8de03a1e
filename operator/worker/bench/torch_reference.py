#!/usr/bin/env python3
"""PyTorch-eager reference for `foresight bench runtime`: the same Llama-shaped checkpoint, the same
prompts, the same measurements (prefill and KV-cache decode tokens/s), written with plain torch ops
in the shape of transformers' eager LlamaModel. No transformers or safetensors package is needed:
the safetensors format is parsed here (8-byte header length, JSON header, raw little-endian data).

On CUDA (--device cuda) the weights go to the GPU in --dtype, every timing waits for the device
(torch.cuda.synchronize), and --attention sdpa swaps the eager attention for PyTorch's
scaled_dot_product_attention (flash or memory-efficient kernels where they apply).

Run by `foresight bench runtime`, which measures both sides in alternation: the script loads the
model, prints one JSON line (load time, final hidden states at the last prompt token), then answers
each line "prefill" or "decode" on stdin with {"seconds": ...}, until "quit" or end of input.
"""
import argparse
import json
import math
import os
import struct
import sys
import time


def _threads_argument():
    return sys.argv[sys.argv.index("--threads") + 1] if "--threads" in sys.argv else "1"


# Debian's torch does its matrix products in OpenBLAS, whose own thread pool ignores
# torch.set_num_threads: pin it (before the library loads) so that both sides use --threads cores.
os.environ.setdefault("OPENBLAS_NUM_THREADS", _threads_argument())
os.environ.setdefault("OMP_NUM_THREADS", _threads_argument())

import numpy as np  # noqa: E402
import torch  # noqa: E402

DTYPES = {"F32": np.float32, "F16": np.float16, "I64": np.int64, "I32": np.int32}


def read_checkpoint(directory):
    """model.safetensors, or every shard named in model.safetensors.index.json."""
    index = os.path.join(directory, "model.safetensors.index.json")
    if not os.path.exists(index):
        return read_safetensors(os.path.join(directory, "model.safetensors"))
    with open(index) as f:
        shards = sorted(set(json.load(f)["weight_map"].values()))
    tensors = {}
    for shard in shards:
        tensors.update(read_safetensors(os.path.join(directory, shard)))
    return tensors


def read_safetensors(path):
    with open(path, "rb") as f:
        (n,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(n))
        data = f.read()
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        if info["dtype"] == "BF16":
            raw = np.frombuffer(data, dtype=np.uint16, count=math.prod(info["shape"]) or 0, offset=info["data_offsets"][0])
            array = (raw.astype(np.uint32) << 16).view(np.float32)
        else:
            begin, end = info["data_offsets"]
            array = np.frombuffer(data[begin:end], dtype=DTYPES[info["dtype"]])
        tensors[name] = torch.from_numpy(array.copy()).reshape(info["shape"])
    return tensors


class Llama:
    """transformers' LlamaModel in eager mode, op for op (RMSNorm in float32, rotate_half RoPE, GQA)."""

    def __init__(self, config, w, attention="eager"):
        self.c = config
        self.w = w
        self.attention = attention
        self.heads = config["num_attention_heads"]
        self.kv_heads = config.get("num_key_value_heads", self.heads)
        self.head_dim = config.get("head_dim") or config["hidden_size"] // self.heads
        self.eps = config["rms_norm_eps"]
        theta = config.get("rope_theta", 10000.0)
        device = w["model.embed_tokens.weight"].device
        self.inv_freq = 1.0 / (theta ** (torch.arange(0, self.head_dim, 2, dtype=torch.int64, device=device).float() / self.head_dim))
        self.lm_head = w.get("lm_head.weight", w["model.embed_tokens.weight"])

    def norm(self, x, weight):
        # As transformers' LlamaRMSNorm: in float32, back to the model dtype before the weight.
        x32 = x.float()
        variance = x32.pow(2).mean(-1, keepdim=True)
        return weight * (x32 * torch.rsqrt(variance + self.eps)).to(x.dtype)

    def rope(self, positions, dtype):
        freqs = positions[:, :, None].float() * self.inv_freq[None, None, :]
        emb = torch.cat((freqs, freqs), dim=-1)
        return emb.cos()[:, None].to(dtype), emb.sin()[:, None].to(dtype)

    @staticmethod
    def rotate_half(x):
        half = x.shape[-1] // 2
        return torch.cat((-x[..., half:], x[..., :half]), dim=-1)

    def forward(self, ids, positions, bias, cache=None):
        b, t = ids.shape
        h = torch.nn.functional.embedding(ids, self.w["model.embed_tokens.weight"])
        cos, sin = self.rope(positions, h.dtype)
        for i in range(self.c["num_hidden_layers"]):
            p = f"model.layers.{i}."
            x = self.norm(h, self.w[p + "input_layernorm.weight"])
            q = torch.nn.functional.linear(x, self.w[p + "self_attn.q_proj.weight"]).view(b, t, self.heads, self.head_dim).transpose(1, 2)
            k = torch.nn.functional.linear(x, self.w[p + "self_attn.k_proj.weight"]).view(b, t, self.kv_heads, self.head_dim).transpose(1, 2)
            v = torch.nn.functional.linear(x, self.w[p + "self_attn.v_proj.weight"]).view(b, t, self.kv_heads, self.head_dim).transpose(1, 2)
            q = q * cos + self.rotate_half(q) * sin
            k = k * cos + self.rotate_half(k) * sin
            if cache is not None:
                if i in cache:
                    k = torch.cat((cache[i][0], k), dim=2)
                    v = torch.cat((cache[i][1], v), dim=2)
                cache[i] = (k, v)
            rep = self.heads // self.kv_heads
            if rep > 1:
                k = k.repeat_interleave(rep, dim=1)
                v = v.repeat_interleave(rep, dim=1)
            if self.attention == "sdpa":
                # Prefill is causal from position 0; a decode step's one query sees every cached key.
                attn = torch.nn.functional.scaled_dot_product_attention(q, k, v, is_causal=t > 1)
            else:
                scores = torch.matmul(q, k.transpose(2, 3)) / math.sqrt(self.head_dim) + bias
                attn = torch.matmul(torch.softmax(scores, dim=-1, dtype=torch.float32).to(q.dtype), v)
            h = h + torch.nn.functional.linear(attn.transpose(1, 2).reshape(b, t, -1), self.w[p + "self_attn.o_proj.weight"])
            x = self.norm(h, self.w[p + "post_attention_layernorm.weight"])
            gate = torch.nn.functional.linear(x, self.w[p + "mlp.gate_proj.weight"])
            up = torch.nn.functional.linear(x, self.w[p + "mlp.up_proj.weight"])
            h = h + torch.nn.functional.linear(torch.nn.functional.silu(gate) * up, self.w[p + "mlp.down_proj.weight"])
        return self.norm(h, self.w["model.norm.weight"])


def causal_bias(t, device="cpu", dtype=torch.float32):
    return torch.triu(torch.full((t, t), torch.finfo(dtype).min, device=device, dtype=dtype), diagonal=1)[None, None]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--checkpoint", required=True)
    ap.add_argument("--prompts", required=True, help="safetensors file with I64 'ids' [N, T]")
    ap.add_argument("--batch-size", type=int, default=16)
    ap.add_argument("--decode-tokens", type=int, default=32)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--runs", type=int, default=3, help="timed loads of the checkpoint (the best is reported)")
    ap.add_argument("--device", default="cpu", help="cpu or cuda[:N]")
    ap.add_argument("--dtype", default="float32", choices=["float32", "float16", "bfloat16"])
    ap.add_argument("--attention", default="eager", choices=["eager", "sdpa"])
    args = ap.parse_args()
    device = torch.device(args.device)
    dtype = getattr(torch, args.dtype)
    if device.type == "cuda":
        # Parity in float32 means float32: no TensorFloat-32 in the matrix products.
        torch.backends.cuda.matmul.allow_tf32 = False
        torch.backends.cudnn.allow_tf32 = False

    def sync():
        if device.type == "cuda":
            torch.cuda.synchronize(device)
    torch.set_num_threads(args.threads)
    torch.set_num_interop_threads(1)

    loads = []
    for _ in range(args.runs):
        start = time.perf_counter()
        with open(f"{args.checkpoint}/config.json") as f:
            config = json.load(f)
        weights = {k: v.to(device=device, dtype=dtype) for k, v in read_checkpoint(args.checkpoint).items()}
        model = Llama(config, weights, args.attention)
        sync()
        loads.append(time.perf_counter() - start)
    ids = read_safetensors(args.prompts)["ids"][: args.batch_size].to(device)
    b, t = ids.shape
    positions = torch.arange(t, device=device)[None].expand(b, t)

    def prefill():
        return model.forward(ids, positions, causal_bias(t, device, dtype))

    def decode():
        """Seconds for --decode-tokens greedy steps after a prefill into the cache."""
        cache = {}
        h = model.forward(ids, positions, causal_bias(t, device, dtype), cache)
        nxt = torch.nn.functional.linear(h[:, -1], model.lm_head).argmax(-1)
        sync()
        s = time.perf_counter()
        for step in range(args.decode_tokens):
            pos = torch.full((b, 1), t + step, device=device)
            h = model.forward(nxt[:, None], pos, torch.zeros(1, 1, 1, t + step + 1, device=device, dtype=dtype), cache)
            nxt = torch.nn.functional.linear(h[:, -1], model.lm_head).argmax(-1)
        sync()
        return time.perf_counter() - s

    # Serve timing requests from the Java benchmark, one line each, so that both sides are measured
    # in alternation under the same machine load.
    with torch.inference_mode():
        last = prefill()  # warm-up, and the states to compare
        decode()
        print(json.dumps({"torch": torch.__version__, "threads": args.threads, "load_s": min(loads),
                          "device": str(device), "dtype": args.dtype, "attention": args.attention,
                          "last_token_state": last[:, -1].float().flatten().cpu().tolist()}), flush=True)
        for line in sys.stdin:
            command = line.strip()
            if command == "prefill":
                sync()
                s = time.perf_counter()
                prefill()
                sync()
                print(json.dumps({"seconds": time.perf_counter() - s}), flush=True)
            elif command == "decode":
                print(json.dumps({"seconds": decode()}), flush=True)
            elif command == "quit":
                break


if __name__ == "__main__":
    main()
