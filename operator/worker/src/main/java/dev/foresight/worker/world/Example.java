package dev.foresight.worker.world;

import dev.foresight.worker.tasks.CheckKind;

/** One problem of the synthetic world: a prompt, its gold answer (with the worked solution) and how it is checked. */
public record Example(String prompt, String answer, CheckKind check) {}
