/**
 * Reading and writing safetensors, the weight format of Hugging Face checkpoints and of Foresight's
 * probe bundles.
 *
 * <ul>
 *   <li>{@link dev.foresight.worker.safetensors.SafetensorsFile}: one file over a memory map; the
 *       header is checked on open (size cap, JSON, dtypes, offsets inside the file and not
 *       overlapping, shape × dtype size = byte length), tensors are loaded on demand as DJL arrays
 *       or read as Java floats.
 *   <li>{@link dev.foresight.worker.safetensors.SafetensorsWeights}: a checkpoint directory's
 *       {@code model.safetensors} or shards with {@code model.safetensors.index.json}.
 *   <li>{@link dev.foresight.worker.safetensors.SafetensorsWriter}: F32/F16/BF16 (and integer)
 *       tensors plus {@code __metadata__}, written atomically.
 * </ul>
 *
 * <p>Every malformed input gives a {@link dev.foresight.worker.safetensors.SafetensorsFormatException}
 * naming the file, the tensor and the problem. BF16 is widened to float32 on load because DJL's
 * PyTorch engine aborts the JVM on bf16 arrays.
 */
package dev.foresight.worker.safetensors;
