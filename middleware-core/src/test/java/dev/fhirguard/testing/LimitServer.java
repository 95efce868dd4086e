package dev.fhirguard.testing;

import static dev.fhirguard.GuardHooks.withClock;

import dev.fhirguard.ErrorCode;
import dev.fhirguard.FhirGuard;
import dev.fhirguard.FhirGuardConfig;
import dev.fhirguard.TokenRejectedException;
import dev.fhirguard.VerifiedClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link TestServer} with fhirguard, a {@link TestClock}, a {@link BulkDataServlet} and, at
 * {@code /hfhir/*}, a {@link BulkDataFhirServer} starting its jobs, for the rate and export limit
 * tests.
 * With {@link #withClients} authentication is on and a counting plugged verifier accepts {@link
 * #token} as its client and rejects any other token. A helper of its own because seven test
 * classes share this setup: the counting verifier, its token scheme and the bulk-data servlets.
 */
public final class LimitServer implements AutoCloseable {

  public final TestClock clock = TestClock.atNow();
  public final AtomicInteger verifications = new AtomicInteger();
  public final TestServer server;
  public final BulkDataServlet bulk;

  private LimitServer(boolean clients, String... settings) {
    Map<String, String> config = new HashMap<>();
    for (int i = 0; i + 1 < settings.length; i += 2) {
      config.put(settings[i], settings[i + 1]);
    }
    FhirGuard.Builder builder = withClock(FhirGuard.builder(), clock);
    if (clients) {
      config.put("fhirguard.auth.enabled", "true");
      builder.tokenVerifier(this::verify);
    }
    FhirGuard guard = builder.config(FhirGuardConfig.load(config)).build();
    this.bulk = new BulkDataServlet();
    this.server = TestServer.with(guard).context(bulk::mapAt)
        .fhir("/hfhir/*", new BulkDataFhirServer(bulk)).start();
  }

  /** Without authentication: every client is its address. Settings as key/value pairs. */
  public static LimitServer anonymous(String... settings) {
    return new LimitServer(false, settings);
  }

  /** With authentication through the counting verifier. Settings as key/value pairs. */
  public static LimitServer withClients(String... settings) {
    return new LimitServer(true, settings);
  }

  private VerifiedClient verify(String token) throws TokenRejectedException {
    verifications.incrementAndGet();
    if (!token.startsWith("as-")) {
      throw new TokenRejectedException(ErrorCode.TOKEN_SIGNATURE_INVALID, "bad signature");
    }
    String clientId = new String(Base64.getUrlDecoder().decode(token.substring(3)),
        StandardCharsets.UTF_8);
    return new VerifiedClient(clientId, null, List.of("system/*.rs"),
        clock.instant().plus(Duration.ofDays(1)), Map.of());
  }

  /** GET as {@code client} (null: without a token), with more header name/value pairs. */
  public HttpResponse<String> get(String client, String pathAndQuery, String... headers) {
    return send(client, "GET", pathAndQuery, headers);
  }

  public HttpResponse<String> send(String client, String method, String pathAndQuery,
      String... headers) {
    if (client == null) {
      return server.send(method, pathAndQuery, null, headers);
    }
    String[] all = new String[headers.length + 2];
    all[0] = "Authorization";
    all[1] = "Bearer " + token(client);
    System.arraycopy(headers, 0, all, 2, headers.length);
    return server.send(method, pathAndQuery, null, all);
  }

  /** The token the verifier accepts as {@code client} (any characters, even {@code :}). */
  public static String token(String client) {
    return "as-" + Base64.getUrlEncoder().withoutPadding()
        .encodeToString(client.getBytes(StandardCharsets.UTF_8));
  }

  public void advance(Duration amount) {
    clock.advance(amount);
  }

  public void advanceSeconds(long seconds) {
    clock.advance(Duration.ofSeconds(seconds));
  }

  @Override
  public void close() {
    server.close();
  }

  /** The one value of {@code name}; fails when it is absent. */
  public static String header(HttpResponse<?> response, String name) {
    return response.headers().firstValue(name).orElseThrow(
        () -> new AssertionError(name + " missing: " + response.statusCode() + " "
            + response.headers().map()));
  }
}
