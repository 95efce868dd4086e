package dev.fhirguard.internal;

import dev.fhirguard.internal.outcome.BodyMessages;
import dev.fhirguard.internal.outcome.Diagnostics;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Sanitizing untrusted text must not recurse or backtrack with the size of the input: a message
 * or body of any size and shape returns, on a worker-sized stack, without a StackOverflowError,
 * while internals are still withheld and ordinary FHIR text is still shown.
 */
class LinearSanitizingTest {

  /**
   * The stack of the thread each sanitizing runs on: smaller than a servlet container's worker
   * thread (the JVM default of 1 MB), unlike the test runner's main thread (often 8 MB), where a
   * recursive regex may still fit.
   */
  private static final long WORKER_STACK_BYTES = 512 * 1024;

  private final Diagnostics diagnostics = new Diagnostics(300);

  /** Runs {@code work} on a thread with {@link #WORKER_STACK_BYTES}; rethrows what it threw. */
  private static <T> T onWorkerStack(Supplier<T> work) throws InterruptedException {
    AtomicReference<T> result = new AtomicReference<>();
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    Thread worker = new Thread(null, () -> {
      try {
        result.set(work.get());
      } catch (Throwable t) {
        thrown.set(t);
      }
    }, "sanitizing-worker", WORKER_STACK_BYTES);
    worker.start();
    worker.join();
    if (thrown.get() != null) {
      throw new AssertionError("sanitizing threw " + thrown.get(), thrown.get());
    }
    return result.get();
  }

  static Stream<Arguments> adversarialMessages() {
    return Stream.of(
        Arguments.of("A$ x100000", "A$".repeat(100_000)),
        Arguments.of("a dotted name of 2000 parts", "org" + ".a".repeat(2000)),
        Arguments.of("a dotted name of 100000 parts", "org" + ".a".repeat(100_000)),
        Arguments.of("a dotted host of 50000 parts with a port", "db" + ".a".repeat(50_000) + ":5432"),
        Arguments.of("'at ' x100000", "at ".repeat(100_000)),
        Arguments.of("stack-frame-like runs", ("at " + "a.".repeat(20) + "b ").repeat(5_000)),
        Arguments.of("'://' x100000", "://".repeat(100_000)),
        Arguments.of("'http://a' x50000", "http://a".repeat(50_000)),
        Arguments.of("'select ' x50000", "select ".repeat(50_000)),
        Arguments.of("path segments x100000", "/a".repeat(100_000)),
        Arguments.of("1 MB of spaces", " ".repeat(1 << 20)),
        Arguments.of("1 MB of spaces then a word", " ".repeat(1 << 20) + "word"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("adversarialMessages")
  void an_attacker_shaped_message_is_sanitized_without_a_stack_overflow(String name, String message)
      throws InterruptedException {
    String shown = onWorkerStack(() -> diagnostics.clientText(message));
    assertTrue(shown == null || shown.length() <= 300, () -> shown.length() + ": " + shown);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("adversarialMessages")
  void internals_before_an_attacker_shaped_tail_are_still_withheld(String name, String tail)
      throws InterruptedException {
    String message = "Connection to db-prod-01.internal:5432 refused " + tail;
    assertNull(onWorkerStack(() -> diagnostics.clientText(message)));
  }

  @ParameterizedTest(name = "message of {0} characters")
  @ValueSource(ints = {300, 1999, 2000, 5000, 20_000})
  void a_long_json_message_field_is_extracted_without_a_stack_overflow(int length)
      throws InterruptedException {
    byte[] body = ("{\"message\":\"" + "x".repeat(length) + "\"}").getBytes(StandardCharsets.UTF_8);
    String message = onWorkerStack(
        () -> BodyMessages.extract(body, "application/json", StandardCharsets.UTF_8));
    assertTrue(message.chars().allMatch(c -> c == 'x'), message);
    assertEquals(Math.min(length, 2000), message.length());
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {
      "{\"message\":\"", "{\"message\":\"\\\\\\\\\\\\", "{\"detail\":\"\\\"", "<html><title>"})
  void an_unterminated_body_of_256_kib_is_scanned_without_a_stack_overflow(String start)
      throws InterruptedException {
    String filler = start.startsWith("<") ? "t" : "\\\"";
    byte[] body = (start + filler.repeat(128 * 1024)).getBytes(StandardCharsets.UTF_8);
    String type = start.startsWith("<") ? "text/html" : "application/json";
    String message = onWorkerStack(() -> BodyMessages.extract(body, type, StandardCharsets.UTF_8));
    assertTrue(message == null || message.length() <= 2000, () -> String.valueOf(message.length()));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {
      "db-prod-01.internal:5432",
      "Connection to db-prod-01.internal:5432 refused",
      "/opt/app/conf/db.properties",
      "Could not read /opt/app/conf/db.properties",
      "http://10.0.0.5/x",
      "Upstream http://10.0.0.5/x did not answer",
      "http://localhost:8080/fhir",
      "Validation calls http://localhost:8080/fhir first",
      "java.sql.SQLException",
      "Lookup failed with java.sql.SQLException",
      "NullPointerException",
      "NullPointerException while reading the name",
  })
  void a_message_showing_internals_is_still_withheld(String message) {
    assertNull(diagnostics.clientText(message));
    assertTrue(Diagnostics.looksInternal(message), message);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {
      "The value set http://hl7.org/fhir/ValueSet/administrative-gender does not contain 'x'",
      "Invalid date/time format: \"2021-13-45T10:00\"",
      "Select a code from the bound value set",
      "Patient.birthDate must not be in the future",
  })
  void ordinary_fhir_text_is_still_shown_as_written(String message) {
    assertEquals(message, diagnostics.clientText(message));
    assertFalse(Diagnostics.looksInternal(message), message);
  }
}
