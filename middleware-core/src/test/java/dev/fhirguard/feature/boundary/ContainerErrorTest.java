package dev.fhirguard.feature.boundary;

import static dev.fhirguard.testing.Outcomes.assertError;
import static dev.fhirguard.testing.Outcomes.contentType;
import static dev.fhirguard.testing.Outcomes.requestId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fhirguard.testing.TestServer;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Errors the container raises itself: unmapped paths, unsupported methods, HEAD. */
class ContainerErrorTest {

  @RegisterExtension static final TestServer server = TestServer.perClass();

  @ParameterizedTest(name = "{0} {1} asking {2} -> {3} {4}")
  @CsvSource(delimiter = '|', value = {
      // method | path                | Accept                | status | code               | xml
      "GET     | /nowhere            |                       | 404    | NOT_FOUND          | false",
      "GET     | /nowhere            | application/fhir+xml  | 404    | NOT_FOUND          | true",
      "GET     | /nowhere?_format=xml|                       | 404    | NOT_FOUND          | true",
      "GET     | /nowhere/deeper/x   |                       | 404    | NOT_FOUND          | false",
      "GET     | /fhirish/Patient/1  | application/fhir+xml  | 404    | NOT_FOUND          | true",
      "PUT     | /nowhere            |                       | 405    | METHOD_NOT_ALLOWED | false",
      "PUT     | /nowhere            | application/fhir+xml  | 405    | METHOD_NOT_ALLOWED | true",
      "DELETE  | /nowhere            |                       | 405    | METHOD_NOT_ALLOWED | false",
      "DELETE  | /nowhere?_format=xml|                       | 405    | METHOD_NOT_ALLOWED | true",
      "POST    | /nowhere            |                       | 405    | METHOD_NOT_ALLOWED | false",
      "PATCH   | /nowhere            |                       | 405    | METHOD_NOT_ALLOWED | false",
      "PATCH   | /nowhere            | application/fhir+xml  | 405    | METHOD_NOT_ALLOWED | true",
  })
  void an_unmapped_path_is_answered_with_a_catalog_outcome(
      String method, String path, String accept, int status, String code, boolean xml) {
    String body = "GET".equals(method) || "DELETE".equals(method) ? null : "{}";
    HttpResponse<String> response = accept == null
        ? server.send(method, path, body)
        : server.send(method, path, body, "Accept", accept);
    assertError(response, status, code, xml);
    assertEquals("no-store", response.headers().firstValue("Cache-Control").orElse(""));
  }

  @ParameterizedTest(name = "Accept: {0} -> xml={1}")
  @CsvSource(delimiter = '|', value = {
      "application/fhir+xml;q=0.9, application/fhir+json;q=0.1 | true",
      "application/fhir+json;q=0.9, application/fhir+xml;q=0.1 | false",
      "application/xml                                         | true",
      "text/html                                               | false",
      "image/png                                               | false",
      "text/html, application/fhir+xml;q=0.2                   | true",
  })
  void a_container_error_follows_the_q_ranked_accept_header(String accept, boolean xml) {
    assertError(server.get("/nowhere", "Accept", accept), 404, "NOT_FOUND", xml);
  }

  @Test
  void a_container_error_uses_the_client_request_id_as_outcome_id() {
    HttpResponse<String> response = server.get("/nowhere", "X-Request-ID", "abc-123");
    assertEquals("abc-123", requestId(response));
    assertEquals("abc-123", assertError(response, 404, "NOT_FOUND").getIdElement().getIdPart());
  }

  @ParameterizedTest(name = "HEAD {0} -> {1}")
  @CsvSource(delimiter = '|', value = {
      "/plain/status/404     | 404",
      "/nowhere              | 404",
      "/fhir/Patient/999     | 404",
      "/plain/send-error/409 | 409",
      "/plain/throw          | 500",
      "/fhir/Patient/sql     | 500",
      "/fhir/Patient/gone    | 410",
  })
  void a_head_request_for_an_error_keeps_the_status_and_has_no_body(String path, int status) {
    HttpResponse<String> response = server.send("HEAD", path, null);
    assertEquals(status, response.statusCode());
    assertEquals("", response.body());
    assertFalse(requestId(response).isBlank());
  }

  @Test
  void a_get_for_an_unmapped_path_has_the_body_that_head_leaves_out() {
    // Guards the HEAD test against a server that simply never sends bodies.
    HttpResponse<String> response = server.get("/nowhere");
    assertTrue(contentType(response).startsWith("application/fhir+json"), contentType(response));
    assertFalse(response.body().isEmpty());
  }
}
