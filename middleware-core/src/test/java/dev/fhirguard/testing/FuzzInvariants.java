package dev.fhirguard.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.OperationOutcome;

/**
 * The invariants every fuzzed request must keep, checked on the raw response: an answer, no 5xx
 * but the designed ones, no control character in any header (nor a forged {@link
 * FuzzStrings#INJECTED_HEADER}), every error body an OperationOutcome in its declared format with
 * a catalog coding and its id equal to {@code X-Request-ID}, and no stack trace, exception class
 * name or sent secret in a body.
 */
public final class FuzzInvariants {

  /** Exception and error class names (the lower-case IssueType {@code exception} is fine). */
  private static final Pattern CLASS_NAME =
      Pattern.compile("Exception\\b|Throwable|\\b[A-Z][A-Za-z0-9$]*[a-z0-9]Error\\b");
  private static final Pattern STACK_FRAME =
      Pattern.compile("\\bat\\s+[\\w$]+(?:\\.[\\w$<>]+)+\\(|\\.java:\\d+\\)");
  /** Secrets shorter than this could occur in any body by chance. */
  private static final int MIN_SECRET_LENGTH = 12;

  private FuzzInvariants() {}

  /**
   * Checks {@code response} to a request (not HEAD); {@code designed5xx} are the 5xx statuses
   * the server may answer by design, {@code secrets} what the client sent that must not come back.
   */
  public static void assertSafe(RawHttp.Response response, Set<Integer> designed5xx,
      String... secrets) {
    String where = " in " + describe(response);
    assertFalse(response.status() == 500, () -> "a 500" + where);
    assertTrue(response.status() < 500 || designed5xx.contains(response.status()),
        () -> "an undesigned 5xx" + where);
    for (Map.Entry<String, String> header : response.headers()) {
      assertPrintable("header name", header.getKey(), where);
      assertPrintable("header " + header.getKey(), header.getValue(), where);
      assertFalse(header.getKey().equalsIgnoreCase(FuzzStrings.INJECTED_HEADER),
          () -> "a forged header" + where);
    }
    String body = response.body();
    if (response.status() >= 400) {
      assertOutcome(response, where);
    }
    assertFalse(STACK_FRAME.matcher(body).find(), () -> "a stack frame" + where);
    assertFalse(CLASS_NAME.matcher(body).find(), () -> "an exception class name" + where);
    for (String secret : secrets) {
      if (secret != null && secret.length() >= MIN_SECRET_LENGTH) {
        assertFalse(body.contains(secret), () -> "a secret sent by the client came back" + where);
        assertFalse(response.headers().stream().anyMatch(h -> h.getValue().contains(secret)),
            () -> "a secret sent by the client came back in a header" + where);
      }
    }
  }

  /** As {@link #assertSafe(RawHttp.Response, Set, String...)}; a HEAD answer has no body. */
  public static void assertSafe(String method, RawHttp.Response response,
      Set<Integer> designed5xx, String... secrets) {
    if (!method.equals("HEAD")) {
      assertSafe(response, designed5xx, secrets);
      return;
    }
    String where = " in HEAD " + describe(response);
    assertTrue(response.status() < 500 || designed5xx.contains(response.status()),
        () -> "an undesigned 5xx" + where);
    for (Map.Entry<String, String> header : response.headers()) {
      assertPrintable("header name", header.getKey(), where);
      assertPrintable("header " + header.getKey(), header.getValue(), where);
    }
  }

  /** The error body parses as an OperationOutcome per its Content-Type, with a catalog coding. */
  private static void assertOutcome(RawHttp.Response response, String where) {
    List<String> types = response.headers("Content-Type");
    assertEquals(1, types.size(), () -> "one Content-Type" + where);
    String type = types.get(0).toLowerCase(Locale.ROOT).replace(" ", "");
    boolean xml = type.startsWith("application/fhir+xml");
    assertTrue(xml || type.startsWith("application/fhir+json"),
        () -> "a FHIR Content-Type" + where);
    String text = new String(response.bodyBytes(), StandardCharsets.UTF_8);
    OperationOutcome outcome;
    try {
      outcome = xml
          ? Outcomes.fhir().newXmlParser().parseResource(OperationOutcome.class, text)
          : Outcomes.fhir().newJsonParser().parseResource(OperationOutcome.class, text);
    } catch (RuntimeException e) {
      throw new AssertionError("not a parseable OperationOutcome" + where, e);
    }
    assertFalse(outcome.getIssue().isEmpty(), () -> "no issue" + where);
    assertNotNull(Outcomes.catalogCoding(outcome.getIssueFirstRep()),
        () -> "no catalog coding" + where);
    List<String> ids = response.headers("X-Request-ID");
    assertEquals(1, ids.size(), () -> "one X-Request-ID" + where);
    assertEquals(ids.get(0), outcome.getIdElement().getIdPart(),
        () -> "OperationOutcome.id is not X-Request-ID" + where);
  }

  /** Fails unless {@code text} is printable ASCII (a header may not carry anything else). */
  public static void assertPrintable(String what, String text, String where) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x20 || c > 0x7e) {
        fail(what + " has character U+" + String.format("%04X", (int) c) + where);
      }
    }
  }

  /** Whether {@code text} has a control or line-separator character. */
  public static boolean hasControl(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
        return true;
      }
    }
    return false;
  }

  /** The response's status line, headers and the start of its body, escaped, for messages. */
  public static String describe(RawHttp.Response response) {
    String body = response.body();
    return escape(response.statusLine() + " " + response.headers() + " "
        + (body.length() > 600 ? body.substring(0, 600) + "..." : body));
  }

  /** {@code text} with control and non-ASCII characters as {@code \\uXXXX}, for messages. */
  public static String escape(String text) {
    if (text == null) {
      return "null";
    }
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < Math.min(text.length(), 2000); i++) {
      char c = text.charAt(i);
      out.append(c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\u%04x", (int) c));
    }
    return out.append(text.length() > 2000 ? "...(" + text.length() + " chars)" : "").toString();
  }

  /** A raw HTTP/1.1 request: the header values are written in {@code charset}. */
  public static byte[] request(String method, String target, List<String[]> headers,
      java.nio.charset.Charset charset) {
    List<byte[]> parts = new ArrayList<>();
    parts.add((method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        .getBytes(StandardCharsets.ISO_8859_1));
    for (String[] header : headers) {
      parts.add((header[0] + ": ").getBytes(StandardCharsets.ISO_8859_1));
      parts.add(header[1].getBytes(charset));
      parts.add("\r\n".getBytes(StandardCharsets.ISO_8859_1));
    }
    parts.add("Connection: close\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
    int length = parts.stream().mapToInt(p -> p.length).sum();
    byte[] all = new byte[length];
    int at = 0;
    for (byte[] part : parts) {
      System.arraycopy(part, 0, all, at, part.length);
      at += part.length;
    }
    return all;
  }

  /** The statuses none of the fuzzed servers answers by design. */
  public static final Set<Integer> NO_5XX = Set.of();
}
