package dev.fhirguard.demo.auth;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.function.Supplier;

/** The public URLs of the authorization server, derived from the public base on every call. */
final class AuthEndpoints {

  private final Supplier<String> publicBase;

  AuthEndpoints(Supplier<String> publicBase) {
    this.publicBase = publicBase;
  }

  /**
   * The public base without trailing slash.
   *
   * @throws IllegalStateException when the supplier gives no absolute http(s) URL
   */
  String base() {
    String base = publicBase.get();
    requireHttpUrl(base);
    return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
  }

  String issuer() {
    return base() + "/auth";
  }

  String tokenUrl() {
    return issuer() + "/token";
  }

  String jwksUrl() {
    return issuer() + "/jwks";
  }

  String audience() {
    return base() + "/fhir";
  }

  private static void requireHttpUrl(String base) {
    String problem = null;
    try {
      URI uri = base == null ? null : new URI(base);
      if (uri == null || uri.getHost() == null || uri.getQuery() != null
          || uri.getFragment() != null
          || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
        problem = "it is not an absolute http(s) URL without query or fragment";
      }
    } catch (URISyntaxException e) {
      problem = "it is not a valid URI";
    }
    if (problem != null) {
      throw new IllegalStateException("Invalid public base '" + Printable.text(base, 100)
          + "': " + problem + "; use e.g. http://localhost:8080.");
    }
  }
}
