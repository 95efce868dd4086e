package dev.fhirguard.internal.outcome;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import dev.fhirguard.ErrorCode;
import dev.fhirguard.internal.config.ResolvedSettings;
import dev.fhirguard.internal.tracking.MdcScope;
import dev.fhirguard.internal.tracking.RequestIdentity;
import dev.fhirguard.internal.tracking.RequestTracking;
import dev.fhirguard.internal.tracking.TraceContext;
import dev.fhirguard.testing.IsolatedSettings;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OutcomeTemplatesTest {

  private static final FhirContext R4 = FhirContext.forR4Cached();

  private static final List<Failure> FAILURES = List.of(
      Failure.of(ErrorCode.TOKEN_MALFORMED,
          "The bearer token is malformed: it is not a JWT (three dot-separated parts)."),
      Failure.retryLater(ErrorCode.RATE_LIMITED, "Rate limit exceeded.", Duration.ofSeconds(20)),
      Failure.of(ErrorCode.TOKEN_SIGNATURE_INVALID, "id " + OutcomeTemplates.PLACEHOLDER + " here"),
      Failure.of(ErrorCode.TOKEN_MALFORMED, "trace " + OutcomeTemplates.TRACE_PLACEHOLDER),
      Failure.of(ErrorCode.INTERNAL_ERROR, "boom"));

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void every_outcome_is_byte_for_byte_what_encoding_it_for_its_own_id_gives(boolean pretty) {
    OutcomeRenderer renderer = new OutcomeRenderer(
        IsolatedSettings.of(Map.of("fhirguard.outcome.pretty-print", Boolean.toString(pretty))));
    for (Failure failure : FAILURES) {
      for (Format format : Format.values()) {
        for (String id : List.of("3f2b1c9e-0a4d-4c1e-9b7a-5d6e7f8a9b0c", "client-id.42", "x",
            "3f2b1c9e-0a4d-4c1e-9b7a-5d6e7f8a9b0c")) {
          String rendered = new String(renderer.render(failure, id, format), StandardCharsets.UTF_8);

          assertEquals(encoded(renderer, failure, id, format, pretty), rendered);
          assertTrue(rendered.contains(id), rendered);
        }
      }
    }
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void with_a_trace_id_every_outcome_is_still_what_encoding_it_gives(boolean pretty) {
    ResolvedSettings settings = IsolatedSettings.of(Map.of(
        "fhirguard.outcome.pretty-print", Boolean.toString(pretty),
        "fhirguard.outcome.include-trace-id", "true"));
    OutcomeRenderer renderer = new OutcomeRenderer(settings);
    RequestTracking tracking = new RequestTracking(settings);
    for (String traceId : List.of("4bf92f3577b34da6a3ce929d0e0e4736", "0af7651916cd43dd8448eb211c80319c")) {
      TraceContext trace = new TraceContext(traceId, "00f067aa0ba902b7", "01");
      try (MdcScope scope = tracking.open(new RequestIdentity("client-id.42", null, trace))) {
        for (Failure failure : FAILURES) {
          for (Format format : Format.values()) {
            String rendered =
                new String(renderer.render(failure, "client-id.42", format), StandardCharsets.UTF_8);

            assertEquals(encoded(renderer, failure, "client-id.42", format, pretty), rendered);
            assertTrue(rendered.contains(traceId) && rendered.contains(
                OutcomeRenderer.TRACE_ID_EXTENSION), rendered);
          }
        }
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"has space", "quote\"d", "<xml>"})
  void an_id_that_is_not_a_fhir_id_is_encoded_in_full_with_its_escapes(String id) {
    OutcomeRenderer renderer = new OutcomeRenderer(IsolatedSettings.of(Map.of()));
    Failure failure = FAILURES.get(0);
    for (Format format : Format.values()) {
      assertEquals(encoded(renderer, failure, id, format, false),
          new String(renderer.render(failure, id, format), StandardCharsets.UTF_8));
    }
  }

  private static String encoded(OutcomeRenderer renderer, Failure failure, String id,
      Format format, boolean pretty) {
    IParser parser = format == Format.XML ? R4.newXmlParser() : R4.newJsonParser();
    return parser.setPrettyPrint(pretty).encodeResourceToString(renderer.outcome(R4, failure, id));
  }
}
