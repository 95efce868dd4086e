package dev.fhirguard.internal.outcome;

import dev.fhirguard.internal.config.ExceptionMappings;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import dev.fhirguard.ErrorCode;
import dev.fhirguard.UpstreamException;
import java.time.Duration;
import java.util.Map;

/**
 * Finds the upstream failure in an exception's cause chain, for the filter and the HAPI
 * interceptor alike. At each link, outermost first: an {@link UpstreamException}, then the
 * configured mappings, then the built-in ones (connection refused, unknown host, no route, TLS
 * handshake: 502; socket, HTTP-client and future timeouts: 504). A HAPI client error (a 404 the
 * application chose) ends the walk: its causes do not make it an upstream failure. Clients see the
 * upstream only by its display name.
 */
public final class UpstreamClassifier {

  /** Built-in mappings only, and no display names. */
  public static final UpstreamClassifier BUILT_IN =
      new UpstreamClassifier(ExceptionMappings.NONE, Map.of());

  private final ExceptionMappings mappings;
  private final Map<String, String> displayNames;

  /**
   * @param mappings the exception mappings of the configuration and the code
   * @param displayNames each upstream's display name, by its configured name
   */
  public UpstreamClassifier(ExceptionMappings mappings, Map<String, String> displayNames) {
    this.mappings = mappings;
    this.displayNames = Map.copyOf(displayNames);
  }

  /** The failure an upstream cause in {@code error}'s chain stands for, or {@code null}. */
  public Failure classify(Throwable error) {
    for (Throwable t : Throwables.causeChain(error)) {
      if (t instanceof UpstreamException upstream) {
        return failure(upstream.code(), upstream.upstream(), upstream.retryAfter().orElse(null),
            upstream.getCause());
      }
      ErrorCode code = codeOf(t);
      if (code != null) {
        return failure(code, null, null, t);
      }
      if (t instanceof BaseServerResponseException hapi && hapi.getStatusCode() < 500) {
        return null; // the application answered a 4xx on purpose; its causes are for the log
      }
    }
    return null;
  }

  /** The code of {@code error} itself (not its causes) by the mappings, or {@code null}. */
  private ErrorCode codeOf(Throwable error) {
    ErrorCode configured = mappings.find(error);
    return configured != null ? configured : ExceptionMappings.BUILT_IN.find(error);
  }

  /** Whether {@code error} itself is an upstream failure by the built-in rules. */
  public static boolean isBuiltInUpstreamFailure(Throwable error) {
    return error instanceof UpstreamException || ExceptionMappings.BUILT_IN.find(error) != null;
  }

  /** Whether {@code code} is one of the upstream entries of the catalog. */
  public static boolean isUpstreamCode(ErrorCode code) {
    return UpstreamTexts.isUpstreamCode(code);
  }

  /** The display name of an upstream, or {@code null} when none is configured. */
  private String displayName(String upstream) {
    return upstream == null ? null : displayNames.get(upstream);
  }

  private Failure failure(ErrorCode code, String upstream, Duration retryAfter, Throwable cause) {
    String message = code.isServerError() || cause == null ? null : cause.getMessage();
    Failure failure = Failure.of(code, message);
    String shown = UpstreamTexts.sentence(code, displayName(upstream), retryAfter);
    if (shown != null) {
      failure = failure.withPublicText(shown);
    }
    if (retryAfter != null) {
      failure = failure.withRetryAfter(retryAfter);
    }
    return failure;
  }
}
