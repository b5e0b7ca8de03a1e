package dev.foresight.worker.model;

import ai.djl.ndarray.NDArray;

/**
 * What a decoder layer needs besides its input: the rotation for the batch's positions, the
 * attention bias of its kind (full or sliding window), and the KV cache when generating.
 *
 * @param rotation cos/sin for the positions
 * @param bias additive attention bias [B or 1, 1, T, keys]
 * @param cache the cache to append to, or null
 */
public record LayerContext(RotaryEmbedding.Rotation rotation, NDArray bias, KvCache cache) {}
