package dev.fhirguard.benchmarks;

import dev.fhirguard.ErrorCode;
import dev.fhirguard.internal.outcome.Diagnostics;
import dev.fhirguard.internal.outcome.Failure;
import dev.fhirguard.internal.outcome.Format;
import dev.fhirguard.internal.outcome.OutcomeRenderer;
import dev.fhirguard.internal.config.Settings;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link OutcomeRenderer#render}: a refusal turned into the bytes of its OperationOutcome (R4,
 * one issue with the catalog coding, diagnostics and the transaction id as its id), as every
 * error answer of fhirguard renders it. Not included: negotiating the format, the headers and
 * writing the bytes to the response.
 *
 * <p>The refusals are those of a flood: {@code 401} an expired token (its message, as the JWT
 * verifier writes it, in the diagnostics) and {@code 429} a client over its rate limit (the
 * public text naming the wait). The tear-down parses the last rendering back as an
 * OperationOutcome and looks for its catalog code.
 *
 * <p>{@code sanitize} is the part of the 401's rendering that checks its message before showing
 * it ({@link Diagnostics#clientText}, at the default {@code fhirguard.outcome.max-diagnostics-length}),
 * for a message seen before (its verdict remembered); {@code examine} is the examination of a text
 * not seen before ({@link Diagnostics#looksInternal}). The 429's text is fhirguard's own and skips
 * both.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class OutcomeRenderingBenchmark {

  static final String REQUEST_ID = "9b2f6c1e-4d3a-4f8b-a7e5-0c1d2e3f4a5b";

  static final Failure UNAUTHORIZED = Failure.of(ErrorCode.TOKEN_EXPIRED,
          "The bearer token expired 14 minutes ago. Request a new access token.")
      .withHeader("WWW-Authenticate", "Bearer realm=\"fhir\", error=\"invalid_token\","
          + " error_description=\"The bearer token expired 14 minutes ago.\"");

  static final Failure RATE_LIMITED =
      Failure.retryLater(ErrorCode.RATE_LIMITED, "Rate limit exceeded.", Duration.ofSeconds(17));

  @State(Scope.Benchmark)
  public static class Rendering {
    @Param({"JSON", "XML"})
    Format format;

    @Param({"401", "429"})
    int status;

    @Param({"false", "true"})
    boolean pretty;

    OutcomeRenderer renderer;
    Failure failure;
    byte[] last;

    @Setup(Level.Trial)
    public void setUp() {
      renderer = new OutcomeRenderer(SmartTokens.isolated(
          Map.of("fhirguard.outcome.pretty-print", String.valueOf(pretty))));
      failure = status == 401 ? UNAUTHORIZED : RATE_LIMITED;
    }

    @TearDown(Level.Trial)
    public void check() {
      last = renderer.render(failure, REQUEST_ID, format);
      String text = new String(last, StandardCharsets.UTF_8);
      if (!renderer.isOperationOutcome(last, format) || !text.contains(failure.code().code())
          || !text.contains(REQUEST_ID) || pretty != text.contains("\n")) {
        throw new IllegalStateException("not the expected outcome: " + text);
      }
    }
  }

  /** The diagnostics check of the 401's message alone. */
  @State(Scope.Benchmark)
  public static class Sanitizing {
    final Diagnostics diagnostics = new Diagnostics(SmartTokens.isolated(Map.of())
        .get(Settings.MAX_DIAGNOSTICS_LENGTH));

    @TearDown(Level.Trial)
    public void check() {
      if (!UNAUTHORIZED.message().equals(diagnostics.clientText(UNAUTHORIZED.message()))) {
        throw new IllegalStateException("the 401's message must be shown as it is");
      }
    }
  }

  @Benchmark
  public String sanitize(Sanitizing state) {
    return state.diagnostics.clientText(UNAUTHORIZED.message());
  }

  /** The examination of a text never seen before. */
  @Benchmark
  public boolean examine() {
    return Diagnostics.looksInternal(UNAUTHORIZED.message());
  }

  @Benchmark
  public byte[] render(Rendering state) {
    return state.renderer.render(state.failure, REQUEST_ID, state.format);
  }
}
