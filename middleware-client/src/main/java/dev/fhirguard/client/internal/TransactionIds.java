package dev.fhirguard.client.internal;

import java.util.UUID;
import org.slf4j.MDC;

/**
 * The {@code X-Request-ID} of an outgoing request: the transaction id of the request being served
 * (from the SLF4J MDC, where fhirguard puts it), so that a chain of FHIR servers shares one id;
 * otherwise a new random UUID.
 */
public final class TransactionIds {

  /** Longest MDC value still sent (fhirguard echoes a client id of up to 256 characters). */
  private static final int MAX_LENGTH = 256;

  private TransactionIds() {}

  /** The id to send: the MDC value under {@code mdcKey} when it is a sendable header value. */
  public static String outgoing(String mdcKey) {
    String current = mdcKey == null ? null : MDC.get(mdcKey);
    return isSendable(current) ? current : UUID.randomUUID().toString();
  }

  /** Visible ASCII only (no spaces, no line breaks), 1 to 256 characters. */
  static boolean isSendable(String value) {
    if (value == null || value.isEmpty() || value.length() > MAX_LENGTH) {
      return false;
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c <= 0x20 || c >= 0x7f) {
        return false;
      }
    }
    return true;
  }
}
