package dev.fhirguard.testing;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** Scans an upstream failure's response for what must stay in the log. */
public final class UpstreamBodies {

  private static final List<String> FORBIDDEN = List.of("127.0.0.1", "localhost", "db-7",
      "ehr.internal", "ehr-node", ".corp", "5432", "7001", "java.", "com.acme", "dev.fhirguard",
      "getallergy", "refused", "timed out", "records", "caused by", "/records");

  private static final Pattern CLASS_NAME =
      Pattern.compile("Exception|Throwable|\\b[A-Z][A-Za-z0-9$]*[a-z0-9]Error\\b");

  private UpstreamBodies() {}

  /** Fails when the body names a host, a port of either server, a URL or an exception. */
  public static void assertNothingLeaks(HttpResponse<String> response, int... ports) {
    // The random transaction id may contain any digits (a port, "7001"): it is not a leak.
    String id = response.headers().firstValue("X-Request-ID").orElse("");
    String body = id.isEmpty() ? response.body() : response.body().replace(id, "<id>");
    String lower = body.toLowerCase(Locale.ROOT);
    for (String text : FORBIDDEN) {
      assertFalse(lower.contains(text), () -> "'" + text + "' leaked: " + body);
    }
    for (int port : ports) {
      assertFalse(body.contains(String.valueOf(port)), () -> "port " + port + " leaked: " + body);
    }
    assertFalse(CLASS_NAME.matcher(body).find(), () -> "a class name leaked: " + body);
  }
}
