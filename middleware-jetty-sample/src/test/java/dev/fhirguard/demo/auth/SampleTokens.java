package dev.fhirguard.demo.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

/** Access tokens from a running sample's own token endpoint, for tests in other packages. */
public final class SampleTokens {

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private SampleTokens() {}

  /** A token for a {@code private_key_jwt} demo client, signed with its demo key. */
  public static String withAssertion(String root, String clientId, String scope) throws Exception {
    String tokenUrl = root + "/auth/token";
    String form = "grant_type=client_credentials"
        + "&client_assertion_type=" + enc("urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
        + "&client_assertion=" + ClientAssertionTool.sign(clientId, tokenUrl, Instant.now())
        + (scope == null ? "" : "&scope=" + enc(scope));
    return token(HttpRequest.newBuilder(URI.create(tokenUrl)), form);
  }

  /** A token for a {@code client_secret_basic} demo client. */
  public static String withSecret(String root, String clientId, String secret) throws Exception {
    String basic = Base64.getEncoder()
        .encodeToString((clientId + ":" + secret).getBytes(StandardCharsets.UTF_8));
    return token(HttpRequest.newBuilder(URI.create(root + "/auth/token"))
        .header("Authorization", "Basic " + basic), "grant_type=client_credentials");
  }

  private static String token(HttpRequest.Builder request, String form) throws Exception {
    HttpResponse<String> response = HTTP.send(
        request.header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form)).timeout(Duration.ofSeconds(10))
            .build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode(), response.body());
    return response.body().replaceAll(".*\"access_token\":\"([^\"]+)\".*", "$1");
  }

  private static String enc(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
