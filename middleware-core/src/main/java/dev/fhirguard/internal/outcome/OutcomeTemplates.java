package dev.fhirguard.internal.outcome;

import dev.fhirguard.internal.tracking.RequestIds;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.fhirguard.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.BiFunction;

/**
 * Encoded outcomes of client errors, remembered with a gap where the transaction id goes: a flood
 * of the same refusal is encoded by HAPI once, and each answer copies the bytes around its own id
 * (encoding an outcome costs more than the rest of a refusal). Only for ids of FHIR id characters
 * ({@link RequestIds#isAcceptable}), which JSON and XML carry as they are; a trace id (hex) is a
 * second gap. Bounded: texts that vary (an attacker's input in a message) only cost what encoding
 * costs anyway.
 */
final class OutcomeTemplates {

  /** Stands for the id while a template is encoded; a FHIR id, so it is encoded as written. */
  static final String PLACEHOLDER = "fhirguard-transaction-id-7e1f0c9a";
  /** Stands for the trace id, likewise. */
  static final String TRACE_PLACEHOLDER = "fhirguard-trace-id-3c9d52b1";

  private static final byte[][] PLACEHOLDERS = {
      PLACEHOLDER.getBytes(StandardCharsets.US_ASCII),
      TRACE_PLACEHOLDER.getBytes(StandardCharsets.US_ASCII)};
  private static final int REMEMBERED = 512;

  private final Cache<Key, Template> templates =
      Caffeine.newBuilder().maximumSize(REMEMBERED).executor(Runnable::run).build();

  /** Whether an outcome identified by {@code requestId} can be made from a template. */
  static boolean fits(String requestId) {
    return requestId != null && RequestIds.isAcceptable(requestId);
  }

  /**
   * The outcome of {@code code} with {@code diagnostics} in {@code format}, identified by {@code
   * requestId} (which {@link #fits}) and, when not {@code null}, {@code traceId} (lower-case hex);
   * {@code encode} encodes it for a given id and trace id.
   */
  byte[] render(ErrorCode code, String diagnostics, Format format, String requestId,
      String traceId, BiFunction<String, String, byte[]> encode) {
    boolean traced = traceId != null;
    Template template = templates.get(new Key(code, diagnostics, format, traced),
        key -> Template.of(encode.apply(PLACEHOLDER, traced ? TRACE_PLACEHOLDER : null),
            traced ? 2 : 1));
    return template.usable()
        ? template.with(requestId, traceId) : encode.apply(requestId, traceId);
  }

  private record Key(ErrorCode code, String diagnostics, Format format, boolean traced) {}

  /**
   * The bytes around the placeholders, in order, and which value fills each gap; not usable when a
   * placeholder did not occur exactly once.
   */
  private record Template(byte[][] parts, int[] gaps) {

    static Template of(byte[] encoded, int placeholders) {
      int[] at = new int[placeholders];
      for (int p = 0; p < placeholders; p++) {
        at[p] = indexOf(encoded, PLACEHOLDERS[p], 0);
        if (at[p] < 0 || indexOf(encoded, PLACEHOLDERS[p], at[p] + 1) >= 0) {
          return new Template(null, null);
        }
      }
      int[] gaps = placeholders == 1 || at[0] < at[1] ? new int[] {0, 1} : new int[] {1, 0};
      byte[][] parts = new byte[placeholders + 1][];
      int from = 0;
      for (int g = 0; g < placeholders; g++) {
        int p = gaps[g];
        parts[g] = Arrays.copyOfRange(encoded, from, at[p]);
        from = at[p] + PLACEHOLDERS[p].length;
      }
      parts[placeholders] = Arrays.copyOfRange(encoded, from, encoded.length);
      return new Template(parts, Arrays.copyOf(gaps, placeholders));
    }

    boolean usable() {
      return parts != null;
    }

    byte[] with(String id, String traceId) {
      String[] values = {id, traceId};
      int length = 0;
      for (byte[] part : parts) {
        length += part.length;
      }
      for (int gap : gaps) {
        length += values[gap].length();
      }
      byte[] out = new byte[length];
      int at = 0;
      for (int g = 0; g < parts.length; g++) {
        System.arraycopy(parts[g], 0, out, at, parts[g].length);
        at += parts[g].length;
        if (g < gaps.length) {
          String value = values[gaps[g]];
          for (int i = 0; i < value.length(); i++) {
            out[at++] = (byte) value.charAt(i); // FHIR id characters and hex are ASCII
          }
        }
      }
      return out;
    }

    private static int indexOf(byte[] text, byte[] pattern, int from) {
      outer:
      for (int i = from; i <= text.length - pattern.length; i++) {
        for (int j = 0; j < pattern.length; j++) {
          if (text[i + j] != pattern[j]) {
            continue outer;
          }
        }
        return i;
      }
      return -1;
    }
  }
}
