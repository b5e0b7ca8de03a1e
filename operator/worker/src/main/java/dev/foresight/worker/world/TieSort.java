package dev.foresight.worker.world;

import dev.foresight.worker.tasks.CheckKind;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * {@code sort 3b 1a 3c 2d=} → {@code 1a 2d 3b 3c} or {@code 1a 2d 3c 3b}: order 2 to
 * {@code maxItems} items (a number 1–5 and a distinct letter a–j) by their number; items with the
 * same number may come in any order. Small numbers make ties common; each draw orders the ties
 * afresh, so no tie order is the right one.
 */
final class TieSort implements TaskFamily {
  static final String LETTERS = "abcdefghij";
  static final int LARGEST_NUMBER = 5;
  private final int maxItems;

  TieSort(int maxItems) {
    if (maxItems < 2 || maxItems > LETTERS.length()) {
      throw new IllegalArgumentException("the sort task takes 2 to " + LETTERS.length() + " items (one letter each),"
          + " not " + maxItems);
    }
    this.maxItems = maxItems;
  }

  @Override
  public String name() { return "sort"; }

  @Override
  public int longestAnswer() { return 3 * maxItems - 1; }

  @Override
  public Example sample(SplittableRandom random, SyntheticWorld.SizeDraw sizes) {
    int count = sizes.draw(random, 2, maxItems);
    List<Character> letters = new ArrayList<>();
    LETTERS.chars().forEach(c -> letters.add((char) c));
    shuffle(letters, random);
    List<String> items = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      items.add((1 + random.nextInt(LARGEST_NUMBER)) + "" + letters.get(i));
    }
    List<String> sorted = new ArrayList<>(items);
    shuffle(sorted, random); // a fresh tie order: the stable sort below keeps it
    sorted.sort(Comparator.comparing(item -> item.charAt(0)));
    return new Example(name() + " " + String.join(" ", items) + "=", String.join(" ", sorted), CheckKind.SORTED);
  }

  private static <T> void shuffle(List<T> list, SplittableRandom random) {
    for (int i = list.size() - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      T t = list.get(i);
      list.set(i, list.get(j));
      list.set(j, t);
    }
  }
}
