package dev.foresight.worker.world;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Which synthetic world to make: its task families and the alphabet of its character tokenizer.
 * {@code single-answer} has one right answer per prompt, so the gold answer's likelihood is a
 * strong predictor of success; {@code many-answers} has many right answers or many right worked
 * solutions per prompt, judged by a checker, so the one gold answer's likelihood says less.
 */
public enum WorldKind {
  /** Worked addition and multiplication, and reversal: one right answer each (issue 14's first world). */
  SINGLE_ANSWER("single-answer", SyntheticWorld.ALPHABET),
  /** Any pair with a given sum, sorting with free tie order, and addition whose steps come in any order. */
  MANY_ANSWERS("many-answers", " 0123456789+=;#abcdefghijmorstu");

  private final String wireName;
  private final String alphabet;

  WorldKind(String wireName, String alphabet) {
    this.wireName = wireName;
    this.alphabet = alphabet;
  }

  /** The name in {@code world.json} and on the command line ({@code --world}). */
  @JsonValue
  public String wireName() { return wireName; }

  /** Every character a prompt or answer of this world can contain: the character tokenizer's alphabet. */
  public String alphabet() { return alphabet; }

  /** The families of this world, each up to the largest problems of {@code sizes}. */
  List<TaskFamily> families(SyntheticWorld.Sizes sizes) {
    return switch (this) {
      case SINGLE_ANSWER -> List.of(new Addition(sizes.digits()), new Multiplication(sizes.digits()),
          new Reversal(sizes.letters()));
      case MANY_ANSWERS -> List.of(new SumPair(sizes.digits()), new TieSort(sizes.letters()),
          new StepwiseAddition(sizes.digits()));
    };
  }

  /** The kind named {@code name}; throws {@link IllegalArgumentException} listing the known names. */
  @JsonCreator
  public static WorldKind fromWireName(String name) {
    for (WorldKind k : values()) {
      if (k.wireName.equals(name)) {
        return k;
      }
    }
    throw new IllegalArgumentException("unknown world '" + name + "' (expected one of "
        + Arrays.stream(values()).map(WorldKind::wireName).collect(Collectors.joining(", ")) + ")");
  }
}
