package dev.fhirguard.internal;

import java.util.regex.Pattern;

/**
 * Decides what text of an error may be shown to a client. Server errors never show their own
 * text. Client-error messages are kept when they are plain words: control characters are removed,
 * white space folded, the length bounded, and a message that looks like internals (a stack frame,
 * an exception class name, SQL, a Windows file path) is replaced by the catalog's text.
 */
public final class Diagnostics {

  private static final Pattern INTERNALS =
      Pattern.compile(
          "(?i)(\\bat\\s+[\\w$.]+\\([\\w$.]*(?::\\d+)?\\))"
              + "|(\\b(?:java|javax|jakarta|org|com|net|io|ca|sun)\\.[\\w$]+(?:\\.[\\w$]+)+)"
              + "|(?-i:\\b[A-Z][A-Za-z0-9$]*[a-z0-9](?:Exception|Error|Throwable)\\b)"
              + "|(\\bSQL\\b|\\bSQLSTATE\\b|\\bORA-\\d{3,}|\\bjdbc:|\\bhibernate\\b)"
              + "|(\\bselect\\s+(?:\\*|distinct\\b|count\\s*\\(|[\\w.]+\\s*,))"
              + "|(\\bselect\\s+[\\w.]+\\s+from\\s+[\\w.\"]+(?:\\s+(?:where|join|order|group|limit)\\b|\\s*;|\\s*$))"
              + "|(\\binsert\\s+into\\s+\\w|\\bdelete\\s+from\\s+\\w|\\bupdate\\s+\\w+\\s+set\\s+\\w)"
              + "|(\\bviolates\\s+[\\w-]+(?:\\s+key)?\\s+constraint\\b|\\bduplicate key\\b|\\bforeign key\\b)"
              + "|([A-Za-z]:\\\\[\\w\\\\.-]+)");

  private final int maxLength;

  public Diagnostics(int maxLength) {
    this.maxLength = maxLength;
  }

  /**
   * The text to show for an error with this code and message: the sanitized message for a client
   * error when it is safe, otherwise {@code null} (the caller then uses the catalog text).
   */
  public String clientText(String message) {
    if (message == null) {
      return null;
    }
    String folded = fold(message);
    if (folded.isEmpty() || looksInternal(folded)) {
      return null;
    }
    return bound(folded);
  }

  /** Whether the text shows internals that must not reach a client. */
  public static boolean looksInternal(String text) {
    return INTERNALS.matcher(text).find();
  }

  private String bound(String text) {
    if (text.length() <= maxLength) {
      return text;
    }
    int end = maxLength - 3;
    if (Character.isHighSurrogate(text.charAt(end - 1))) {
      end--; // never split a character in two
    }
    return text.substring(0, end).stripTrailing() + "...";
  }

  private static String fold(String text) {
    int limit = Math.min(text.length(), 8192);
    StringBuilder out = new StringBuilder(limit);
    boolean space = false;
    for (int i = 0; i < limit; i++) {
      char c = text.charAt(i);
      if (Character.isWhitespace(c) || Character.isSpaceChar(c) || Character.isISOControl(c)) {
        space = out.length() > 0;
      } else if (Character.getType(c) != Character.FORMAT) {
        if (space) {
          out.append(' ');
          space = false;
        }
        out.append(c);
      }
    }
    return out.toString();
  }
}
