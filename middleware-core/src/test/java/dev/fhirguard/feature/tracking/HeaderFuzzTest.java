package dev.fhirguard.feature.tracking;

import static dev.fhirguard.testing.FuzzInvariants.NO_5XX;
import static dev.fhirguard.testing.FuzzInvariants.assertPrintable;
import static dev.fhirguard.testing.FuzzInvariants.assertSafe;
import static dev.fhirguard.testing.FuzzInvariants.describe;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fhirguard.internal.tracking.RequestIds;
import dev.fhirguard.testing.FuzzHeaders;
import dev.fhirguard.testing.FuzzInvariants;
import dev.fhirguard.testing.FuzzStrings;
import dev.fhirguard.testing.LogGuard;
import dev.fhirguard.testing.RawHttp;
import dev.fhirguard.testing.TestServer;
import java.net.URLEncoder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tag;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Fuzzes the request headers and parameters every request passes through, over real HTTP to a
 * real Jetty and HAPI: {@code X-Request-ID}, {@code X-Correlation-Id}, {@code Accept} and {@code
 * _format}, with near-valid values and raw junk (sent as UTF-8 or Latin-1 bytes), against HAPI,
 * non-FHIR and container errors. Every answer keeps the invariants of {@link FuzzInvariants}
 * and every log line stays free of control characters.
 */
@Tag("fuzz")
class HeaderFuzzTest {

  /** A 200, HAPI 404s, a servlet's sendError, a bare status and the container's 404. */
  private static final List<String> PATHS = List.of("/fhir/Patient/1", "/fhir/Patient/999",
      "/fhir/Foo/1", "/plain/send-error/409", "/plain/status/404", "/plain/json/401",
      "/plain/html/400", "/nowhere");
  private static final List<String> FORMATS = List.of("json", "xml", "application/fhir+json",
      "application/fhir+xml", "application/json", "application/xml", "text/xml", "html",
      "application/fhir+json;q=0.5, application/fhir+xml", "*/*", "text/html;q=0.9, */*;q=0.1");

  private static TestServer server;
  private static LogGuard logs;

  @BeforeContainer
  static void start() {
    server = TestServer.start();
    logs = LogGuard.attach();
  }

  @AfterContainer
  static void stop() {
    logs.close();
    server.close();
  }

  @Property
  void request_ids_never_break_an_answer(@ForAll("requestIds") String requestId,
      @ForAll("correlationIds") String correlationId, @ForAll("paths") String path,
      @ForAll("charsets") Charset charset) {
    List<String[]> headers = new FuzzHeaders().add("X-Request-ID", requestId)
        .addIf(!correlationId.isEmpty(), "X-Correlation-Id", correlationId).list();
    RawHttp.Response response = send("GET", path, headers, charset);
    assertSafe(response, NO_5XX);
    logs.assertClean();
    List<String> ids = response.headers("X-Request-ID");
    assertEquals(1, ids.size(), () -> "one X-Request-ID in " + describe(response));
    assertTrue(RequestIds.isAcceptable(ids.get(0)), () -> "a FHIR id in " + describe(response));
    boolean plain = isPrintableAscii(requestId) && isPrintableAscii(correlationId);
    if (plain && RequestIds.isAcceptable(requestId)) {
      assertEquals(requestId, ids.get(0), () -> "the client's valid id in " + describe(response));
    }
    for (String echoed : response.headers("X-Correlation-Id")) {
      assertTrue(echoed.length() <= 256, () -> "a bounded echo in " + describe(response));
      assertPrintable("X-Correlation-Id", echoed, describe(response));
    }
  }

  @Property
  void accept_and_format_never_break_an_error(@ForAll("accepts") String accept,
      @ForAll("formats") String format, @ForAll boolean encode, @ForAll("paths") String path,
      @ForAll("charsets") Charset charset) {
    String query = format.isEmpty() ? ""
        : "?_format=" + (encode ? URLEncoder.encode(format, StandardCharsets.UTF_8)
            : new String(format.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1));
    List<String[]> headers = new FuzzHeaders().addIf(!accept.isEmpty(), "Accept", accept).list();
    RawHttp.Response response = send("GET", path + query, headers, charset);
    // A raw space in the target makes the request line name another HTTP version: Jetty's 505.
    assertSafe(response, encode ? NO_5XX : Set.of(505));
    logs.assertClean();
    if (response.status() >= 400 && encode && FORMATS.subList(0, 6).contains(format)) {
      boolean xml = format.toLowerCase(Locale.ROOT).contains("xml");
      assertTrue(response.header("Content-Type").contains(xml ? "fhir+xml" : "fhir+json"),
          () -> "_format=" + format + " decides the error's format: " + describe(response));
    }
  }

