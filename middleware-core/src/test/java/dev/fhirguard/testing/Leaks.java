package dev.fhirguard.testing;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds what must never leave the server in a response or a designed log line: SQL, exception
 * class names, stack frames, host names and ports; and what must never be logged at all: a bearer
 * token that was sent (whole, or its signature part) and raw control characters.
 */
public final class Leaks {

  /** Literal texts (case-insensitive): SQL, internal packages and hosts of the test fixtures. */
  private static final List<String> LITERALS = List.of(
      TestFhirServer.SQL_TEXT, PlainServlet.SECRET_SQL, ExtraServlet.INTERNAL_MESSAGE,
      EhrExceptions.TROUBLE, "hfj_resource", "pk_patient", "duplicate key", "select ssn",
      "insert into", "sql", "nullpointer", "illegalstate", "String.length()", "java.", "javax.",
      "jakarta.", "org.example", "com.example", "com.acme", "org.hibernate", "ca.uhn.",
      "org.eclipse", "com.nimbusds", "Dao.java", ".java:", "127.0.0.1", "localhost",
      "db.internal", ".corp", ":5432", "Caused by");

  /**
   * Exception and error class names, case-sensitive ({@code Exception}, {@code SQLException},
   * {@code StackOverflowError}; the lower-case IssueType code {@code exception} is legitimate).
   */
  private static final Pattern CLASS_NAME =
      Pattern.compile("Exception|Throwable|\\b[A-Z][A-Za-z0-9$]*[a-z0-9]Error\\b");

  /** Stack frames such as {@code at x.y.Z.m(Z.java:1)} or {@code at x.y(}. */
  private static final Pattern STACK_FRAME =
      Pattern.compile("\\bat\\s+[\\w$]+(?:\\.[\\w$<>]+)+\\(");

  /** SQL statements: SELECT ... FROM, INSERT INTO, UPDATE ... SET, DELETE FROM. */
  private static final Pattern SQL = Pattern.compile(
      "(?i)\\bselect\\b.+\\bfrom\\b|\\binsert\\s+into\\b|\\bupdate\\b.+\\bset\\b"
          + "|\\bdelete\\s+from\\b");

  /** A control character (C0, DEL or C1). */
  private static final Pattern CONTROL = Pattern.compile("[\\x00-\\x1f\\x7f-\\x9f]");

  private final List<String> forbidden = new ArrayList<>(LITERALS);

  /** A scan that also forbids {@code more} (ports, host names of this run). */
  public Leaks(Collection<String> more) {
    forbidden.addAll(more);
  }

  /** SQL, class names, stack frames, hosts and ports found in {@code text}. */
  public Set<String> internalsIn(String text) {
    Set<String> found = new LinkedHashSet<>();
    String lower = text.toLowerCase(Locale.ROOT);
    for (String literal : forbidden) {
      if (lower.contains(literal.toLowerCase(Locale.ROOT))) {
        found.add(literal);
      }
    }
    for (Pattern pattern : List.of(CLASS_NAME, STACK_FRAME, SQL)) {
      Matcher matcher = pattern.matcher(text);
      if (matcher.find()) {
        found.add(matcher.group());
      }
    }
    return found;
  }

  /** Each of {@code tokens} found in {@code text}, whole or by its signature part. */
  public static Set<String> tokensIn(String text, Collection<String> tokens) {
    Set<String> found = new LinkedHashSet<>();
    for (String token : tokens) {
      if (text.contains(token)) {
        found.add("token " + abbreviate(token));
      }
      String signature = signatureOf(token);
      if (signature.length() >= 16 && text.contains(signature)) {
        found.add("signature of " + abbreviate(token));
      }
    }
    return found;
  }

  /** The part after the last dot of a JWT (the whole text when there is none). */
  public static String signatureOf(String token) {
    return token.substring(token.lastIndexOf('.') + 1);
  }

  /** Whether {@code text} holds a raw control character (CR, LF, TAB, NUL, ESC, DEL, C1...). */
  public static boolean hasControlCharacter(String text) {
    return text != null && CONTROL.matcher(text).find();
  }

  private static String abbreviate(String token) {
    return token.length() <= 12 ? token : token.substring(0, 12) + "...";
  }
}
