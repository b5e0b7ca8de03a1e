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
 * @param answerInputs inputs about the gold answer appended to the states ({@link AnswerInputs}: 3, or 5
 *     with the sampler's; linear and mlp only); null for none, as in bundles written before they existed
 * @param stepInput whether ln(training step) follows them ({@link SideInputs}); null for no
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record HeadShape(ProbeFamily family, int inputWidth, Integer hidden, Integer heads, Integer headDim, Integer blocks,
    Integer answerInputs, Boolean stepInput) {

  public HeadShape(ProbeFamily family, int inputWidth, Integer hidden, Integer heads, Integer headDim, Integer blocks,
      Integer answerInputs) {
    this(family, inputWidth, hidden, heads, headDim, blocks, answerInputs, null);
  }

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
    if (family.readsEveryPosition() && (answerInputs != null || Boolean.TRUE.equals(stepInput))) {
      throw new IllegalArgumentException("a " + family + " probe reads every position and no answer or step inputs");
    }
    if (answerInputs != null) {
      try {
        new SideInputs(answerInputs, false);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("answerInputs: " + e.getMessage());
      }
    }
  }

  /** Width of the head's input vector: the states' and the side inputs'. */
  public int width() {
    return inputWidth + sideInputs().width();
  }

  /** This shape reading {@code side} after the states. */
  public HeadShape withSideInputs(SideInputs side) {
    return new HeadShape(family, inputWidth, hidden, heads, headDim, blocks, side.answer() == 0 ? null : side.answer(),
        side.step() ? Boolean.TRUE : null);
  }

  /** What the head reads beside the states. */
  public SideInputs sideInputs() {
    return new SideInputs(answerInputs == null ? 0 : answerInputs, Boolean.TRUE.equals(stepInput));
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
