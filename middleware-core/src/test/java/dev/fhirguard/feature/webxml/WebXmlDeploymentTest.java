package dev.fhirguard.feature.webxml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ca.uhn.fhir.context.FhirContext;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.fhirguard.ErrorCode;
import dev.fhirguard.FhirGuard;
import dev.fhirguard.FhirGuardConfig;
import dev.fhirguard.FhirGuardErrorServlet;
import dev.fhirguard.FhirGuardFilter;
import dev.fhirguard.jetty.FhirGuardJetty;
import dev.fhirguard.testing.Http;
import dev.fhirguard.testing.LogCapture;
import dev.fhirguard.testing.TestServer;
import dev.fhirguard.testing.TestFhirServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import javax.xml.parsers.DocumentBuilderFactory;
import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.eclipse.jetty.server.Server;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.OperationOutcome.OperationOutcomeIssueComponent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The {@code web.xml} snippet of {@code docs/integration.md}, exactly as documented, spliced into a
 * real web application on a real Jetty 12 {@link WebAppContext} next to a HAPI server that the
 * container instantiates itself ({@link dev.fhirguard.testing.WebXmlFhirServer}).
 */
class WebXmlDeploymentTest {

  private static final Path INTEGRATION_DOC = Path.of("..", "docs", "integration.md");
  private static final String BEGIN = "<!-- fhirguard:web.xml:begin -->";
  private static final String END = "<!-- fhirguard:web.xml:end -->";
  private static final String DEFAULT_SYSTEM = "https://fhirguard.dev/CodeSystem/error-code";
  private static final Set<String> FHIRGUARD_ELEMENTS =
      Set.of("filter", "filter-mapping", "servlet", "servlet-mapping", "error-page");

  @TempDir static Path webapp;
  @TempDir static Path secondWebapp;

  private static String snippet;
  private static TestServer server;
  private static WebAppContext context;
  private static WebAppContext withJettyHandlers;
  private static TestServer jettyHandlersServer;

  @BeforeAll
  static void deployTheDocumentedWebXml() throws Exception {
    snippet = snippet();
    context = new WebAppContext();
    server = deploy(webapp, context, jetty -> {});
    withJettyHandlers = new WebAppContext();
    jettyHandlersServer = deploy(secondWebapp, withJettyHandlers,
        jetty -> FhirGuardJetty.installErrorHandlers(jetty, withJettyHandlers));
  }

  private static TestServer deploy(Path dir, WebAppContext app, Consumer<Server> onJetty)
      throws Exception {
    String webXml =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            + "<web-app xmlns=\"https://jakarta.ee/xml/ns/jakartaee\" version=\"6.0\">\n"
            + snippet
            + "\n  <servlet>\n"
            + "    <servlet-name>fhir</servlet-name>\n"
            + "    <servlet-class>dev.fhirguard.testing.WebXmlFhirServer</servlet-class>\n"
            + "    <load-on-startup>1</load-on-startup>\n"
            + "  </servlet>\n"
            + "  <servlet-mapping>\n"
            + "    <servlet-name>fhir</servlet-name>\n"
            + "    <url-pattern>/fhir/*</url-pattern>\n"
            + "  </servlet-mapping>\n"
            // Denied by the container before any filter runs: only the error page can answer.
            + "  <security-constraint>\n"
            + "    <web-resource-collection>\n"
            + "      <web-resource-name>locked</web-resource-name>\n"
            + "      <url-pattern>/locked/*</url-pattern>\n"
            + "    </web-resource-collection>\n"
            + "    <auth-constraint/>\n"
            + "  </security-constraint>\n"
            + "</web-app>\n";
    Path webInf = Files.createDirectories(dir.resolve("WEB-INF"));
    Files.writeString(webInf.resolve("web.xml"), webXml, StandardCharsets.UTF_8);

    app.setContextPath("/");
    app.setWar(dir.toString());
    app.setParentLoaderPriority(true);
    app.setThrowUnavailableOnStartupException(true);
    TestServer target = TestServer.builder().unguarded().handler(jetty -> {
      onJetty.accept(jetty);
      return app;
    }).start();
    assertNull(app.getUnavailableException(), "the web application did not start");
    assertTrue(app.isAvailable(), "the web application is not available");
    return target;
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
    if (jettyHandlersServer != null) {
      jettyHandlersServer.close();
    }
  }

