package dev.fhirguard.demo.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ca.uhn.fhir.context.FhirContext;
import dev.fhirguard.demo.auth.SampleTokens;
import dev.fhirguard.sample.SampleServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Parameters;

/**
 * Fuzzes the sample's real HAPI {@code $export} kick-offs behind fhirguard over raw HTTP: paths
 * written in the ways HAPI still routes to {@code $export}, GET query parameters and POST {@code
 * Parameters} bodies ({@code _type}, {@code _since}, {@code _outputFormat}, {@code _typeFilter},
 * {@code patient}, ...) with near-valid and junk values, and odd {@code Prefer} headers. Each try
 * starts a job and checks that the fuzzed kick-off cannot start a second one while it runs (one
 * export per client), cancels it, then sends the fuzzed kick-off to HAPI itself (cancelling what
 * it starts): a kick-off with a parameter the sample does not support ({@code _typeFilter},
 * {@code foo}, ...) never starts a job unless it sent {@code Prefer: handling=lenient}. Every
 * answer: no 5xx but the sample's designed 503, headers of printable ASCII, an error body that is
 * an OperationOutcome with a catalog coding, no stack trace, no token.
 */
class ExportKickoffFuzzTest {

  private static final String CATALOG = "https://fhirguard.dev/CodeSystem/error-code";
  private static final Pattern LEAK = Pattern.compile(
      "[A-Za-z]Exception\\b|Throwable|\\bat [\\w$]+(\\.[\\w$<>]+)+\\(|\\.java:\\d+");
  private static final List<String> BASES =
      List.of("/fhir/$export", "/fhir/Patient/$export", "/fhir/Group/1/$export");
  private static final FhirContext FHIR = FhirContext.forR4Cached();

  private static SampleServer sample;
  /** The kick-off of the previous try, for a failure that it caused. */
  private static Kickoff previous;
  private static String token;

  @BeforeContainer
  static void start() throws Exception {
    sample = SampleServer.start("127.0.0.1", 0, Map.of(
        "fhirguard.export.min-poll-interval", "0s",
        "fhirguard.rate-limit.capacity", "1000000000",
        "fhirguard.address-limit.capacity", "1000000000"));
    token = newToken();
  }

