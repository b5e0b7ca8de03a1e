/**
 * Training a {@link dev.foresight.worker.model.CausalLm} from scratch (the demo world): next-token
 * cross-entropy with a loss mask and AdamW, one NDScope per step.
 */
package dev.foresight.worker.training;
