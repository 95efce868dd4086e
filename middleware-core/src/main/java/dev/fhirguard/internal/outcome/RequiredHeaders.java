package dev.fhirguard.internal.outcome;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.function.BiConsumer;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The headers an error status requires, the one place that adds them to every error fhirguard
 * sends or lets pass: {@code Allow} on a 405 (RFC 9110 §15.5.6, see {@link AllowedMethods}) and
 * an RFC 6750 {@code WWW-Authenticate: Bearer realm="..."} challenge on a 401 (RFC 9110
 * §15.5.2). A header the sender already set (the application, HAPI, the container) stays.
 */
public final class RequiredHeaders {

  public static final String ALLOW = "Allow";
  public static final String WWW_AUTHENTICATE = "WWW-Authenticate";

  private final String challenge;

  /** @param realm the realm of the Bearer challenge ({@code fhirguard.auth.realm}) */
  public RequiredHeaders(String realm) {
    this.challenge = "Bearer realm=\"" + realm + "\"";
  }

  /** The challenge of a 401 whose sender gave none: {@code Bearer realm="..."}. */
  public String challenge() {
    return challenge;
  }

  /** Completes an error answered on {@code response}; a 405's methods are its servlet's. */
  public void complete(HttpServletRequest request, HttpServletResponse response, int status) {
    complete(status, response::containsHeader, response::setHeader,
        () -> AllowedMethods.ofServlet(request));
  }

  /**
   * Completes an error of {@code status}: adds through {@code add} each required header that
   * {@code present} says is missing; {@code allowed} gives a 405's {@code Allow} value.
   */
  public void complete(int status, Predicate<String> present, BiConsumer<String, String> add,
      Supplier<String> allowed) {
    if (status == 401 && !present.test(WWW_AUTHENTICATE)) {
      add.accept(WWW_AUTHENTICATE, challenge);
    } else if (status == 405 && !present.test(ALLOW)) {
      add.accept(ALLOW, allowed.get());
    }
  }
}