  // ---- the documented snippet itself

  @Test
  void the_documented_snippet_sits_in_an_xml_block_and_holds_only_the_fhirguard_elements()
      throws Exception {
    List<String> lines = Files.readAllLines(INTEGRATION_DOC, StandardCharsets.UTF_8);
    int begin = lines.indexOf(BEGIN);
    int end = lines.indexOf(END);
    assertEquals(begin, lines.lastIndexOf(BEGIN), "the begin marker must appear once");
    assertEquals(end, lines.lastIndexOf(END), "the end marker must appear once");
    assertEquals("```xml", lines.get(begin - 1).trim(), "the snippet must open an ```xml block");
    assertEquals("```", lines.get(end + 1).trim(), "the snippet must close its block");

    Document doc = parse("<root>" + snippet + "</root>");
    List<String> names = new ArrayList<>();
    NodeList children = doc.getDocumentElement().getChildNodes();
    for (int i = 0; i < children.getLength(); i++) {
      if (children.item(i).getNodeType() == Node.ELEMENT_NODE) {
        names.add(children.item(i).getNodeName());
      }
    }
    assertTrue(FHIRGUARD_ELEMENTS.containsAll(names), "unexpected elements: " + names);
    assertTrue(names.containsAll(FHIRGUARD_ELEMENTS), "missing elements: " + names);

    String filterClass = text(doc, "filter", "filter-class");
    assertEquals(FhirGuardFilter.class.getName(), filterClass);
    assertEquals("true", text(doc, "filter", "async-supported"));
    assertEquals(FhirGuardErrorServlet.class.getName(), text(doc, "servlet", "servlet-class"));
    assertEquals("/*", text(doc, "filter-mapping", "url-pattern"));
    List<String> dispatchers = texts(doc, "filter-mapping", "dispatcher");
    assertEquals(List.of("REQUEST", "ASYNC", "ERROR"), dispatchers);
    assertEquals(text(doc, "servlet-mapping", "url-pattern"), text(doc, "error-page", "location"),
        "the error page must point at the error servlet");
  }

  @Test
  void the_filter_publishes_a_guard_built_from_its_init_params() throws Exception {
    Map<String, String> params = initParams();
    assertFalse(params.isEmpty(), "the documented snippet should show an init-param");
    Object published = context.getServletContext().getAttribute(FhirGuard.CONTEXT_ATTRIBUTE);
    assertTrue(published instanceof FhirGuard, "no guard published: " + published);
    FhirGuardConfig config = ((FhirGuard) published).config();
    params.forEach((key, value) -> assertEquals(value.trim(), config.get(key), key));
  }

  // ---- over real HTTP

  @Test
  void an_unknown_patient_is_a_404_outcome_identified_by_the_clients_request_id() throws Exception {
    HttpResponse<String> response = send("GET", "/fhir/Patient/999", "X-Request-ID", "webxml-404");

    assertJsonOutcome(response, 404, "webxml-404", IssueType.NOTFOUND, ErrorCode.RESOURCE_NOT_FOUND);
  }

  @Test
  void a_failing_provider_is_a_500_with_the_generic_text_and_the_transaction_id_only()
      throws Exception {
    try (LogCapture logs = new LogCapture()) {
      HttpResponse<String> response = send("GET", "/fhir/Patient/sql");

      assertEquals(500, response.statusCode(), response.body());
      List<String> ids = response.headers().allValues("X-Request-ID");
      assertEquals(1, ids.size(), "X-Request-ID values: " + ids);
      String id = ids.get(0);
      assertFalse(response.body().contains("duplicate key"), response.body());
      assertFalse(response.body().contains("hfj_resource"), response.body());
      OperationOutcome outcome = outcome(response);
      assertEquals(id, outcome.getIdElement().getIdPart());
      OperationOutcomeIssueComponent issue = outcome.getIssueFirstRep();
      assertEquals(IssueType.EXCEPTION, issue.getCode());
      assertCatalogCoding(issue, ErrorCode.INTERNAL_ERROR);
      assertEquals("An unexpected error occurred. Transaction id: " + id, issue.getDiagnostics());

      List<ILoggingEvent> logged =
          logs.events().stream()
              .filter(e -> e.getLoggerName().equals("dev.fhirguard.errors"))
              .filter(e -> e.getLevel() == Level.ERROR)
              .filter(e -> id.equals(e.getMDCPropertyMap().get("requestId")))
              .toList();
      assertEquals(1, logged.size(), "one ERROR with the transaction id in the MDC: " + logs.lines());
      assertTrue(LogCapture.render(logged.get(0)).contains(TestFhirServer.SQL_TEXT),
          "the log keeps what the client does not see");
    }
  }

