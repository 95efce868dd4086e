package dev.fhirguard.feature.webxml;

import static dev.fhirguard.testing.Outcomes.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import dev.fhirguard.FhirGuardErrorServlet;
import dev.fhirguard.FhirGuardFilter;
import dev.fhirguard.testing.Http;
import dev.fhirguard.testing.LogCapture;
import dev.fhirguard.testing.PlainServlet;
import dev.fhirguard.testing.WebXmlFhirServer;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.catalina.Context;
import org.apache.catalina.Wrapper;
import org.apache.catalina.servlets.DefaultServlet;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.ErrorPage;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The {@code web.xml} registration of {@code docs/integration.md} (FhirGuardFilter on {@code /*}
 * for REQUEST, ASYNC and ERROR, FhirGuardErrorServlet as the global error page) made on a real
 * embedded Tomcat 10.1 context, next to the default servlet every Tomcat web application gets
 * from {@code conf/web.xml} and a HAPI server the container instantiates. Runs on Tomcat's own
 * Servlet API classes (a surefire execution of its own, see the pom).
 */
class TomcatDeploymentTest {

  @TempDir static Path base;

  private static Tomcat tomcat;
  private static final Http APP = Http.to(() -> tomcat.getConnector().getLocalPort());

  @BeforeAll
  static void deployAsTheWebXmlSays() throws Exception {
    tomcat = new Tomcat();
    tomcat.setBaseDir(base.toString());
    tomcat.setPort(0);
    tomcat.getConnector().setProperty("address", "127.0.0.1");
    Context context = tomcat.addContext("", base.toString());
    defaultServletOf(context);

    FilterDef filter = new FilterDef();
    filter.setFilterName("fhirguard");
    filter.setFilterClass(FhirGuardFilter.class.getName());
    filter.setAsyncSupported("true");
    filter.addInitParameter("fhirguard.outcome.pretty-print", "true");
    context.addFilterDef(filter);
    FilterMap mapping = new FilterMap();
    mapping.setFilterName("fhirguard");
    mapping.addURLPatternDecoded("/*");
    mapping.setDispatcher("REQUEST");
    mapping.setDispatcher("ASYNC");
    mapping.setDispatcher("ERROR");
    context.addFilterMap(mapping);

    Wrapper errors = Tomcat.addServlet(context, "fhirguard-error",
        FhirGuardErrorServlet.class.getName());
    errors.setAsyncSupported(true);
    context.addServletMappingDecoded("/fhirguard-error", "fhirguard-error");
    ErrorPage page = new ErrorPage();
    page.setLocation("/fhirguard-error");
    context.addErrorPage(page);

    // Started with the context, as a deployment would: HAPI's FhirContext takes seconds to build
    Tomcat.addServlet(context, "fhir", WebXmlFhirServer.class.getName()).setLoadOnStartup(2);
    context.addServletMappingDecoded("/fhir/*", "fhir");
    Tomcat.addServlet(context, "plain", PlainServlet.class.getName());
    context.addServletMappingDecoded("/plain/*", "plain");
    tomcat.start();
  }

  /** What Tomcat's {@code conf/web.xml} gives every web application: DefaultServlet on "/". */
  private static void defaultServletOf(Context context) {
    Wrapper servlet = Tomcat.addServlet(context, "default", DefaultServlet.class.getName());
    servlet.addInitParameter("listings", "false");
    servlet.setLoadOnStartup(1);
    context.addServletMappingDecoded("/", "default");
  }

  @AfterAll
  static void stop() throws Exception {
    if (tomcat != null) {
      tomcat.stop();
      tomcat.destroy();
    }
  }

  private static List<String> allowed(HttpResponse<String> response) {
    return response.headers().allValues("Allow").stream()
        .flatMap(value -> Arrays.stream(value.split(",")))
        .map(String::trim)
        .toList();
  }

  @Test
  void patch_on_an_unmapped_path_is_a_405_with_allow_not_a_501_logged_as_a_server_error() {
    try (LogCapture logs = new LogCapture()) {
      HttpResponse<String> response = APP.send("PATCH", "/nowhere", "[]",
          "Content-Type", "application/json-patch+json");

      assertError(response, 405, "METHOD_NOT_ALLOWED");
      assertEquals(List.of("GET", "HEAD", "OPTIONS"), allowed(response));
      assertEquals(List.of(), logs.at(Level.ERROR), "no server error logged");
      assertEquals(List.of(), logs.at(Level.WARN), "no server error logged");
    }
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
    "PUT, /nowhere",
    "DELETE, /nowhere",
    "PUT, /fhir/metadata",
    "PATCH, /fhir/metadata",
    "DELETE, /fhir/Patient/1",
  })
  void every_405_carries_allow_without_the_refused_method(String method, String path) {
    HttpResponse<String> response = APP.send(method, path, "{}",
        "Content-Type", "application/fhir+json");

    assertError(response, 405, "METHOD_NOT_ALLOWED");
    List<String> allowed = allowed(response);
    assertTrue(allowed.contains("GET") && !allowed.contains(method), allowed.toString());
  }

  @Test
  void an_unmapped_get_is_a_404_outcome() {
    assertError(APP.get("/nowhere"), 404, "NOT_FOUND");
  }

  @Test
  void the_hapi_server_answers_and_its_errors_are_outcomes() {
    assertEquals(200, APP.get("/fhir/Patient/1").statusCode());
    assertError(APP.get("/fhir/Patient/999"), 404, "RESOURCE_NOT_FOUND");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"/plain/json/401", "/fhir/Patient/unauthenticated"})
  void a_401_carries_a_bearer_challenge(String path) {
    HttpResponse<String> response = APP.get(path);

    assertError(response, 401, "AUTHENTICATION_REQUIRED");
    assertEquals("Bearer realm=\"fhir\"",
        response.headers().firstValue("WWW-Authenticate").orElse(null));
  }
}
