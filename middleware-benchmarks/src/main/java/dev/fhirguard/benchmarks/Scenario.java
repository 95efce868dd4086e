package dev.fhirguard.benchmarks;

import java.nio.charset.StandardCharsets;

/**
 * One kind of request the benchmark sends, to one server, with what every answer must be.
 *
 * @param name as given to {@code --scenarios}
 * @param request the whole HTTP/1.1 request, sent as is on a keep-alive connection
 */
record Scenario(String name, String what, int port, byte[] request, Expectation expected) {

  /** A GET of {@code path} on 127.0.0.1:{@code port}, FHIR JSON, with this bearer token. */
  static Scenario get(String name, String what, int port, String path, String token,
      Expectation expected) {
    String request = "GET " + path + " HTTP/1.1\r\n"
        + "Host: " + EndToEndServers.HOST + ":" + port + "\r\n"
        + "Accept: application/fhir+json\r\n"
        + "Authorization: Bearer " + token + "\r\n"
        + "\r\n";
    return new Scenario(name, what, port, request.getBytes(StandardCharsets.US_ASCII), expected);
  }
}
