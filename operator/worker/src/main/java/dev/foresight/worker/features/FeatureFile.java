package dev.foresight.worker.features;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.foresight.worker.WorkerException;
import dev.foresight.worker.bundle.ModelSignature;
import dev.foresight.worker.safetensors.SafetensorsDtype;
import dev.foresight.worker.safetensors.SafetensorsFile;
import dev.foresight.worker.safetensors.SafetensorsWriter;
import dev.foresight.worker.safetensors.TensorInfo;
import dev.foresight.worker.tasks.TaskCatalog;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The output of {@code foresight extract}: one checkpoint's features on task sets, as safetensors.
 * Per task {@code <task>.states} (F32 {@code [prompts, positions, width]}), {@code <task>.lengths},
 * {@code <task>.answer_bits}, {@code <task>.answer_bytes} and, when the spec replays a sampler,
 * {@code <task>.sampler_bits}; the {@code __metadata__} key
 * {@value #METADATA_KEY} holds the {@link Provenance} as JSON: which checkpoint, layers, pooling,
 * prompt ids and prompt-set hashes, so that training can check it pairs the right labels.
 */
public record FeatureFile(Provenance provenance, Map<String, TaskFeatures> tasks) {
  public static final String METADATA_KEY = "foresight.features";
  static final ObjectMapper JSON = JsonMapper.builder().enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS).build();

  /**
   * @param checkpoint the checkpoint's fingerprint
   * @param location where it was read from (for people)
   * @param model its signature (a probe trained on these features fits checkpoints with the same)
   * @param promptSetHashes per task, the hash of the prompt set the rows come from
   * @param ids per task, the prompt ids in row order
   * @param step the checkpoint's training step, when known (a probe may read it); null otherwise
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Provenance(String checkpoint, String location, ModelSignature model, FeatureSpec spec,
      Map<String, String> promptSetHashes, Map<String, List<String>> ids, Long step) {}

  /** The features of every task of {@code catalog} on one checkpoint, with their provenance. */
  public static FeatureFile of(String checkpoint, String location, ModelSignature model, FeatureSpec spec,
      TaskCatalog catalog, Map<String, TaskFeatures> features) {
    return of(checkpoint, location, null, model, spec, catalog, features);
  }

  /** {@link #of(String, String, ModelSignature, FeatureSpec, TaskCatalog, Map)} of the checkpoint at {@code step}. */
  public static FeatureFile of(String checkpoint, String location, Long step, ModelSignature model, FeatureSpec spec,
      TaskCatalog catalog, Map<String, TaskFeatures> features) {
    Map<String, String> hashes = new LinkedHashMap<>();
    Map<String, List<String>> ids = new LinkedHashMap<>();
    catalog.sets().forEach(s -> {
      hashes.put(s.name(), s.promptSetHash());
      ids.put(s.name(), features.get(s.name()).ids());
    });
    return new FeatureFile(new Provenance(checkpoint, location, model, spec, hashes, ids, step), features);
  }

  public void write(Path file) throws IOException {
    SafetensorsWriter w = new SafetensorsWriter().metadata(METADATA_KEY, JSON.writeValueAsString(provenance));
    for (TaskFeatures t : tasks.values()) {
      long n = t.rows();
      w.add(t.task() + ".states", t.states(), new long[] {n, t.positions(), t.width()}, SafetensorsDtype.F32);
      long[] lengths = new long[t.rows()];
      for (int i = 0; i < lengths.length; i++) {
        lengths[i] = t.lengths()[i];
      }
      w.add(t.task() + ".lengths", lengths, new long[] {n});
      w.add(t.task() + ".answer_bits", floats(t.answerBits()), new long[] {n}, SafetensorsDtype.F32);
      w.add(t.task() + ".answer_bytes", t.answerBytes(), new long[] {n});
      if (t.samplerBits() != null) {
        w.add(t.task() + ".sampler_bits", floats(t.samplerBits()), new long[] {n}, SafetensorsDtype.F32);
      }
    }
    w.write(file);
  }

  private static float[] floats(double[] values) {
    float[] out = new float[values.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) values[i];
    }
    return out;
  }

  private static double[] doubles(float[] values) {
    double[] out = new double[values.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = values[i];
    }
    return out;
  }

  private static long[] longs(SafetensorsFile f, String name) throws IOException {
    TensorInfo info = f.info(name);
    if (info.dtype() != SafetensorsDtype.I64) {
      throw new IllegalArgumentException(name + " is " + info.dtype() + ", expected I64");
    }
    long[] out = new long[Math.toIntExact(info.elementCount())];
    f.bytes(info).order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(out);
    return out;
  }

  /**
   * Reads a feature file.
   *
   * @throws WorkerException (invalid arguments) when it is not one, or is corrupt
   */
  public static FeatureFile read(Path file) {
    try (SafetensorsFile f = SafetensorsFile.open(file)) {
      String meta = f.metadata().get(METADATA_KEY);
      if (meta == null) {
        throw WorkerException.invalidArguments("feature file " + file + " has no '" + METADATA_KEY
            + "' metadata: not written by foresight extract");
      }
      Provenance p = JSON.readValue(meta, Provenance.class);
      Map<String, TaskFeatures> tasks = new LinkedHashMap<>();
      for (Map.Entry<String, List<String>> e : p.ids().entrySet()) {
        String task = e.getKey();
        long[] shape = f.info(task + ".states").shape();
        if (shape.length != 3 || shape[0] != e.getValue().size()) {
          throw WorkerException.invalidArguments("feature file " + file + ": " + task + ".states has shape "
              + java.util.Arrays.toString(shape) + " for " + e.getValue().size() + " prompts");
        }
        long[] lengths = longs(f, task + ".lengths");
        int[] intLengths = new int[lengths.length];
        for (int i = 0; i < lengths.length; i++) {
          intLengths[i] = Math.toIntExact(lengths[i]);
        }
        double[] sampler = p.spec().samplerTemperature() == null ? null : doubles(f.readFloats(task + ".sampler_bits"));
        tasks.put(task, new TaskFeatures(task, e.getValue(), (int) shape[2], (int) shape[1], f.readFloats(task + ".states"),
            intLengths, doubles(f.readFloats(task + ".answer_bits")), longs(f, task + ".answer_bytes"), sampler));
      }
      return new FeatureFile(p, tasks);
    } catch (IllegalArgumentException | java.util.NoSuchElementException e) {
      throw WorkerException.invalidArguments("feature file " + file + " is inconsistent: " + e.getMessage());
    } catch (IOException e) {
      throw WorkerException.invalidArguments("feature file " + file + " cannot be read: " + e.getMessage());
    }
  }
}
