package dev.fhirguard.benchmarks;

import dev.fhirguard.internal.tracking.RequestIdentity;
import dev.fhirguard.internal.tracking.RequestIds;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link RequestIds#identify}: the transaction id of a request from its {@code X-Request-ID}, as
 * the request-id stage works it out once per request. A valid id is taken as it is; without one
 * an id is generated; an id that is not a FHIR id gets a generated one, and the client's value is
 * echoed in {@code X-Correlation-Id} when it is printable and bounded, dropped when not. Not
 * included: reading the header, setting the response headers and the MDC.
 *
 * <p>The tear-down checks that each benchmark took the branch its name says.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class RequestIdBenchmark {

  /** A UUID, what most clients and proxies send. */
  static final String VALID = "0f8e2b7c-5a14-4c3d-9e6f-1a2b3c4d5e6f";
  /** Printable, but not a FHIR id: ':', '/' and '#' are outside {@code [A-Za-z0-9.-]}. */
  static final String PRINTABLE = "tenant-a:req/2026-11-21T20:17:03.412Z#7f3a9c";
  /** A value trying to inject a header and a log line. */
  static final String UNSAFE = "abc\r\nX-Injected: 1\r\n\r\n<script>";

  @State(Scope.Benchmark)
  public static class Ids {
    final RequestIds ids = new RequestIds(SmartTokens.isolated(Map.of()));

    @TearDown(Level.Trial)
    public void check() {
      expect(ids.identify(VALID).requestId().equals(VALID), "a valid id is taken");
      expect(ids.identify(null).requestId().length() == 36, "a missing id is generated");
      RequestIdentity printable = ids.identify(PRINTABLE);
      expect(!printable.requestId().equals(PRINTABLE)
          && PRINTABLE.equals(printable.correlationId()), "a printable id is echoed");
      RequestIdentity unsafe = ids.identify(UNSAFE);
      expect(!Objects.equals(unsafe.requestId(), UNSAFE) && unsafe.correlationId() == null,
          "an unsafe id is dropped");
    }

    private static void expect(boolean holds, String what) {
      if (!holds) {
        throw new IllegalStateException("not as benchmarked: " + what);
      }
    }
  }

  @Benchmark
  public RequestIdentity accepted(Ids state) {
    return state.ids.identify(VALID);
  }

  @Benchmark
  public RequestIdentity generated(Ids state) {
    return state.ids.identify(null);
  }

  @Benchmark
  public RequestIdentity replacedAndEchoed(Ids state) {
    return state.ids.identify(PRINTABLE);
  }

  @Benchmark
  public RequestIdentity replacedAndDropped(Ids state) {
    return state.ids.identify(UNSAFE);
  }
}
