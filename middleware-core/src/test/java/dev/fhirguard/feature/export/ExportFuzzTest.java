package dev.fhirguard.feature.export;

import static dev.fhirguard.testing.FuzzInvariants.NO_5XX;
import static dev.fhirguard.testing.FuzzInvariants.assertSafe;
import static dev.fhirguard.testing.FuzzInvariants.describe;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fhirguard.testing.BulkDataServlet;
import dev.fhirguard.testing.FuzzHeaders;
import dev.fhirguard.testing.FuzzInvariants;
import dev.fhirguard.testing.FuzzStrings;
import dev.fhirguard.testing.LimitServer;
import dev.fhirguard.testing.LogGuard;
import dev.fhirguard.testing.RawHttp;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tag;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Fuzzes what fhirguard's export limits read from a request ({@code ExportRequest}: is it a
 * kick-off, a poll or a cancel of a running job?) over real HTTP: kick-off paths written in
 * every way a container or HAPI still routes to {@code $export} (encoded, doubled or trailing
 * slashes, dot segments, path parameters, case), methods, and Bulk Data parameters ({@code _type},
 * {@code _since}, {@code _outputFormat}, {@code _typeFilter}, {@code patient}) with near-valid and
 * junk values. With one job of the client running (one export per client), no request may start
 * a second one at the back end, whatever it looks like, and every answer keeps the invariants of
 * {@link FuzzInvariants}. And a running job's status URL spelled any way that names the same job
 * (the {@code $} encoded, dot segments, path parameters, escaped letters, {@code _format} and
 * {@code _pretty} added, parameters in any order) is paced as its poll and ended by its cancel.
 */
@Tag("fuzz")
class ExportFuzzTest {

  private static final String CLIENT = "exporter";
  /** Where a status spelling has the job id, as is and %-encoded. */
  private static final String JOB = "{job}";
  private static final String ENCODED_JOB = "{encoded-job}";
  private static final AtomicInteger SPELLERS = new AtomicInteger();
  private static final List<String> BASES = List.of("/bulk/$export", "/bulk/Patient/$export",
      "/bulk/Group/g1/$export", "/hfhir/$export");

  private static LimitServer server;
  private static LogGuard logs;

  @BeforeContainer
  static void startWithOneRunningJob() {
    server = LimitServer.withClients();
    RawHttp.Response first = server.server.rawGet("/bulk/$export",
        "Authorization: Bearer " + LimitServer.token(CLIENT), "Prefer: respond-async");
    assertEquals(202, first.status(), () -> describe(first));
    logs = LogGuard.attach();
  }

  @AfterContainer
  static void stop() {
    logs.close();
    server.close();
  }

  @Property
  void no_kickoff_variant_starts_a_second_export(@ForAll("kickoffPaths") String path,
      @ForAll("parameters") String query, @ForAll("methods") String method,
      @ForAll("prefers") String prefer) {
    int before = server.bulk.kickoffs();
    List<String[]> headers = new FuzzHeaders()
        .add("Authorization", "Bearer " + LimitServer.token(CLIENT))
        .addIf(!prefer.isEmpty(), "Prefer", prefer).list();
    RawHttp.Response response = server.server.raw(FuzzInvariants.request(method, path + query,
        headers, StandardCharsets.UTF_8));
    assertSafe(method, response, NO_5XX);
    logs.assertClean();
    // Kick-offs are GET and POST; the test back end would start a job for any method.
    int expected = method.equals("GET") || method.equals("POST") ? before
        : server.bulk.kickoffs();
    assertEquals(expected, server.bulk.kickoffs(),
        () -> "a second export started while one runs: " + method + " " + path + query + " -> "
            + describe(response));
  }

  @Property
  void status_url_variants_answer_safely(@ForAll("statusPaths") String path,
      @ForAll("methods") String method) {
    RawHttp.Response response = server.server.raw(FuzzInvariants.request(method, path,
        List.<String[]>of(new String[] {"Authorization", "Bearer " + LimitServer.token(CLIENT)}),
        StandardCharsets.UTF_8));
    assertSafe(method, response, NO_5XX);
    logs.assertClean();
  }

  @Property
  void every_spelling_of_a_running_jobs_status_url_is_paced_and_cancels_it(
      @ForAll("statusSpellings") String spelling) {
    String client = "speller-" + SPELLERS.incrementAndGet();
    String authorization = "Authorization: Bearer " + LimitServer.token(client);
    RawHttp.Response kickoff = server.server.rawGet("/bulk/$export", authorization);
    assertEquals(202, kickoff.status(), () -> describe(kickoff));
    String location = kickoff.header("Content-Location");
    String job = location.substring(location.indexOf("_jobId=") + "_jobId=".length());
    String target = spelling.replace(JOB, job).replace(ENCODED_JOB, encodeEach(job));
    assertEquals(202, server.server.rawGet(BulkDataServlet.statusUrl(Integer.parseInt(job)),
        authorization).status(), "the first poll, free");

    RawHttp.Response poll = server.server.rawGet(target, authorization);
    assertEquals(429, poll.status(), () -> target + " -> " + describe(poll));
    assertTrue(poll.body().contains("EXPORT_POLLED_TOO_SOON"), () -> describe(poll));
    RawHttp.Response cancel = server.server.raw(FuzzInvariants.request("DELETE", target,
        List.<String[]>of(new String[] {"Authorization", "Bearer " + LimitServer.token(client)}),
        StandardCharsets.UTF_8));
    assertEquals(202, cancel.status(), () -> target + " -> " + describe(cancel));
    RawHttp.Response next = server.server.rawGet("/bulk/$export", authorization);
    assertEquals(202, next.status(), () -> "the cancel of " + target + " left the slot taken: "
        + describe(next));
    logs.assertClean();
  }

