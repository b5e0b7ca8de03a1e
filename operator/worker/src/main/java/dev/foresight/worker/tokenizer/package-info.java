/**
 * Tokenizers of checkpoints (tokenizer.json through the Hugging Face tokenizers library, offline)
 * and a writer for the character-level tokenizers of models Foresight trains itself.
 */
package dev.foresight.worker.tokenizer;
