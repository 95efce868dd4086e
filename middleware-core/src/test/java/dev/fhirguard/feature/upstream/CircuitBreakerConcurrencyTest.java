package dev.fhirguard.feature.upstream;

import static dev.fhirguard.GuardHooks.withClock;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.fhirguard.ErrorCode;
import dev.fhirguard.FhirGuard;
import dev.fhirguard.FhirGuardConfig;
import dev.fhirguard.Upstream;
import dev.fhirguard.UpstreamException;
import dev.fhirguard.testing.LogCapture;
import dev.fhirguard.testing.TestClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The circuit of one {@link Upstream} called from many threads: half-open probes are counted
 * exactly and always give their permission back. No sleeps: probes block on a latch, time moves by
 * a manual clock.
 */
class CircuitBreakerConcurrencyTest {

  private final TestClock clock = new TestClock();

  private Upstream upstream(int halfOpenCalls) {
    FhirGuard guard = withClock(FhirGuard.builder().config(FhirGuardConfig.load(Map.of(
        "fhirguard.upstreams.ehr.display-name", "patient record service",
        "fhirguard.upstreams.ehr.sliding-window-size", "4",
        "fhirguard.upstreams.ehr.minimum-number-of-calls", "4",
        "fhirguard.upstreams.ehr.wait-duration-in-open-state", "30s",
        "fhirguard.upstreams.ehr.permitted-number-of-calls-in-half-open-state",
        String.valueOf(halfOpenCalls)))), clock).build();
    return guard.upstream("ehr");
  }

  private static void open(Upstream upstream) {
    for (int i = 0; i < 4; i++) {
      assertThrows(UpstreamException.class, () -> upstream.call(() -> {
        throw new UpstreamException("ehr", 502);
      }));
    }
    assertEquals("OPEN", upstream.circuitState());
  }

  @Test
  void while_half_open_exactly_the_permitted_probes_run_and_everyone_else_fails_fast()
      throws Exception {
    Upstream upstream = upstream(3);
    ExecutorService pool = Executors.newFixedThreadPool(32);
    try (LogCapture logs = new LogCapture()) {
      open(upstream);
      clock.advance(Duration.ofSeconds(31));
      CountDownLatch release = new CountDownLatch(1);
      CountDownLatch probing = new CountDownLatch(3);
      CountDownLatch refusals = new CountDownLatch(29);
      AtomicInteger inside = new AtomicInteger();
      List<Future<String>> calls = new ArrayList<>();
      for (int i = 0; i < 32; i++) {
        calls.add(pool.submit(() -> {
          try {
            return upstream.call(() -> {
              inside.incrementAndGet();
              probing.countDown();
              release.await(20, TimeUnit.SECONDS);
              return "ok";
            });
          } catch (UpstreamException refused) {
            assertEquals(ErrorCode.CIRCUIT_OPEN, refused.code());
            assertEquals(Duration.ofSeconds(1), refused.retryAfter().orElseThrow());
            refusals.countDown();
            return "refused";
          }
        }));
      }
      assertTrue(probing.await(20, TimeUnit.SECONDS));
      assertTrue(refusals.await(20, TimeUnit.SECONDS), "the other 29 calls fail fast");
      release.countDown();
      int ok = 0;
      int refused = 0;
      for (Future<String> call : calls) {
        String result = call.get(20, TimeUnit.SECONDS);
        ok += result.equals("ok") ? 1 : 0;
        refused += result.equals("refused") ? 1 : 0;
      }
      assertEquals(3, inside.get());
      assertEquals(3, ok);
      assertEquals(29, refused);
      assertEquals("CLOSED", upstream.circuitState());
      List<String> transitions = logs.events().stream()
          .filter(e -> e.getLoggerName().equals("dev.fhirguard.upstream"))
          .map(ILoggingEvent::getFormattedMessage).toList();
      assertEquals(3, transitions.size(), transitions.toString());
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void a_probe_that_throws_an_error_gives_its_permission_back() {
    Upstream upstream = upstream(1);
    open(upstream);
    clock.advance(Duration.ofSeconds(31));
    assertThrows(StackOverflowError.class, () -> upstream.call(() -> {
      throw new StackOverflowError();
    }));
    assertEquals("ok", upstream.call(() -> "ok"));
    assertEquals("CLOSED", upstream.circuitState());
  }

  @Test
  void a_probe_that_is_interrupted_keeps_the_interrupt_and_does_not_block_the_next_probe() {
    Upstream upstream = upstream(1);
    open(upstream);
    clock.advance(Duration.ofSeconds(31));
    assertThrows(UpstreamException.class, () -> upstream.call(() -> {
      throw new InterruptedException();
    }));
    assertTrue(Thread.interrupted(), "the interrupt flag is restored");
    clock.advance(Duration.ofSeconds(31)); // the interrupted probe counted as a failure
    assertEquals("ok", upstream.call(() -> "ok"));
  }
}
