package dev.fhirguard.benchmarks;

import dev.fhirguard.TokenRejectedException;
import dev.fhirguard.TokenVerifier;
import dev.fhirguard.VerifiedClient;
import dev.fhirguard.internal.outcome.Failure;
import dev.fhirguard.internal.config.ResolvedSettings;
import dev.fhirguard.internal.auth.Authenticator;
import dev.fhirguard.internal.auth.Verifiers;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Verifying a bearer token: fhirguard's JWT verifier on an RS256 token it has not seen (parse,
 * key selection, RSA signature, claims), against the verified-token cache that answers a token
 * it has seen, and against what the authentication stage does per request on that cached path
 * (is the path protected, read and check the {@code Authorization} header, look the token up,
 * put the client on the request).
 *
 * <p>Sixteen distinct tokens (about 950 characters, SMART claims) are used in turn; the key is
 * known (a JWKS file, as the keys are held after a fetch from {@code jwks-url}). Every call must
 * verify: a refused token fails the run, and the tear-downs check that no request was refused and
 * that the cached benchmarks never reached the signature check.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class TokenVerificationBenchmark {

  static final int TOKENS = 16;

  /** The verifiers, built from settings as the filter builds them, and the signed tokens. */
  @State(Scope.Benchmark)
  public static class Verification {
    String[] tokens;
    BearerRequest[] requests;
    /** fhirguard's JWT verifier alone ({@code fhirguard.auth.token-cache-max-bytes=0}). */
    TokenVerifier uncached;
    /** The same verifier behind the cache of the default budget; counts what reaches it. */
    TokenVerifier cached;
    Authenticator authenticator;
    final AtomicInteger signatureChecks = new AtomicInteger();

    @Setup(Level.Trial)
    public void setUp() throws TokenRejectedException {
      SmartTokens smart = SmartTokens.create();
      tokens = new String[TOKENS];
      requests = new BearerRequest[TOKENS];
      for (int i = 0; i < TOKENS; i++) {
        tokens[i] = smart.sign(i);
        requests[i] = new BearerRequest(tokens[i]);
      }
      Clock clock = Clock.systemUTC();
      uncached = Verifiers.create(
          smart.settings(Map.of("fhirguard.auth.token-cache-max-bytes", "0")), null, clock);
      TokenVerifier counted = token -> {
        signatureChecks.incrementAndGet();
        return uncached.verify(token);
      };
      ResolvedSettings settings = smart.settings(Map.of());
      cached = Verifiers.create(settings, counted, clock);
      authenticator = new Authenticator(settings, cached, dev.fhirguard.internal.events.GuardEvents.NONE);
      for (String token : tokens) {
        check(cached.verify(token));
      }
    }

    /** Every token still verifies, and the cached benchmarks never missed the cache. */
    @TearDown(Level.Trial)
    public void check() throws TokenRejectedException {
      for (String token : tokens) {
        check(uncached.verify(token));
      }
      if (signatureChecks.get() != TOKENS) {
        throw new IllegalStateException(signatureChecks.get() + " signature checks behind the"
            + " cache for " + TOKENS + " tokens: not every cached call was a hit");
      }
    }

    static void check(VerifiedClient client) {
      if (!SmartTokens.CLIENT_ID.equals(client.clientId()) || client.scopes().size() != SmartTokens.SCOPES) {
        throw new IllegalStateException("unexpected client " + client);
      }
    }
  }

  /** Each thread's turn through the tokens, and its refused requests. */
  @State(Scope.Thread)
  public static class Turn {
    int next;
    long refused;

    int next() {
      return next++ & (TOKENS - 1);
    }

    @TearDown(Level.Trial)
    public void check() {
      if (refused > 0) {
        throw new IllegalStateException(refused + " requests refused");
      }
    }
  }

  @Benchmark
  public VerifiedClient uncached(Verification state, Turn turn) throws TokenRejectedException {
    return state.uncached.verify(state.tokens[turn.next()]);
  }

  @Benchmark
  public VerifiedClient cached(Verification state, Turn turn) throws TokenRejectedException {
    return state.cached.verify(state.tokens[turn.next()]);
  }

  /** The authentication stage's work for a request with a cached token. */
  @Benchmark
  public Object cachedRequest(Verification state, Turn turn) {
    BearerRequest request = state.requests[turn.next()];
    if (!state.authenticator.needsToken(request)) {
      throw new IllegalStateException("the benchmark path must be protected");
    }
    Failure refused = state.authenticator.admit(request);
    if (refused != null) {
      turn.refused++;
      return refused;
    }
    return VerifiedClient.of(request);
  }
}
