/**
 * Hugging Face checkpoints: config.json ({@link dev.foresight.worker.checkpoint.ModelConfig}),
 * weights, fingerprint, loading onto a device, and writing models Foresight trains itself.
 */
package dev.foresight.worker.checkpoint;
