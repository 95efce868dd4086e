package dev.fhirguard.internal.outcome;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Decides what text of an error may be shown to a client. Server errors never show their own
 * text. Client-error messages are kept when they are plain words: control characters are removed,
 * white space folded, the length bounded, and a message that shows internals (a stack frame, an
 * exception or package name, SQL, a host, an address, a URL or a file path) is replaced by the
 * catalog's text. The ids of FHIR references ({@code Patient/sql-error}) and words joined into one
 * token ({@code "sql-error"}) are the client's words, not SQL nor class names: they are not taken
 * for code. Only the bounded text is examined, and every pattern runs in linear time, so an
 * attacker-sized message costs no more than a short one.
 *
 * <p>The examination of a text costs tens of microseconds (the patterns, at every position), more
 * than rendering the outcome; its verdict is remembered for the last {@value #REMEMBERED} texts, so
 * a flood of the same refusal is examined once (docs/benchmarks.md, outcome rendering). The keys
 * are the shown texts, at most {@code maxLength} characters each.
 */
public final class Diagnostics {

  /** Where a word starts and ends: not inside a token such as an id ({@code sql-error}). */
  private static final String WORD_START = "(?<![\\w/-])(?<!\\w\\.)";
  private static final String WORD_END = "(?![\\w-])(?!\\.\\w)";

  /** Stack frames, SQL and database errors; looked for outside the ids of references. */
  private static final Pattern CODE =
      Pattern.compile(
          "(?i)(\\bat\\s++[\\w$.]++\\()"
              + "|" + WORD_START + "(?:SQL|SQLSTATE|ORA-\\d{3,}+|hibernate)" + WORD_END
              + "|" + WORD_START + "jdbc:"
              + "|(\\bselect\\s++(?:\\*|distinct\\b|count\\s*+\\(|[\\w.]++\\s*+,))"
              + "|(\\bselect\\s++[\\w.]++\\s++from\\s++[\\w.\"]++(?:\\s++(?:where|join|order|group|limit)\\b|\\s*+;|\\s*+$))"
              + "|(\\binsert\\s++into\\s++\\w|\\bdelete\\s++from\\s++\\w|\\bupdate\\s++\\w++\\s++set\\s++\\w)"
              + "|(\\bviolates\\s++[\\w-]++(?:\\s++key)?\\s++constraint\\b|\\bduplicate key\\b|\\bforeign key\\b)");

  /** Addresses, hosts with a port and file paths; looked for everywhere, ids included. */
  private static final Pattern PLACES =
      Pattern.compile(
          "(?i)(\\b\\d{1,3}+(?:\\.\\d{1,3}+){3}+\\b)"
              + "|(\\b(?:localhost|[a-z0-9-]++(?:\\.[a-z0-9-]++)++):\\d{2,5}+\\b)"
              + "|((?:^|[\\s'\"(=])/(?:[\\w.-]++/){3,}+)"
              + "|(\\b[A-Za-z]:\\\\[\\w.-]++)");

  /**
   * A FHIR reference ({@code Patient/sql-error}, {@code Patient/1/_history/2}): its id is the
   * client's word, not the server's internals, so it is left out when looking for {@link #CODE}.
   */
  private static final Pattern REFERENCE =
      Pattern.compile("(?<![\\w.$-])([A-Z][A-Za-z]{1,63}+)/[A-Za-z0-9.-]{1,64}+"
          + "(?:/_history/[A-Za-z0-9.-]{1,64}+)?+(?![\\w.$-])");

  private static final java.util.List<String> PRIVATE_SUFFIXES =
      java.util.List.of(".internal", ".local", ".localdomain", ".lan", ".corp", ".intranet",
          ".intra", ".cluster", ".svc", ".home.arpa");

  private static final Set<String> PACKAGE_ROOTS =
      Set.of("java", "javax", "jakarta", "org", "com", "net", "io", "ca", "sun", "jdk");

  private static final int REMEMBERED = 1_000;

  private final int maxLength;
  private final Cache<String, Boolean> verdicts =
      Caffeine.newBuilder().maximumSize(REMEMBERED).executor(Runnable::run).build();

  public Diagnostics(int maxLength) {
    this.maxLength = maxLength;
  }

  /**
   * The sanitized message of a client error, or {@code null} when there is none or it must not
   * be shown (the caller then uses the catalog text).
   */
  public String clientText(String message) {
    if (message == null) {
      return null;
    }
    // Only what can be shown is examined: at most the bound, from a bounded prefix.
    int examined = Math.min(message.length(), maxLength * 4 + 64);
    String folded = fold(message, examined);
    boolean cut = examined < message.length() || folded.length() > maxLength;
    String shown = cut ? cut(folded) : folded;
    return shown.isEmpty() || isInternal(shown) ? null : shown;
  }

  /** {@link #looksInternal}, remembered. */
  private boolean isInternal(String shown) {
    Boolean known = verdicts.getIfPresent(shown);
    if (known == null) {
      known = looksInternal(shown);
      verdicts.put(shown, known);
    }
    return known;
  }

  /** Whether the text shows internals that must not reach a client. */
  public static boolean looksInternal(String text) {
    if (PLACES.matcher(text).find() || hasInternalUrl(text)) {
      return true;
    }
    String withoutIds = REFERENCE.matcher(text).replaceAll("$1/id");
    return CODE.matcher(withoutIds).find() || hasCodeName(withoutIds);
  }

  /**
   * A URL whose host is not a public name: localhost, an IP address, a name without a dot, or a
   * private suffix. Public canonical URLs (http://hl7.org/fhir/...) are ordinary FHIR text.
   */
  private static boolean hasInternalUrl(String text) {
    for (int at = text.indexOf("://"); at >= 0; at = text.indexOf("://", at + 3)) {
      int end = at + 3;
      while (end < text.length() && "/:?#'\" )]\\".indexOf(text.charAt(end)) < 0
          && !Character.isWhitespace(text.charAt(end))) {
        end++;
      }
      String host = text.substring(at + 3, end).toLowerCase(java.util.Locale.ROOT);
      int userInfo = host.lastIndexOf('@');
      host = userInfo >= 0 ? host.substring(userInfo + 1) : host;
      if (host.isEmpty() || isPrivateHost(host)) {
        return true;
      }
    }
    return false;
  }

  private static boolean isPrivateHost(String host) {
    return host.equals("localhost")
        || host.startsWith("[")
        || !host.contains(".")
        || host.chars().allMatch(c -> Character.isDigit(c) || c == '.')
        || PRIVATE_SUFFIXES.stream().anyMatch(host::endsWith);
  }

  /** An exception class name ({@code FooException}) or a dotted package name ({@code org.x.Y}). */
  private static boolean hasCodeName(String text) {
    int start = -1;
    for (int i = 0; i <= text.length(); i++) {
      boolean tokenChar =
          i < text.length()
              && (Character.isLetterOrDigit(text.charAt(i)) || "$._".indexOf(text.charAt(i)) >= 0);
      if (tokenChar && start < 0) {
        start = i;
      } else if (!tokenChar && start >= 0) {
        if (isCodeName(text.substring(start, i))) {
          return true;
        }
        start = -1;
      }
    }
    return false;
  }

  private static boolean isCodeName(String token) {
    String[] parts = token.split("\\.", -1);
    if (parts.length >= 3 && PACKAGE_ROOTS.contains(parts[0]) && !parts[1].isEmpty()) {
      return true;
    }
    String last = parts[parts.length - 1];
    return last.length() > "Exception".length()
        && Character.isUpperCase(last.charAt(0))
        && (last.endsWith("Exception") || last.endsWith("Error") || last.endsWith("Throwable"));
  }

  private String cut(String text) {
    int end = Math.min(text.length(), maxLength - 3);
    if (end > 0 && Character.isHighSurrogate(text.charAt(end - 1))) {
      end--; // never split a character in two
    }
    return text.substring(0, end).stripTrailing() + "...";
  }

  private static String fold(String text, int limit) {
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
