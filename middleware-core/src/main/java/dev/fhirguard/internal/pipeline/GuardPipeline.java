package dev.fhirguard.internal.pipeline;

import dev.fhirguard.RateLimitStore;
import dev.fhirguard.cluster.ExportLeases;
import dev.fhirguard.internal.admission.Admission;
import dev.fhirguard.internal.admission.InFlightStage;
import dev.fhirguard.internal.admission.MaintenanceStage;
import dev.fhirguard.internal.auth.AuthenticationStage;
import dev.fhirguard.internal.auth.Authenticator;
import dev.fhirguard.internal.auth.ScopeCheck;
import dev.fhirguard.internal.boundary.AfterResponse;
import dev.fhirguard.internal.boundary.ErrorBoundaryStage;
import dev.fhirguard.internal.events.GuardEvents;
import dev.fhirguard.internal.boundary.TraceStage;
import dev.fhirguard.internal.chain.Stage;
import dev.fhirguard.internal.config.GuardSettings;
import dev.fhirguard.internal.export.ExportJobs;
import dev.fhirguard.internal.export.ExportLimitStage;
import dev.fhirguard.internal.export.ExportRequest;
import dev.fhirguard.internal.limit.AddressLimitStage;
import dev.fhirguard.internal.limit.ClientLimitStage;
import dev.fhirguard.internal.limit.RateLimiters;
import dev.fhirguard.internal.outcome.ErrorHandler;
import dev.fhirguard.internal.tracking.ClientAddresses;
import dev.fhirguard.internal.tracking.ClientKeys;
import dev.fhirguard.internal.tracking.RequestIdStage;
import dev.fhirguard.internal.tracking.RequestTracking;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * The fhirguard stages in the order a request meets them, ending with the application: every
 * stage is built here, from the guard's typed settings, and the {@code if}s say which are on.
 */
public final class GuardPipeline {

  /** What the stages share with the rest of the guard (its HAPI interceptor, its admin calls). */
  public record Parts(
      RequestTracking tracking,
      ErrorHandler errors,
      Authenticator authenticator,
      ScopeCheck scopes,
      Admission admission,
      RateLimitStore rateLimitStore,
      ExportLeases exportLeases,
      Clock clock,
      GuardEvents events,
      Supplier<String> clientLimitStore,
      Supplier<String> addressLimitStore) {}

  private final ExportJobs jobs;
  private final List<Stage> stages;
  private final LongAdder inFlight = new LongAdder();
  private final Runnable finished = inFlight::decrement;

  /**
   * @param parts the shared parts; {@code scopes} is {@code null} when scopes are not enforced,
   *     {@code rateLimitStore} when buckets are kept in memory, {@code exportLeases} when export
   *     jobs are this replica's own; the two suppliers say which store decides each rate limit
   *     now, for the listeners
   */
  public GuardPipeline(GuardSettings settings, Parts parts) {
    this.jobs = settings.export().tracksJobs() ? exportJobs(settings, parts) : null;
    this.stages = stages(settings, parts, jobs);
  }

  private static List<Stage> stages(GuardSettings s, Parts p, ExportJobs jobs) {
    ErrorHandler errors = p.errors();
    ClientKeys keys = new ClientKeys(new ClientAddresses(s.auth().trustedProxies()));
    RateLimiters limiters = new RateLimiters(s, p.rateLimitStore(), p.clock(), p.events(),
        p.clientLimitStore(), p.addressLimitStore());
    List<Stage> chain = new ArrayList<>();
    chain.add(new RequestIdStage(p.tracking())); // X-Request-ID, X-Correlation-Id, MDC
    // every error below becomes an OperationOutcome
    chain.add(new ErrorBoundaryStage(errors, p.tracking()));
    chain.add(new TraceStage(errors)); // TRACE would echo credentials (405)
    // maintenance (503) outside the exempt paths; always there: it can be switched on at runtime
    chain.add(MaintenanceStage.of(p.admission(), s.maintenance(), errors));
    if (s.overload().maxInFlight() > 0) { // the bound on requests in progress (503)
      chain.add(InFlightStage.global(p.admission(), s.overload(), errors));
    }
    if (s.addressLimit().enabled()) { // per-address bucket before any token work (429)
      chain.add(new AddressLimitStage(limiters.address(), keys, errors));
    }
    // bearer token (401), client address (403), URL scopes for non-HAPI bases (403)
    chain.add(new AuthenticationStage(p.authenticator(), errors, p.scopes(),
        s.auth().urlScopePaths(), s.auth().mdcClientIdKey()));
    if (s.overload().maxInFlightPerClient() > 0) { // a client's requests in progress (503)
      chain.add(InFlightStage.perClient(p.admission(), s.overload(), errors));
    }
    if (s.rateLimit().enabled()) { // per-client bucket (429 + rate-limit headers)
      chain.add(new ClientLimitStage(limiters.verifiedClients(), limiters.anonymousClients(),
          keys, ExportRequest.cost(keys, jobs, s.export()), errors));
    }
    if (jobs != null) { // export jobs per client and polls of their status URLs (429)
      chain.add(new ExportLimitStage(jobs, keys, s.export().retryAfter(), errors));
    }
    return List.copyOf(chain);
  }

  private static ExportJobs exportJobs(GuardSettings s, Parts p) {
    GuardSettings.Export export = s.export();
    return new ExportJobs(export.maxConcurrent(), export.maxByClient(), export.minPollInterval(),
        export.jobTtl(), s.rateLimit().maxClients(), p.exportLeases(), p.clock(), p.events());
  }

  public void handle(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    if (request.getDispatcherType() != DispatcherType.REQUEST) {
      new Cursor(chain).proceed(request, response);
      return;
    }
    inFlight.increment();
    try {
      new Cursor(chain).proceed(request, response);
    } finally {
      AfterResponse.whenFinished(request, finished);
    }
  }

  /** Requests that entered the pipeline and are not finished (async ones until they complete). */
  public long requestsInFlight() {
    return inFlight.sum();
  }

  /** Export slots this replica's kick-offs and jobs hold; 0 when exports are not tracked. */
  public int activeExports() {
    return jobs == null ? 0 : jobs.active();
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