  /** Status URLs of job {@link #JOB}, each naming that job the way a client may spell it. */
  @Provide
  Arbitrary<String> statusSpellings() {
    Arbitrary<String> path = Arbitraries.of("/fhir/$export-poll-status",
        "/fhir/%24export-poll-status", "/fhir/./$export-poll-status",
        "/fhir/x/../%24export-poll-status", "/fhir/$export-poll-status;v=1",
        "/fhir/$%65xport-poll-status", "/%66hir/$export-poll-status");
    Arbitrary<String> jobId = Arbitraries.of("_jobId=" + JOB, "_job%49d=" + JOB,
        "_jobId=" + ENCODED_JOB, "%5FjobId=" + JOB);
    Arbitrary<String> shaping = Arbitraries.of("_format=json", "_format=xml",
        "_format=application/fhir%2Bjson", "_format=application%2Ffhir%2Bxml", "_pretty=true",
        "_pretty=false", "_format", "_pretty=", "");
    return Combinators.combine(path, jobId, shaping.list().ofMaxSize(3))
        .as((p, id, extra) -> {
          List<String> parameters = new java.util.ArrayList<>(extra);
          parameters.add(id);
          return Tuple.of(p, parameters);
        })
        .flatMap(t -> Arbitraries.shuffle(t.get2())
            .map(parameters -> t.get1() + "?" + String.join("&", parameters)));
  }

  /** Each character of {@code text} %-encoded: {@code 12} is {@code %31%32}. */
  private static String encodeEach(String text) {
    StringBuilder out = new StringBuilder();
    text.chars().forEach(c -> out.append(String.format("%%%02X", c)));
    return out.toString();
  }

  @Provide
  Arbitrary<String> kickoffPaths() {
    Arbitrary<String> variant = Arbitraries.of(BASES).flatMap(base -> Arbitraries.of(
        base, base + "/", base + "//", base.replace("$", "%24"), base.replace("$", "%2524"),
        base.replace("$export", "$EXPORT"), base.replace("$export", "%24EXPORT"),
        base + ";x=1", base.replace("/$", "/./$"), base.replace("/$", "/x/../$"),
        base.replace("/$", "//$"), base.replace("/$", "/%2e/$"), base + "%2F", base + "%00",
        base + "%20", base + ".", base.replace("$", "%24").replace("export", "%65xport"),
        base.replace("/bulk/", "/BULK/"), base + "/" + "x".repeat(2000)));
    return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(5, variant),
        net.jqwik.api.Tuple.of(1, Arbitraries.of(BASES).flatMap(FuzzStrings::nearly)
            .map(ExportFuzzTest::asTarget)));
  }

  @Provide
  Arbitrary<String> statusPaths() {
    String status = BulkDataServlet.statusUrl(1);
    return Arbitraries.oneOf(
        Arbitraries.of(status, status + "&x=1", status.replace("$", "%24"), status + "/",
            status.replace("_jobId=1", "_jobId=01"), status.replace("_jobId=1", "_jobId=%31"),
            status.replace("?", "/?"), status + "#x", BulkDataServlet.STATUS_PATH,
            status + "&_format=json", status.replace("?", "?_pretty=true&"),
            status.replace("$", "%24") + "&_format=xml"),
        FuzzStrings.nearly(status).map(ExportFuzzTest::asTarget));
  }

  @Provide
  Arbitrary<String> parameters() {
    Arbitrary<String> name = Arbitraries.of("_type", "_since", "_outputFormat", "_typeFilter",
        "patient", "_elements", "includeAssociatedData", "_TYPE", "_type[]", "", "foo",
        "_format", "_pretty");
    Arbitrary<String> value = Arbitraries.oneOf(
        Arbitraries.of("Patient", "Patient,Observation", "Foo", "2024-01-01T00:00:00Z",
            "2024-02-30T00:00:00Z", "2024-01-01", "application/fhir+ndjson", "ndjson",
            "text/csv", "Observation?category=laboratory", "Patient/1", ""),
        FuzzStrings.nearly("2024-01-01T00:00:00Z"),
        FuzzStrings.junk());
    Arbitrary<String> pair = Combinators.combine(name, value, Arbitraries.of(true, true, false))
        .as((n, v, encode) -> n + "=" + (encode ? URLEncoder.encode(v, StandardCharsets.UTF_8)
            : asTarget(v)));
    return pair.list().ofMaxSize(4).map(pairs -> pairs.isEmpty() ? ""
        : "?" + String.join("&", pairs));
  }

  @Provide
  Arbitrary<String> methods() {
    return Arbitraries.of("GET", "GET", "POST", "DELETE", "PUT", "HEAD", "OPTIONS");
  }

  @Provide
  Arbitrary<String> prefers() {
    return Arbitraries.oneOf(Arbitraries.of("respond-async", "respond-async", "",
        "respond-async, handling=lenient", "handling=lenient; respond-async", "RESPOND-ASYNC",
        "return=minimal", "respond-async, handling=strict"),
        FuzzStrings.junk());
  }

  /** Text for a request target: printable ASCII kept, anything else %-encoded as UTF-8. */
  private static String asTarget(String text) {
    StringBuilder out = new StringBuilder();
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      out.append(c > 0x20 && c < 0x7f && c != '#' ? String.valueOf((char) c)
          : String.format("%%%02X", c));
    }
    return out.toString();
  }
}
