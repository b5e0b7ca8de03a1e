package dev.foresight.worker.probe;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The sizes that, with the family, fix a head's parameter shapes; stored in {@code probe.json} so
 * a bundle can be loaded and its weights checked.
 *
 * @param inputWidth width of one input vector: hidden size × number of layers read
 * @param hidden MLP hidden units (mlp only)
 * @param heads attention heads (attention only)
 * @param headDim width of each head's keys and values (attention only)
 * @param blocks decoder blocks copied from the checkpoint (submodel only)
 * @param answerInputs inputs about the gold answer appended to the states ({@link AnswerInputs}; linear
 *     and mlp only); null for none, as in bundles written before they existed
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record HeadShape(ProbeFamily family, int inputWidth, Integer hidden, Integer heads, Integer headDim, Integer blocks,
    Integer answerInputs) {

  public HeadShape {
    if (family == null) {
      throw new IllegalArgumentException("family is required");
    }
    if (inputWidth < 1) {
      throw new IllegalArgumentException("inputWidth must be positive, got " + inputWidth);
    }
    switch (family) {
      case MLP -> requirePositive("hidden", hidden);
      case ATTENTION -> {
        requirePositive("heads", heads);
        requirePositive("headDim", headDim);
      }
      case SUBMODEL -> requirePositive("blocks", blocks);
      default -> { }
    }
    if (answerInputs != null && (answerInputs != AnswerInputs.WIDTH || family.readsEveryPosition())) {
      throw new IllegalArgumentException("answerInputs: a " + family + " probe " + (family.readsEveryPosition()
          ? "reads no answer inputs" : "reads " + AnswerInputs.WIDTH + " answer inputs") + ", not " + answerInputs);
    }
  }

  /** Width of the head's input vector: the states' and the answer inputs'. */
  public int width() {
    return inputWidth + (answerInputs == null ? 0 : answerInputs);
  }

  /** This shape with the {@link AnswerInputs} appended to the states. */
  public HeadShape withAnswerInputs() {
    return new HeadShape(family, inputWidth, hidden, heads, headDim, blocks, AnswerInputs.WIDTH);
  }

  public boolean readsAnswerInputs() {
    return answerInputs != null;
  }

  private static void requirePositive(String field, Integer value) {
    if (value == null || value < 1) {
      throw new IllegalArgumentException(field + " must be a positive number, got " + value);
    }
  }

  public static HeadShape linear(int inputWidth) {
    return new HeadShape(ProbeFamily.LINEAR, inputWidth, null, null, null, null, null);
  }

  public static HeadShape mlp(int inputWidth, int hidden) {
    return new HeadShape(ProbeFamily.MLP, inputWidth, hidden, null, null, null, null);
  }

  public static HeadShape attention(int inputWidth, int heads, int headDim) {
    return new HeadShape(ProbeFamily.ATTENTION, inputWidth, null, heads, headDim, null, null);
  }

  public static HeadShape submodel(int inputWidth, int blocks) {
    return new HeadShape(ProbeFamily.SUBMODEL, inputWidth, null, null, null, blocks, null);
  }
}
