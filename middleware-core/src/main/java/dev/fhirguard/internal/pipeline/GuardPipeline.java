package dev.fhirguard.internal.pipeline;

import dev.fhirguard.internal.auth.AuthenticationStage;
import dev.fhirguard.internal.boundary.ErrorBoundaryStage;
import dev.fhirguard.internal.boundary.TraceStage;
import dev.fhirguard.internal.chain.Stage;
import dev.fhirguard.internal.config.AuthSettings;
import dev.fhirguard.internal.config.ResolvedSettings;
import dev.fhirguard.internal.config.Settings;
import dev.fhirguard.internal.outcome.ErrorResponder;
import dev.fhirguard.internal.tracking.RequestIdStage;
import dev.fhirguard.internal.tracking.RequestTracking;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import dev.fhirguard.internal.admission.Admission;
import dev.fhirguard.internal.auth.Authenticator;
import dev.fhirguard.internal.auth.ScopeCheck;
import dev.fhirguard.internal.limit.Limits;
import java.util.ArrayList;
import dev.fhirguard.internal.outcome.UpstreamClassifier;

/** The fhirguard stages in the order a request meets them, ending with the application. */
public final class GuardPipeline {

  private final List<Stage> stages;

  /**
   * @param scopes the scope check, or {@code null} when scopes are not enforced
   * @param upstreams how the error boundary recognizes upstream failures
   * @param limits the rate and export limits
   * @param admission maintenance mode and the bounds on requests in progress
   */
  public GuardPipeline(
      ResolvedSettings settings,
      RequestTracking tracking,
      ErrorResponder responder,
      Authenticator authenticator,
      ScopeCheck scopes,
      UpstreamClassifier upstreams,
      Limits limits,
      Admission admission) {
    List<Stage> chain = new ArrayList<>();
    chain.add(new RequestIdStage(tracking)); // 1: X-Request-ID, X-Correlation-Id, MDC
    // 2: every error below becomes an OperationOutcome
    chain.add(new ErrorBoundaryStage(responder, tracking, upstreams));
    chain.add(new TraceStage(responder)); // 2: TRACE would echo credentials (405)
    chain.add(admission.maintenanceStage()); // 3: maintenance (503), outside the exempt paths
    addIfOn(chain, admission.overloadStage()); // 3: the bound on requests in progress (503)
    addIfOn(chain, limits.addressStage()); // 4: per-address bucket before any token work (429)
    // 5: bearer token (401), client address (403), URL scopes for non-HAPI bases (403)
    chain.add(new AuthenticationStage(authenticator, responder, scopes,
        settings.get(AuthSettings.URL_SCOPE_PATHS), settings.get(Settings.MDC_CLIENT_ID_KEY)));
    addIfOn(chain, admission.clientStage()); // 6: a client's requests in progress (503)
    // 6: per-client bucket (429 + rate-limit headers), export jobs and polls (429)
    chain.addAll(limits.clientStages());
    this.stages = List.copyOf(chain);
  }

  private static void addIfOn(List<Stage> chain, Stage stage) {
    if (stage != null) {
      chain.add(stage);
    }
  }

  public void handle(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    new Cursor(chain).proceed(request, response);
  }

  /** Walks the stages of one request; one object per request, whatever the number of stages. */
  private final class Cursor implements Stage.Next {
    private final FilterChain chain;
    private int next;

    Cursor(FilterChain chain) {
      this.chain = chain;
    }

    @Override
    public void proceed(HttpServletRequest request, HttpServletResponse response)
        throws IOException, ServletException {
      if (next == stages.size()) {
        chain.doFilter(request, response);
      } else {
        stages.get(next++).apply(request, response, this);
      }
    }
  }
}
