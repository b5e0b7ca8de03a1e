package dev.foresight.worker.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class TorchEngineTest {

  @Test
  void theFlavourComesFromTheVariableOrDjlsCacheFolder() {
    assertEquals("cpu", TorchEngine.flavour("/root/.djl.ai/pytorch/2.7.1-20250812-cpu-linux-x86_64", null));
    assertEquals("cu128", TorchEngine.flavour("/root/.djl.ai/pytorch/2.7.1-20250812-cu128-linux-x86_64", ""));
    assertEquals("cu128", TorchEngine.flavour("/root/.djl.ai/pytorch/2.7.1-20250812-cu128-precxx11-linux-x86_64", null));
    assertEquals("cu130", TorchEngine.flavour("/opt/torch/lib", "cu130"));
    assertEquals("unknown", TorchEngine.flavour("/opt/torch/lib", null));
  }
}
