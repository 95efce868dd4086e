package dev.fhirguard.internal.outcome;

import dev.fhirguard.internal.tracking.RequestIds;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.fhirguard.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Function;

/**
 * Encoded outcomes of client errors, remembered with a gap where the transaction id goes: a flood
 * of the same refusal is encoded by HAPI once, and each answer copies the bytes around its own id
 * (encoding an outcome costs more than the rest of a refusal). Only for ids of FHIR id characters
 * ({@link RequestIds#isAcceptable}), which JSON and XML carry as they are. Bounded: texts that
 * vary (an attacker's input in a message) only cost what encoding costs anyway.
 */
final class OutcomeTemplates {

  /** Stands for the id while a template is encoded; a FHIR id, so it is encoded as written. */
  static final String PLACEHOLDER = "fhirguard-transaction-id-7e1f0c9a";

  private static final byte[] PLACEHOLDER_BYTES = PLACEHOLDER.getBytes(StandardCharsets.US_ASCII);
  private static final int REMEMBERED = 512;

  private final Cache<Key, Template> templates =
      Caffeine.newBuilder().maximumSize(REMEMBERED).executor(Runnable::run).build();

  /** Whether an outcome identified by {@code requestId} can be made from a template. */
  static boolean fits(String requestId) {
    return requestId != null && RequestIds.isAcceptable(requestId);
  }

  /**
   * The outcome of {@code code} with {@code diagnostics} in {@code format}, identified by {@code
   * requestId} (which {@link #fits}); {@code encode} encodes it for a given id.
   */
  byte[] render(ErrorCode code, String diagnostics, Format format, String requestId,
      Function<String, byte[]> encode) {
    Template template = templates.get(new Key(code, diagnostics, format),
        key -> Template.of(encode.apply(PLACEHOLDER)));
    return template.usable() ? template.with(requestId) : encode.apply(requestId);
  }

  private record Key(ErrorCode code, String diagnostics, Format format) {}

  /** The bytes before and after the id; none when the placeholder did not occur exactly once. */
  private record Template(byte[] before, byte[] after) {

    static Template of(byte[] encoded) {
      int at = indexOf(encoded, 0);
      if (at < 0 || indexOf(encoded, at + 1) >= 0) {
        return new Template(null, null);
      }
      return new Template(Arrays.copyOfRange(encoded, 0, at),
          Arrays.copyOfRange(encoded, at + PLACEHOLDER_BYTES.length, encoded.length));
    }

    boolean usable() {
      return before != null;
    }

    byte[] with(String id) {
      byte[] out = new byte[before.length + id.length() + after.length];
      System.arraycopy(before, 0, out, 0, before.length);
      for (int i = 0; i < id.length(); i++) {
        out[before.length + i] = (byte) id.charAt(i); // FHIR id characters are ASCII
      }
      System.arraycopy(after, 0, out, before.length + id.length(), after.length);
      return out;
    }

    private static int indexOf(byte[] text, int from) {
      outer:
      for (int i = from; i <= text.length - PLACEHOLDER_BYTES.length; i++) {
        for (int j = 0; j < PLACEHOLDER_BYTES.length; j++) {
          if (text[i + j] != PLACEHOLDER_BYTES[j]) {
            continue outer;
          }
        }
        return i;
      }
      return -1;
    }
  }
}
