package dev.fhirguard.feature.outcome;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Read;
import ca.uhn.fhir.rest.annotation.Search;
import ca.uhn.fhir.rest.server.IResourceProvider;
import ca.uhn.fhir.rest.server.RestfulServer;
import dev.fhirguard.testing.TestServer;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.List;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every HAPI 405 has an Allow header, on every kind of path, that lists only methods HAPI serves
 * there (empty when nothing is bound); a 405 never becomes a 500.
 */
class AllowHeaderEdgeTest {

  public static final class CompartmentOnly implements IResourceProvider {
    @Override public Class<Patient> getResourceType() { return Patient.class; }
    @Read public Patient read(@IdParam IdType id) { return new Patient(); }
    @Search(compartmentName = "Observation")
    public List<Observation> observations(@IdParam IdType id) { return List.of(); }
  }

  static final class AsyncServlet extends HttpServlet {
    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) {
      AsyncContext async = request.startAsync();
      async.start(() -> {
        try {
          ((HttpServletResponse) async.getResponse()).sendError(404, "no such thing");
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
        async.complete();
      });
    }
  }

  @RegisterExtension
  static final TestServer server = TestServer.builder()
      .fhir("/fhir/*", compartmentOnly()).asyncServlet("/a/*", new AsyncServlet()).perClass();

  private static RestfulServer compartmentOnly() {
    RestfulServer fhir = new RestfulServer(FhirContext.forR4Cached());
    fhir.setResourceProviders(List.of(new CompartmentOnly()));
    return fhir;
  }

  @Test
  void a_compartment_only_search_does_not_put_get_in_the_type_paths_allow_header() {
    HttpResponse<String> post = server.send("POST", "/fhir/Patient",
        "{\"resourceType\":\"Patient\"}", "Content-Type", "application/fhir+json");
    HttpResponse<String> get = server.get("/fhir/Patient");

    assertEquals(405, post.statusCode(), post.body());
    assertTrue(get.statusCode() >= 400, get.body());
    assertEquals(List.of(), allowed(post), post.headers().map().toString());
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.CsvSource({
    "DELETE, /fhir/Patient/1/_history",
    "POST, /fhir/Patient/1/_history",
    "PUT, /fhir/Patient/1/Observation",
    "PUT, /fhir/Patient",
    "PUT, /fhir/metadata",
    "PATCH, /fhir/Patient/1",
    "POST, /fhir/Patient/1",
  })
  void a_wrong_verb_on_any_hapi_path_is_a_405_whose_allow_lists_only_methods_served_there(
      String method, String path) {
    HttpResponse<String> r = server.send(method, path, "{\"resourceType\":\"Patient\"}",
        "Content-Type", "application/fhir+json");

    assertEquals(405, r.statusCode(), r.body());
    assertTrue(r.headers().firstValue("Allow").isPresent(), r.headers().map().toString());
    for (String listed : allowed(r)) {
      HttpResponse<String> other = server.send(listed, path, null);
      assertTrue(other.statusCode() != 405 && other.statusCode() < 500,
          listed + " " + path + " is in Allow but answered " + other.statusCode());
    }
  }

  private static List<String> allowed(HttpResponse<String> response) {
    return response.headers().allValues("Allow").stream()
        .flatMap(value -> java.util.Arrays.stream(value.split(",")))
        .map(String::trim)
        .filter(method -> !method.isEmpty())
        .toList();
  }

  @Test
  void async_send_error_is_one_outcome() {
    HttpResponse<String> r = server.get("/a/x");
    assertEquals(404, r.statusCode(), r.body());
    assertTrue(r.body().contains("\"OperationOutcome\""), r.body());
  }
}
