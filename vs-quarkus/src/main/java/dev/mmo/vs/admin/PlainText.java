package dev.mmo.vs.admin;

/**
 * The one rule for caller-supplied text the VS stores (revoke reasons, the caller's name from the
 * token): one line of plain text. It goes into logs and audit views, where a line break could forge
 * an entry and a bidi override could make it read differently from what is stored.
 */
final class PlainText {
  private PlainText() {}

  /**
   * Whether {@code text} has no control characters (C0, C1: line feed, NEL, ...), no format
   * characters (bidi overrides and isolates, zero-width characters), no line or paragraph separator
   * (U+2028, U+2029) and no surrogate that does not form a pair.
   */
  static boolean isOneLine(String text) {
    return text.codePoints().noneMatch(PlainText::isHiddenOrBreaking);
  }

  private static boolean isHiddenOrBreaking(int codePoint) {
    return switch (Character.getType(codePoint)) {
      case Character.CONTROL,
          Character.FORMAT,
          Character.LINE_SEPARATOR,
          Character.PARAGRAPH_SEPARATOR,
          Character.SURROGATE ->
          true;
      default -> false;
    };
  }
}
