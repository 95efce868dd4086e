package dev.fhirguard.internal.auth;

import dev.fhirguard.internal.chain.RequestPath;
import dev.fhirguard.internal.config.AddressBlock;
import dev.fhirguard.internal.config.PathRules;
import dev.fhirguard.internal.tracking.ClientAddresses;
import dev.fhirguard.TokenRejectedException;
import dev.fhirguard.TokenVerifier;
import dev.fhirguard.VerifiedClient;
import dev.fhirguard.internal.config.AuthSettings;
import dev.fhirguard.internal.outcome.Failure;
import dev.fhirguard.internal.outcome.FailureLog;
import dev.fhirguard.internal.text.LogSafe;
import dev.fhirguard.internal.config.ResolvedSettings;
import dev.fhirguard.internal.events.GuardEvents;
import dev.fhirguard.ErrorCode;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decides whether a request may proceed: protected paths need a verified bearer token, and a
 * client with an address allow-list must call from inside it. On success the {@link
 * VerifiedClient} is on the request.
 */
public final class Authenticator {

  private final boolean enabled;
  private final PathRules paths;
  private final Set<String> publicOperations;
  private final TokenVerifier verifier;
  private final String realm;
  private final int maxTokenLength;
  private final Duration retryAfter;
  private final ClientAddresses addresses;
  private final Map<String, List<AddressBlock>> allowedAddresses = new LinkedHashMap<>();
  private final CachingVerifier cache;
  private final GuardEvents events;

  /** @param verifier the token verifier, or {@code null} when authentication is off */
  public Authenticator(ResolvedSettings settings, TokenVerifier verifier, GuardEvents events) {
    this.enabled = settings.get(AuthSettings.ENABLED);
    this.paths = new PathRules(
        settings.get(AuthSettings.PROTECTED_PATHS), settings.get(AuthSettings.PUBLIC_PATHS));
    this.publicOperations = Set.copyOf(settings.get(AuthSettings.PUBLIC_OPERATIONS));
    this.verifier = verifier;
    this.cache = verifier instanceof CachingVerifier caching ? caching : null;
    this.events = events;
    this.realm = settings.get(AuthSettings.REALM);
    this.maxTokenLength = settings.get(AuthSettings.MAX_TOKEN_LENGTH);
    this.retryAfter = settings.get(AuthSettings.JWKS_REFETCH_INTERVAL);
    this.addresses = new ClientAddresses(settings.get(AuthSettings.TRUSTED_PROXIES));
    settings.named(AuthSettings.CLIENT_ALLOWED_ADDRESSES).forEach((client, blocks) ->
        allowedAddresses.put(client, blocks.stream().map(AddressBlock::parse).toList()));
  }

  /** Whether authentication is switched on. */
  public boolean enabled() {
    return enabled;
  }

  public String realm() {
    return realm;
  }

  /**
   * Whether {@code request} needs a token: authentication is on, its path is protected, and it is
   * not a CORS preflight (which browsers send without credentials, by design).
   */
  public boolean needsToken(HttpServletRequest request) {
    return enabled && !isCorsPreflight(request) && paths.isProtected(RequestPath.of(request));
  }

  /**
   * Whether a request an application handler is about to serve needs a token: its path is
   * protected, unless the path is public and {@code operation} (HAPI's code of the interaction,
   * {@code null} when unknown) is one of the public operations. Looking like a CORS preflight
   * exempts nothing here: the request is being served.
   */
  public boolean needsTokenToServe(HttpServletRequest request, String operation) {
    return enabled && paths.isProtected(RequestPath.of(request),
        operation != null && publicOperations.contains(operation));
  }

  /**
   * A CORS preflight as browsers send it: {@code OPTIONS} with {@code Origin} and {@code
   * Access-Control-Request-Method}, and without credentials (the Fetch standard never sends them
   * on a preflight). One that carries an {@code Authorization} header is a request like any other.
   */
  private static boolean isCorsPreflight(HttpServletRequest request) {
    return "OPTIONS".equals(request.getMethod())
        && request.getHeader("Origin") != null
        && request.getHeader("Access-Control-Request-Method") != null
        && request.getHeader(BearerHeader.AUTHORIZATION) == null;
  }

  /**
   * Verifies the request's token and the client's address.
   *
   * @return {@code null} when the request may proceed (its verified client is then on the
   *     request), otherwise the failure to answer
   */
  public Failure admit(HttpServletRequest request) {
    long start = events.any() ? System.nanoTime() : 0L;
    VerifiedClient client;
    boolean cached;
    try {
      String token = BearerHeader.token(request, maxTokenLength);
      VerifiedClient known = cache == null ? null : cache.known(token);
      cached = known != null;
      client = cached ? known : cache != null ? cache.verifyAndKeep(token) : verifier.verify(token);
    } catch (TokenRejectedException e) {
      if (e.code() != ErrorCode.TOKEN_MISSING) { // no token: nothing was verified
        verified(start, e.code(), false);
      }
      return Challenges.refused(e, realm, retryAfter);
    } catch (RuntimeException e) {
      // A plugged-in verifier failed: the token could not be verified, which is not its fault.
      FailureLog.logger().error("The token verifier failed", LogSafe.throwable(e));
      verified(start, ErrorCode.TOKEN_VERIFICATION_UNAVAILABLE, false);
      return Challenges.refused(new TokenRejectedException(
          ErrorCode.TOKEN_VERIFICATION_UNAVAILABLE,
          "The access token could not be verified. Retry later."), realm, retryAfter);
    }
    verified(start, null, cached);
    List<AddressBlock> allowed = allowedAddresses.get(client.clientId());
    if (allowed != null && !isInside(addresses.of(request), allowed)) {
      return Challenges.addressNotAllowed(client.clientId());
    }
    request.setAttribute(VerifiedClient.ATTRIBUTE, client);
    return null;
  }

  /** Tells the listeners how a token check ended: {@code refusal} is {@code null} when valid. */
  private void verified(long start, ErrorCode refusal, boolean cached) {
    if (events.any()) {
      events.tokenVerification(refusal == null, refusal, cached, System.nanoTime() - start);
    }
  }

  private static boolean isInside(byte[] address, List<AddressBlock> allowed) {
    for (AddressBlock block : allowed) {
      if (block.contains(address)) {
        return true;
      }
    }
    return false;
  }
}