  @Test
  void a_wrong_method_on_an_unmapped_path_is_a_405_outcome() throws Exception {
    HttpResponse<String> response =
        send("PUT", "/nowhere", "Content-Type", "application/fhir+json");

    assertEquals(405, response.statusCode(), response.body());
    List<String> ids = response.headers().allValues("X-Request-ID");
    assertEquals(1, ids.size(), "X-Request-ID values: " + ids);
    assertTrue(contentType(response).startsWith("application/fhir+json"), contentType(response));
    OperationOutcome outcome = outcome(response);
    assertEquals(ids.get(0), outcome.getIdElement().getIdPart());
    OperationOutcomeIssueComponent issue = outcome.getIssueFirstRep();
    assertEquals(IssueType.NOTSUPPORTED, issue.getCode());
    assertCatalogCoding(issue, ErrorCode.METHOD_NOT_ALLOWED);
  }

  /**
   * The servlet's own 405 is caught by the filter on the REQUEST dispatch; this one never meets
   * the filter on its way in, so it exercises the error page and the filter's ERROR dispatch.
   */
  @Test
  void a_container_error_raised_before_the_filter_reaches_the_error_page_as_an_outcome()
      throws Exception {
    HttpResponse<String> response = send("GET", "/locked/record", "X-Request-ID", "locked-1");

    assertJsonOutcome(response, 403, "locked-1", IssueType.FORBIDDEN, ErrorCode.FORBIDDEN);
  }

