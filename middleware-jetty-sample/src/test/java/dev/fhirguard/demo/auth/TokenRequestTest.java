package dev.fhirguard.demo.auth;

import static dev.fhirguard.demo.auth.AuthServerFixture.assertError;
import static dev.fhirguard.demo.auth.AuthServerFixture.basic;
import static dev.fhirguard.demo.auth.AuthServerFixture.header;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The token endpoint's checks of the HTTP request itself: method, media type, parameters. */
class TokenRequestTest {

  private static final String WRITER = basic("writer", "writer-secret");

  @RegisterExtension
  static final AuthServerFixture server = AuthServerFixture.perClass();

  @Test
  void get_is_method_not_allowed_with_allow_post() throws Exception {
    HttpResponse<String> response = server.get("/auth/token");

    String description = assertError(response, 405, "invalid_request");
    assertEquals("POST", header(response, "Allow"));
    assertTrue(description.contains("accepts only POST"), description);
  }

  @Test
  void json_body_is_an_invalid_request() throws Exception {
    HttpResponse<String> response = server.postToken(
        "{\"grant_type\":\"client_credentials\"}",
        "Content-Type", "application/json", "Authorization", WRITER);

    String description = assertError(response, 400, "invalid_request");
    assertTrue(description.contains("Content-Type must be application/x-www-form-urlencoded"),
        description);
  }

  @Test
  void form_content_type_with_charset_is_accepted() throws Exception {
    HttpResponse<String> response = server.postToken("grant_type=client_credentials",
        "Content-Type", "application/x-www-form-urlencoded; charset=UTF-8",
        "Authorization", WRITER);

    assertEquals(200, response.statusCode(), response.body());
  }

  @Test
  void missing_grant_type_is_an_invalid_request() throws Exception {
    HttpResponse<String> response = server.postToken("scope=system%2FPatient.rs",
        "Authorization", WRITER);

    String description = assertError(response, 400, "invalid_request");
    assertTrue(description.contains("grant_type parameter is missing"), description);
  }

  @Test
  void authorization_code_grant_is_unsupported() throws Exception {
    HttpResponse<String> response = server.postToken("grant_type=authorization_code&code=abc",
        "Authorization", WRITER);

    String description = assertError(response, 400, "unsupported_grant_type");
    assertTrue(description.contains("use client_credentials"), description);
  }

  @Test
  void duplicated_parameter_is_an_invalid_request() throws Exception {
    HttpResponse<String> response = server.postToken(
        "grant_type=client_credentials&scope=system%2FPatient.rs&scope=system%2FPatient.r",
        "Authorization", WRITER);

    String description = assertError(response, 400, "invalid_request");
    assertTrue(description.contains("'scope' is sent more than once"), description);
  }

  @Test
  void broken_percent_encoding_is_an_invalid_request() throws Exception {
    HttpResponse<String> response = server.postToken("grant_type=client%ZZcredentials",
        "Authorization", WRITER);

    String description = assertError(response, 400, "invalid_request");
    assertTrue(description.contains("not valid application/x-www-form-urlencoded"), description);
  }

  @Test
  void parameters_in_the_query_string_are_ignored() throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(
            URI.create(server.auth().tokenUrl() + "?grant_type=client_credentials"))
        .header("Content-Type", AuthServerFixture.FORM)
        .header("Authorization", WRITER)
        .POST(HttpRequest.BodyPublishers.ofString(""));

    String description = assertError(server.send(request), 400, "invalid_request");
    assertTrue(description.contains("grant_type parameter is missing"), description);
  }

  @Test
  void oversized_body_is_an_invalid_request() throws Exception {
    String padding = "x".repeat(TokenRequest.MAX_BODY_BYTES);
    HttpResponse<String> response = server.postToken(
        "grant_type=client_credentials&padding=" + padding, "Authorization", WRITER);

    String description = assertError(response, 400, "invalid_request");
    assertTrue(description.contains("larger than"), description);
  }
}
