package dev.fhirguard.client.testing;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.IHttpRequest;
import ca.uhn.fhir.rest.client.api.IHttpResponse;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import ca.uhn.fhir.rest.client.interceptor.BearerTokenAuthInterceptor;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** HAPI generic clients of the sample, as a user would make them. */
public final class Clients {

  private static final FhirContext CONTEXT = context();

  private Clients() {}

  public static FhirContext context() {
    FhirContext context = FhirContext.forR4Cached();
    context.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
    return context;
  }

  /** A generic client of {@code baseUrl} sending {@code token}, with {@code interceptors}. */
  public static IGenericClient client(String baseUrl, String token, Object... interceptors) {
    IGenericClient client = CONTEXT.newRestfulGenericClient(baseUrl);
    if (token != null) {
      client.registerInterceptor(new BearerTokenAuthInterceptor(token));
    }
    for (Object interceptor : interceptors) {
      client.registerInterceptor(interceptor);
    }
    return client;
  }

  /** Records what an ordinary interceptor sees: each request's X-Request-ID, each first answer. */
  @Interceptor
  public static final class Observer {

    /** One answer as a hook before fhirguard's sees it. */
    public record Seen(int status, String retryAfter, List<String> requestIdsSent) {

      /** The one X-Request-ID the request carried. */
      public String requestIdSent() {
        if (requestIdsSent.size() != 1) {
          throw new AssertionError("X-Request-ID sent " + requestIdsSent.size() + " times");
        }
        return requestIdsSent.get(0);
      }
    }

    private final List<Seen> answers = new CopyOnWriteArrayList<>();

    @Hook(Pointcut.CLIENT_RESPONSE)
    public void answered(IHttpRequest request, IHttpResponse response) {
      List<String> retryAfter = response.getHeaders("Retry-After");
      List<String> sent = request.getAllHeaders().get("X-Request-ID");
      answers.add(new Seen(response.getStatus(),
          retryAfter == null || retryAfter.isEmpty() ? null : retryAfter.get(0),
          sent == null ? List.of() : List.copyOf(sent)));
    }

    public List<Seen> answers() {
      return List.copyOf(answers);
    }
  }
}
