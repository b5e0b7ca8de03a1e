package dev.foresight.worker.runtime;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.engine.StandardCapabilities;
import ai.djl.util.cuda.CudaUtils;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What the PyTorch engine this process runs on is and can do, for errors and for planning. */
public final class TorchEngine {

  /**
   * Set to 1 only with a DJL JNI library built with the bfloat16 type mapping: DJL 0.36's own
   * aborts the JVM ({@code terminate called without an active exception}) on the first bfloat16
   * array, and that cannot be probed without dying, so it has to be declared.
   */
  public static final String BFLOAT16_JNI = "FORESIGHT_JNI_BFLOAT16";

  /** DJL names its unpacked library folder VERSION-BUILD-FLAVOR-CLASSIFIER, e.g. 2.7.1-20250812-cpu-linux-x86_64. */
  private static final Pattern CACHE_FOLDER = Pattern.compile("-(cpu|cu\\d+)(-precxx11)?-[a-z]+-[a-z0-9_]+$");

  private TorchEngine() {}

  /** e.g. {@code libtorch 2.7.1, flavour cpu, CUDA not built in, from /root/.djl.ai/pytorch/2.7.1-20250812-cpu-linux-x86_64}. */
  public static String describe() {
    Engine engine = Engine.getInstance();
    String library = engine.toString().replaceFirst("^PyTorch Library: ", "");
    // DJL counts GPUs through libcudart (JNA), not libtorch: CUDA built in with 0 GPUs means that
    // libcudart was not found (a pip torch keeps it under nvidia/*/lib) or the driver is too old.
    return "libtorch " + engine.getVersion() + ", flavour " + flavour(library, System.getenv("PYTORCH_FLAVOR"))
        + ", CUDA " + (engine.hasCapability(StandardCapabilities.CUDA) ? "built in" : "not built in") + ", from " + library;
  }

  /** The flavour DJL runs: PYTORCH_FLAVOR when set (a library of one's own), else its cache folder's. */
  static String flavour(String libraryFolder, String flavourVariable) {
    if (flavourVariable != null && !flavourVariable.isBlank()) {
      return flavourVariable;
    }
    Matcher m = CACHE_FOLDER.matcher(libraryFolder);
    return m.find() ? m.group(1) : "unknown";
  }

  /** Whether the JNI library was declared to map bfloat16 ({@link #BFLOAT16_JNI}). */
  public static boolean mapsBfloat16() {
    return "1".equals(System.getenv(BFLOAT16_JNI)) || Boolean.getBoolean("foresight.jni.bfloat16");
  }

  /** Bytes in use on {@code gpu} by every process (PyTorch's caching allocator keeps what it reserved). */
  public static long usedBytes(Device gpu) {
    return CudaUtils.getGpuMemory(gpu).getCommitted();
  }

  /** Free bytes on {@code gpu} as CUDA reports them now (what other processes and this one hold is gone). */
  public static long freeBytes(Device gpu) {
    var usage = CudaUtils.getGpuMemory(gpu);
    return usage.getMax() - usage.getCommitted();
  }
}