  /**
   * Jetty's error-page handler sends no PUT, DELETE or PATCH error to an error page; with
   * FhirGuardJetty.installErrorHandlers those are outcomes too, from the web.xml filter's guard.
   */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {"GET", "PUT", "DELETE", "PATCH"})
  void with_the_jetty_error_handlers_a_container_error_on_any_method_is_an_outcome(String method)
      throws Exception {
    HttpResponse<String> response =
        send(jettyHandlersServer, method, "/locked/record", "X-Request-ID", "locked-2");

    assertEquals(403, response.statusCode(), response.body());
    assertEquals(List.of("locked-2"), response.headers().allValues("X-Request-ID"));
    OperationOutcome outcome = outcome(response);
    assertEquals("locked-2", outcome.getIdElement().getIdPart());
    assertEquals(IssueType.FORBIDDEN, outcome.getIssueFirstRep().getCode());
    assertTrue(response.body().contains("\n"), "the filter's init-params were not used");
  }

  @Test
  void the_error_servlet_requested_directly_answers_a_404_outcome() throws Exception {
    HttpResponse<String> response = send("DELETE", "/fhirguard-error", "Accept",
        "application/fhir+xml");

    assertEquals(404, response.statusCode(), response.body());
    assertEquals(1, response.headers().allValues("X-Request-ID").size());
    assertTrue(contentType(response).startsWith("application/fhir+xml"), contentType(response));
    OperationOutcome outcome =
        FhirContext.forR4Cached().newXmlParser()
            .parseResource(OperationOutcome.class, response.body());
    assertCatalogCoding(outcome.getIssueFirstRep(), ErrorCode.NOT_FOUND);
  }

  @Test
  void an_init_param_of_the_snippet_takes_effect() throws Exception {
    assertEquals("true", initParams().get("fhirguard.outcome.pretty-print"),
        "the documented snippet sets fhirguard.outcome.pretty-print=true");

    HttpResponse<String> response = send("PUT", "/nowhere");

    assertEquals(405, response.statusCode(), response.body());
    assertTrue(response.body().contains("\n"), "not pretty-printed: " + response.body());
  }

  // ---- helpers

  private static String snippet() throws IOException {
    String doc = Files.readString(INTEGRATION_DOC, StandardCharsets.UTF_8);
    int begin = doc.indexOf(BEGIN);
    int end = doc.indexOf(END);
    assertTrue(begin >= 0 && end > begin, "markers missing in " + INTEGRATION_DOC);
    return doc.substring(begin + BEGIN.length(), end);
  }

  private static Map<String, String> initParams() throws Exception {
    Document doc = parse("<root>" + snippet + "</root>");
    Map<String, String> params = new LinkedHashMap<>();
    NodeList list = doc.getElementsByTagName("init-param");
    for (int i = 0; i < list.getLength(); i++) {
      Element param = (Element) list.item(i);
      params.put(
          param.getElementsByTagName("param-name").item(0).getTextContent().trim(),
          param.getElementsByTagName("param-value").item(0).getTextContent().trim());
    }
    return params;
  }

  private static Document parse(String xml) throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    return factory.newDocumentBuilder()
        .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
  }

  private static String text(Document doc, String parent, String child) {
    List<String> values = texts(doc, parent, child);
    assertEquals(1, values.size(), parent + "/" + child + ": " + values);
    return values.get(0);
  }

  private static List<String> texts(Document doc, String parent, String child) {
    List<String> values = new ArrayList<>();
    NodeList parents = doc.getElementsByTagName(parent);
    for (int i = 0; i < parents.getLength(); i++) {
      NodeList children = ((Element) parents.item(i)).getElementsByTagName(child);
      for (int j = 0; j < children.getLength(); j++) {
        values.add(children.item(j).getTextContent().trim());
      }
    }
    return values;
  }

  private static HttpResponse<String> send(String method, String path, String... headers) {
    return send(server, method, path, headers);
  }

  /** A PUT carries a Patient; other methods no body. */
  private static HttpResponse<String> send(
      Http target, String method, String path, String... headers) {
    String body = "PUT".equals(method) ? "{\"resourceType\":\"Patient\"}" : null;
    return target.send(method, path, body, headers);
  }

  private static String contentType(HttpResponse<String> response) {
    return response.headers().firstValue("Content-Type").orElse("").toLowerCase(Locale.ROOT);
  }

  private static OperationOutcome outcome(HttpResponse<String> response) {
    assertTrue(response.body().contains("\"OperationOutcome\""), response.body());
    return FhirContext.forR4Cached().newJsonParser()
        .parseResource(OperationOutcome.class, response.body());
  }

  /**
   * A JSON OperationOutcome answered with {@code status}, identified by the client's {@code
   * requestId} (the only X-Request-ID), whose first issue has {@code type} and the catalog coding
   * of {@code code}.
   */
  private static void assertJsonOutcome(HttpResponse<String> response, int status,
      String requestId, IssueType type, ErrorCode code) {
    assertEquals(status, response.statusCode(), response.body());
    assertEquals(List.of(requestId), response.headers().allValues("X-Request-ID"));
    assertTrue(contentType(response).startsWith("application/fhir+json"), contentType(response));
    OperationOutcome outcome = outcome(response);
    assertEquals(requestId, outcome.getIdElement().getIdPart());
    OperationOutcomeIssueComponent issue = outcome.getIssueFirstRep();
    assertEquals(type, issue.getCode());
    assertCatalogCoding(issue, code);
  }

  private static void assertCatalogCoding(OperationOutcomeIssueComponent issue, ErrorCode code) {
    List<Coding> codings = issue.getDetails().getCoding();
    assertNotNull(codings);
    assertTrue(codings.stream()
            .anyMatch(c -> DEFAULT_SYSTEM.equals(c.getSystem()) && code.code().equals(c.getCode())),
        "no " + code + " coding in " + codings);
    assertEquals(code.defaultText(), issue.getDetails().getText());
  }
}
