package dev.fhirguard;

import jakarta.servlet.ServletRequest;
import java.security.Principal;
import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The client a verified bearer token stands for. fhirguard puts it on the request (attribute
 * {@link #ATTRIBUTE}, {@link #of(ServletRequest)}), returns it from {@code
 * getUserPrincipal()}, and puts its client id in the MDC.
 */
public final class VerifiedClient implements Principal {

  /** The request attribute that holds the verified client. */
  public static final String ATTRIBUTE = VerifiedClient.class.getName();

  private final String clientId;
  private final String subject;
  private final Set<String> scopes;
  private final Instant expiresAt;
  private final Map<String, Object> claims;

  /**
   * @param clientId the client's id (never blank)
   * @param subject the token's subject; the client id when the token has none
   * @param scopes the granted scopes, e.g. {@code system/Patient.rs}
   * @param expiresAt when the token stops being valid; fhirguard caches it no longer
   * @param claims every claim of the token, for the application
   */
  public VerifiedClient(
      String clientId,
      String subject,
      Collection<String> scopes,
      Instant expiresAt,
      Map<String, Object> claims) {
    if (clientId == null || clientId.isBlank()) {
      throw new IllegalArgumentException("a verified client needs a client id");
    }
    this.clientId = clientId;
    this.subject = subject == null ? clientId : subject;
    this.scopes = Collections.unmodifiableSet(new LinkedHashSet<>(scopes));
    this.expiresAt = Objects.requireNonNull(expiresAt, "expiresAt");
    this.claims = Collections.unmodifiableMap(new LinkedHashMap<>(claims));
  }

  /** The verified client of {@code request}, or {@code null} when it carried no verified token. */
  public static VerifiedClient of(ServletRequest request) {
    return request.getAttribute(ATTRIBUTE) instanceof VerifiedClient client ? client : null;
  }

  public String clientId() {
    return clientId;
  }

  public String subject() {
    return subject;
  }

  public Set<String> scopes() {
    return scopes;
  }

  public Instant expiresAt() {
    return expiresAt;
  }

  public Map<String, Object> claims() {
    return claims;
  }

  /** The client id. */
  @Override
  public String getName() {
    return clientId;
  }

  @Override
  public String toString() {
    return "VerifiedClient[clientId=" + clientId + ", scopes=" + scopes + "]";
  }
}