  private static String newToken() {
    try {
      return SampleTokens.withAssertion("http://127.0.0.1:" + sample.port(),
          ExportSample.EXPORTER, null);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @AfterContainer
  static void stop() {
    sample.stop();
  }

  /** Kick-off parameters the sample supports, and those that only shape the answer. */
  private static final Set<String> ACCEPTED = Set.of("_type", "_since", "_outputFormat",
      "_elements", "_format", "_pretty");

  /** One kick-off: method, path and query, Prefer header, POST body (null: none), names sent. */
  record Kickoff(String method, String target, String prefer, String body, Set<String> names) {

    /** Whether it has a parameter the sample does not support, and is not lenient about it. */
    boolean strictlyUnsupported() {
      return !ACCEPTED.containsAll(names) && !isLenient(prefer);
    }

    private static boolean isLenient(String prefer) {
      for (String preference : prefer.split(",")) {
        String[] token = preference.split(";", 2)[0].split("=", 2);
        if (token.length == 2 && token[0].trim().equalsIgnoreCase("handling")
            && token[1].trim().replace("\"", "").equalsIgnoreCase("lenient")) {
          return true;
        }
      }
      return false;
    }
  }

  @Property
  void fuzzed_kickoffs_answer_safely_and_never_start_a_second_export(
      @ForAll("kickoffs") Kickoff kickoff, @ForAll("statusSpellings") String spelling) {
    Response running = send("GET", "/fhir/$export", "respond-async", null);
    if (running.status == 401) { // a long run outlives the access token
      token = newToken();
      running = send("GET", "/fhir/$export", "respond-async", null);
    }
    Response started = running;
    assertEquals(202, started.status, () -> "after " + previous + ": " + started);
    previous = kickoff;

    Response whileRunning = send(kickoff);
    assertSafe(whileRunning);
    assertNotEquals(202, whileRunning.status,
        () -> "a second export started while one runs: " + kickoff + " -> " + whileRunning);
    Response cancelled = cancel(started, spelling);
    assertEquals(202, cancelled.status, () -> "cancel spelled " + spelling + ": " + cancelled);

    Response alone = send(kickoff);
    assertSafe(alone);
    if (kickoff.strictlyUnsupported()) {
      assertNotEquals(202, alone.status,
          () -> "an unsupported parameter was ignored without handling=lenient: " + kickoff);
    }
    if (alone.status == 202) {
      assertEquals(202, cancel(alone).status, () -> "cancel what " + kickoff + " started");
    }
  }

  /**
   * Found by this fuzzing, fixed: fhirguard gave a kick-off's export slot back only after the
   * chain returned, when HAPI had already completed its 400 answer, so a client that kicked off
   * again at once got a spurious 429 EXPORT_LIMIT_REACHED (about 1 in 10 here).
   */
  @Example
  void a_client_may_kick_off_again_as_soon_as_a_kickoff_was_refused() {
    for (int i = 0; i < 100; i++) {
      Response broken = send("POST", "/fhir/$export", "respond-async", "{\"resourceType\":");
      assertEquals(400, broken.status, broken::toString);
      Response next = send("GET", "/fhir/$export", "respond-async", null);
      assertEquals(202, next.status, () -> "attempt " + next);
      assertEquals(202, cancel(next).status);
    }
  }

  private static Response send(Kickoff kickoff) {
    return send(kickoff.method(), kickoff.target(), kickoff.prefer(), kickoff.body());
  }

  private static Response cancel(Response started) {
    return cancel(started, "{path}?{query}");
  }

  /**
   * Cancels the job {@code started} at its status URL spelled as {@code spelling} says ({@code
   * {path}} and {@code {query}} as the sample wrote them): fhirguard must see it as the cancel of
   * that job, or the next try's kick-off finds the client's slot still taken.
   */
  private static Response cancel(Response started, String spelling) {
    URI location = URI.create(started.header("Content-Location"));
    return send("DELETE", spelling.replace("{path}", location.getRawPath())
        .replace("{query}", location.getRawQuery()), null, null);
  }

  @Provide
  Arbitrary<String> statusSpellings() {
    return Arbitraries.of("{path}?{query}", "{path}?{query}&_format=json",
        "{path}?_pretty=true&{query}", "{path}?_format=application%2Ffhir%2Bxml&{query}&_pretty",
        "/fhir/%24export-poll-status?{query}", "/fhir/./$export-poll-status?{query}&_format=xml");
  }

  private static void assertSafe(Response response) {
    String where = " in " + response;
    assertTrue(response.status < 500 || response.status == 503, () -> "a 5xx" + where);
    for (String[] header : response.headers) {
      for (String text : header) {
        assertTrue(text.chars().allMatch(c -> c >= 0x20 && c < 0x7f),
            () -> "a header with a control or non-ASCII character" + where);
      }
    }
    assertFalse(LEAK.matcher(response.body).find(), () -> "a stack trace or class name" + where);
    assertFalse(response.body.contains(token) || response.body.contains(signature()),
        () -> "the token came back" + where);
    if (response.status >= 400) {
      String type = response.header("Content-Type").toLowerCase(Locale.ROOT).replace(" ", "");
      boolean xml = type.startsWith("application/fhir+xml");
      assertTrue(xml || type.startsWith("application/fhir+json"), () -> "FHIR type" + where);
      OperationOutcome outcome = xml
          ? FHIR.newXmlParser().parseResource(OperationOutcome.class, response.body)
          : FHIR.newJsonParser().parseResource(OperationOutcome.class, response.body);
      assertNotNull(outcome.getIssueFirstRep().getDetails().getCoding().stream()
          .filter(c -> CATALOG.equals(c.getSystem())).findFirst().orElse(null),
          () -> "a catalog coding" + where);
    }
  }

  private static String signature() {
    return token.substring(token.lastIndexOf('.') + 1);
  }

  @Provide
  Arbitrary<Kickoff> kickoffs() {
    Arbitrary<String> path = Arbitraries.of(BASES).flatMap(base -> Arbitraries.of(base,
        base + "/", base.replace("$", "%24"), base.replace("$", "%2524"),
        base.replace("$export", "$EXPORT"), base + ";x=1", base.replace("/$", "/./$"),
        base.replace("/$", "/x/../$"), base.replace("/$", "//$"), base + "%20", base + "."));
    Arbitrary<Map<String, String>> parameters = Combinators.combine(
            Arbitraries.of("_type", "_since", "_outputFormat", "_typeFilter", "patient",
                "_elements", "includeAssociatedData", "_TYPE", "_type", "foo", "_format",
                "_pretty"),
            value())
        .as(Tuple::of).list().ofMaxSize(4).map(pairs -> {
          Map<String, String> map = new LinkedHashMap<>();
          pairs.forEach(p -> map.merge(p.get1(), p.get2(), (a, b) -> a + "," + b));
          return map;
        });
    Arbitrary<String> prefer = Arbitraries.oneOf(
        Arbitraries.of("respond-async", "respond-async", "respond-async; wait=10",
            "handling=strict, respond-async", "RESPOND-ASYNC", "return=minimal", "",
            "respond-async, handling=lenient", "handling=lenient, respond-async",
            "respond-async, HANDLING=\"lenient\""),
        junk());
    return Combinators.combine(Arbitraries.of("GET", "GET", "POST", "POST-JUNK"), path,
            parameters, prefer)
        .as((method, p, params, pref) -> switch (method) {
          case "GET" -> new Kickoff("GET", p + query(params), pref, null, params.keySet());
          case "POST" -> new Kickoff("POST", p, pref, body(params), params.keySet());
          default -> new Kickoff("POST", p, pref, "{\"resourceType\":\"Parameters\","
              + String.join("", params.values()), Set.of());
        });
  }

  private static Arbitrary<String> value() {
    return Arbitraries.oneOf(
        Arbitraries.of("Patient", "Patient,Observation", "Observation, Patient", "Foo", "",
            "2024-01-01T00:00:00Z", "2024-01-01T00:00:00.123+02:00", "2024-02-30T00:00:00Z",
            "2024-01-01", "2024-01-01T00:00:00", "application/fhir+ndjson", "ndjson",
            "application/fhir ndjson", "text/csv", "Observation?category=laboratory",
            "Patient/1", "9999-12-31T23:59:59Z"),
        junk());
  }

  private static Arbitrary<String> junk() {
    return Arbitraries.oneOf(
        Arbitraries.strings().all().ofMaxLength(30),
        Arbitraries.strings().withCharRange('\u0000', '\u007f').ofMaxLength(30),
        Arbitraries.of("\r\nX-Fuzz-Injected: 1", "%0d%0a", "%zz", "\u00e9", "\uD800", "\"",
            "</x>", "${x}", "a".repeat(3000)));
  }

  private static String query(Map<String, String> parameters) {
    List<String> pairs = new ArrayList<>();
    parameters.forEach((name, value) -> pairs.add(name + "="
        + URLEncoder.encode(value, StandardCharsets.UTF_8)));
    return pairs.isEmpty() ? "" : "?" + String.join("&", pairs);
  }

  private static String body(Map<String, String> parameters) {
    Parameters body = new Parameters();
    parameters.forEach((name, value) -> body.addParameter(name, value));
    return FHIR.newJsonParser().encodeResourceToString(body);
  }

  /** A raw HTTP/1.1 exchange with {@code Connection: close}; the answer read to its end. */
  private static Response send(String method, String target, String prefer, String body) {
    StringBuilder head = new StringBuilder(method).append(' ').append(target)
        .append(" HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ").append(token)
        .append("\r\nAccept: application/fhir+json\r\nConnection: close\r\n");
    byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
    if (prefer != null) {
      head.append("Prefer: ").append(prefer).append("\r\n");
    }
    if (body != null) {
      head.append("Content-Type: application/fhir+json\r\nContent-Length: ")
          .append(content.length).append("\r\n");
    }
    head.append("\r\n");
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", sample.port()), 5_000);
      socket.setSoTimeout(20_000);
      socket.getOutputStream().write(head.toString().getBytes(StandardCharsets.UTF_8));
      socket.getOutputStream().write(content);
      socket.getOutputStream().flush();
      return Response.parse(socket.getInputStream().readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A response read to the end of the connection. */
  record Response(int status, List<String[]> headers, String body) {

    static Response parse(byte[] raw) throws IOException {
      String all = new String(raw, StandardCharsets.ISO_8859_1);
      int end = all.indexOf("\r\n\r\n");
      if (end < 0) {
        throw new IOException("no complete answer: " + all);
      }
      String[] lines = all.substring(0, end).split("\r\n");
      List<String[]> headers = new ArrayList<>();
      for (int i = 1; i < lines.length; i++) {
        int colon = lines[i].indexOf(':');
        headers.add(new String[] {lines[i].substring(0, Math.max(colon, 0)),
            lines[i].substring(colon + 1).trim()});
      }
      byte[] rest = java.util.Arrays.copyOfRange(raw, end + 4, raw.length);
      boolean chunked = headers.stream().anyMatch(h -> h[0].equalsIgnoreCase("Transfer-Encoding")
          && h[1].toLowerCase(Locale.ROOT).contains("chunked"));
      return new Response(Integer.parseInt(lines[0].split(" ")[1]), headers,
          new String(chunked ? dechunk(rest) : rest, StandardCharsets.UTF_8));
    }

    private static byte[] dechunk(byte[] body) throws IOException {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      InputStream in = new java.io.ByteArrayInputStream(body);
      while (true) {
        StringBuilder size = new StringBuilder();
        for (int c = in.read(); c != '\n' && c >= 0; c = in.read()) {
          size.append((char) c);
        }
        String hex = size.toString().trim().split(";")[0];
        int length = hex.isEmpty() ? 0 : Integer.parseInt(hex, 16);
        if (length == 0) {
          return out.toByteArray();
        }
        out.write(in.readNBytes(length));
        in.read();
        in.read();
      }
    }

    String header(String name) {
      return headers.stream().filter(h -> h[0].equalsIgnoreCase(name)).map(h -> h[1])
          .findFirst().orElse("");
    }

    @Override
    public String toString() {
      StringBuilder text = new StringBuilder().append(status).append(' ');
      headers.forEach(h -> text.append(h[0]).append('=').append(h[1]).append(", "));
      String shown = (text + body).replaceAll("[^\\x20-\\x7e]", "?");
      return shown.length() > 1500 ? shown.substring(0, 1500) + "..." : shown;
    }
  }
}