  /** HEAD answers carry no body, but their headers keep the same rules. */
  @Property
  void head_requests_with_junk_headers_answer_safely(@ForAll("requestIds") String requestId,
      @ForAll("accepts") String accept, @ForAll("paths") String path) {
    List<String[]> headers =
        new FuzzHeaders().add("X-Request-ID", requestId).add("Accept", accept).list();
    RawHttp.Response response = send("HEAD", path, headers, StandardCharsets.UTF_8);
    assertTrue(response.status() != 500 && response.status() < 500, () -> describe(response));
    response.headers().forEach(h -> {
      assertPrintable("header name", h.getKey(), describe(response));
      assertPrintable("header " + h.getKey(), h.getValue(), describe(response));
    });
    logs.assertClean();
  }

  @Example
  void an_id_one_character_over_the_fhir_limit_is_replaced_and_echoed() {
    String id = "a".repeat(65);
    RawHttp.Response response = send("GET", "/fhir/Patient/999",
        List.<String[]>of(new String[] {"X-Request-ID", id}), StandardCharsets.UTF_8);
    assertSafe(response, NO_5XX);
    assertTrue(RequestIds.isAcceptable(response.header("X-Request-ID")));
    assertEquals(id, response.header("X-Correlation-Id"));
  }

  /** Found by ExportFuzzTest: HAPI's own query parsing threw on a bad escape, answered 500. */
  @Example
  void a_query_with_a_broken_percent_escape_is_a_400_not_a_500() {
    for (String query : List.of("?name=%", "?name=%zz", "?_type=%2", "?%=x")) {
      RawHttp.Response response = send("GET", "/fhir/Patient" + query, List.of(),
          StandardCharsets.UTF_8);
      assertSafe(response, NO_5XX);
      assertEquals(400, response.status(), () -> describe(response));
      assertTrue(response.body().contains("MALFORMED_REQUEST"), () -> describe(response));
    }
  }

  @Example
  void the_log_line_of_a_broken_percent_escape_names_the_path_requested() {
    try (dev.fhirguard.testing.LogCapture logs = new dev.fhirguard.testing.LogCapture()) {
      send("GET", "/fhir/Patient?name=%", List.of(), StandardCharsets.UTF_8);
      String line = logs.lines().stream().filter(l -> l.contains("MALFORMED_REQUEST"))
          .findFirst().orElseThrow(() -> new AssertionError("no line: " + logs.lines()));
      assertTrue(line.contains("GET /fhir/Patient answered 400"), line);
    }
  }

  private static RawHttp.Response send(String method, String target, List<String[]> headers,
      Charset charset) {
    return server.raw(FuzzInvariants.request(method, target, headers, charset));
  }

  private static boolean isPrintableAscii(String text) {
    return text.chars().allMatch(c -> c >= 0x21 && c <= 0x7e);
  }

  @Provide
  Arbitrary<String> requestIds() {
    return Arbitraries.oneOf(
        Arbitraries.strings().withCharRange('a', 'z').withCharRange('0', '9').withChars('.', '-')
            .ofMinLength(1).ofMaxLength(64),
        FuzzStrings.nearly("3f2a9c4e-8b7d-4c1a-9e6f-0a1b2c3d4e5f"),
        FuzzStrings.junk(),
        FuzzStrings.aroundLength(64, 'a'),
        FuzzStrings.aroundLength(256, 'b'),
        FuzzStrings.aroundLength(8192, 'c'));
  }

  @Provide
  Arbitrary<String> correlationIds() {
    return Arbitraries.oneOf(Arbitraries.just(""), FuzzStrings.nearly("corr-42"),
        FuzzStrings.junk(), FuzzStrings.aroundLength(1024, 'd'));
  }

  @Provide
  Arbitrary<String> accepts() {
    return Arbitraries.oneOf(Arbitraries.just(""), Arbitraries.of(FORMATS),
        Arbitraries.of(FORMATS).flatMap(FuzzStrings::nearly), FuzzStrings.junk(),
        Arbitraries.of(FORMATS).list().ofMaxSize(80).map(list -> String.join(",", list)),
        FuzzStrings.aroundLength(4096, 'x'));
  }

  @Provide
  Arbitrary<String> formats() {
    return Arbitraries.oneOf(Arbitraries.just(""), Arbitraries.of(FORMATS.subList(0, 7)),
        Arbitraries.of(FORMATS.subList(0, 7)).flatMap(FuzzStrings::nearly), FuzzStrings.junk());
  }

  @Provide
  Arbitrary<String> paths() {
    return Arbitraries.of(PATHS);
  }

  @Provide
  Arbitrary<Charset> charsets() {
    return Arbitraries.of(StandardCharsets.UTF_8, StandardCharsets.ISO_8859_1);
  }
}
