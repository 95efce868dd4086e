package dev.fhirguard.client;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.client.api.ClientResponseContext;
import ca.uhn.fhir.rest.client.api.IHttpRequest;
import dev.fhirguard.client.internal.Headers;
import dev.fhirguard.client.internal.OutcomeReader;
import dev.fhirguard.client.internal.ResponseRetrier;
import dev.fhirguard.client.internal.TransactionIds;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A HAPI FHIR client interceptor that follows a FHIR server's error answers, for any server:
 *
 * <pre>{@code
 * IGenericClient client = fhirContext.newRestfulGenericClient(baseUrl);
 * client.registerInterceptor(FhirGuardClient.interceptor());
 * }</pre>
 *
 * <ul>
 *   <li>Sends {@code X-Request-ID}: the transaction id of the request being served (SLF4J MDC key
 *       {@code requestId}, where fhirguard puts it), so a chain of servers shares one id; else a
 *       new UUID. A header the caller set is kept.
 *   <li>Retries 429 and 503 (502 and 504 for idempotent requests) as its {@link RetryPolicy} says,
 *       following {@code Retry-After}.
 *   <li>Makes failures readable: the exception thrown is the one HAPI would throw (same class,
 *       OperationOutcome, body), but {@code getResponseHeaders()} has the response headers and the
 *       message ends with the transaction id; {@link FailureDetails#of} reads them. Every failed
 *       answer is logged (logger {@code dev.fhirguard.client}) with its transaction id.
 * </ul>
 *
 * <p>Its hooks run after every other interceptor's (they see the first answer; only the final one
 * reaches the caller). Thread-safe: one instance may serve many clients.
 */
@Interceptor
public final class FhirGuardClient {

  /** fhirguard's MDC key of the transaction id ({@code fhirguard.mdc.request-id-key}). */
  public static final String DEFAULT_MDC_REQUEST_ID_KEY = "requestId";

  /** fhirguard's catalog code system ({@code fhirguard.outcome.code-system}). */
  public static final String DEFAULT_CODE_SYSTEM = OutcomeReader.FHIRGUARD_CODE_SYSTEM;

  private static final Pattern MDC_KEY = Pattern.compile("[A-Za-z][A-Za-z0-9._-]{0,63}");

  private static final FhirGuardClient DEFAULTS = builder().build();

  private final String mdcRequestIdKey;
  private final RetryPolicy retryPolicy;
  private final ResponseRetrier retrier;

  private FhirGuardClient(Builder builder) {
    this.mdcRequestIdKey = builder.mdcRequestIdKey;
    this.retryPolicy = builder.retryPolicy;
    this.retrier = new ResponseRetrier(retryPolicy.rules(), builder.codeSystem);
  }

  /** The interceptor with every default. */
  public static FhirGuardClient interceptor() {
    return DEFAULTS;
  }

  public static Builder builder() {
    return new Builder();
  }

  public RetryPolicy retryPolicy() {
    return retryPolicy;
  }

  /** HAPI calls this before sending a request: adds {@code X-Request-ID} unless it is there. */
  @Hook(value = Pointcut.CLIENT_REQUEST, order = Integer.MAX_VALUE)
  public void sendTransactionId(IHttpRequest request) {
    if (Headers.first(request.getAllHeaders(), Headers.REQUEST_ID) == null) {
      request.addHeader(Headers.REQUEST_ID, TransactionIds.outgoing(mdcRequestIdKey));
    }
  }

  /** HAPI calls this with each answer: retries a failure, then hands HAPI the final answer. */
  @Hook(value = Pointcut.CLIENT_RESPONSE, order = Integer.MAX_VALUE)
  public void followAnswer(IHttpRequest request, ClientResponseContext context) {
    context.setHttpResponse(
        retrier.follow(request, context.getHttpResponse(), context.getFhirContext()));
  }

  /** {@code key} if it is a valid MDC key (as fhirguard's {@code fhirguard.mdc.*} keys). */
  static String checkMdcKey(String key) {
    Objects.requireNonNull(key, "mdcRequestIdKey");
    if (!MDC_KEY.matcher(key).matches()) {
      throw new IllegalArgumentException("mdcRequestIdKey must be letters, digits, '.', '_' or"
          + " '-' starting with a letter, at most 64, but was '" + key + "'");
    }
    return key;
  }

  /** Builds a {@link FhirGuardClient}; every option starts at its default. */
  public static final class Builder {

    private String mdcRequestIdKey = DEFAULT_MDC_REQUEST_ID_KEY;
    private String codeSystem = DEFAULT_CODE_SYSTEM;
    private RetryPolicy retryPolicy = RetryPolicy.defaults();

    private Builder() {}

    /** When to retry. Default {@link RetryPolicy#defaults()}; {@link RetryPolicy#none()}: never. */
    public Builder retryPolicy(RetryPolicy retryPolicy) {
      this.retryPolicy = Objects.requireNonNull(retryPolicy, "retryPolicy");
      return this;
    }

    /**
     * The MDC key of the current transaction id, as the server's {@code
     * fhirguard.mdc.request-id-key}. Default {@code requestId}.
     */
    public Builder mdcRequestIdKey(String key) {
      this.mdcRequestIdKey = checkMdcKey(key);
      return this;
    }

    /**
     * The catalog code system named in the log lines, as the server's {@code
     * fhirguard.outcome.code-system}. Default {@link FhirGuardClient#DEFAULT_CODE_SYSTEM}.
     */
    public Builder codeSystem(String codeSystem) {
      this.codeSystem = Objects.requireNonNull(codeSystem, "codeSystem");
      return this;
    }

    public FhirGuardClient build() {
      return new FhirGuardClient(this);
    }
  }
}
