package dev.fhirguard.benchmarks;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * What every response of a scenario must be: its status, {@code application/fhir+json}, and a
 * body holding the given JSON fragments (compared without whitespace, so pretty-printed and
 * compact JSON both match). Checked on every response, without allocating.
 */
final class Expectation {

  static final String CATALOG = "https://fhirguard.dev/CodeSystem/error-code";

  private final int status;
  private final String resourceType;
  private final String idOrCode;
  private final List<byte[]> fragments;

  private Expectation(int status, String resourceType, String idOrCode, String... fragments) {
    this.status = status;
    this.resourceType = resourceType;
    this.idOrCode = idOrCode;
    this.fragments = Arrays.stream(fragments)
        .map(fragment -> fragment.getBytes(StandardCharsets.UTF_8)).toList();
  }

  /** 200 and the Patient with this id. */
  static Expectation patient(String id) {
    return new Expectation(200, "Patient", id,
        "{\"resourceType\":\"Patient\",\"id\":\"" + id + "\",");
  }

  /** This status and an OperationOutcome with this fhirguard catalog code. */
  static Expectation outcome(int status, String catalogCode) {
    return new Expectation(status, "OperationOutcome", catalogCode,
        "{\"resourceType\":\"OperationOutcome\",",
        "\"coding\":[{\"system\":\"" + CATALOG + "\",\"code\":\"" + catalogCode + "\"}]");
  }

  int status() {
    return status;
  }

  /** {@code Patient} or {@code OperationOutcome}. */
  String resourceType() {
    return resourceType;
  }

  /** The Patient's id, or the outcome's catalog code. */
  String idOrCode() {
    return idOrCode;
  }

  /** Whether the last response of {@code connection} is as expected. */
  boolean matches(RawConnection connection) {
    if (connection.status() != status || !connection.fhirJson()) {
      return false;
    }
    for (byte[] fragment : fragments) {
      if (!containsIgnoringWhitespace(connection.body(), connection.bodyLength(), fragment)) {
        return false;
      }
    }
    return true;
  }

  @Override
  public String toString() {
    return status + " " + resourceType + " " + idOrCode;
  }

  /** Whether {@code text[0, length)} holds {@code fragment}, whitespace in the text skipped. */
  static boolean containsIgnoringWhitespace(byte[] text, int length, byte[] fragment) {
    for (int start = 0; start < length; start++) {
      if (text[start] != fragment[0]) {
        continue;
      }
      int matched = 1;
      int at = start + 1;
      while (matched < fragment.length && at < length) {
        byte b = text[at++];
        if (b == ' ' || b == '\n' || b == '\r' || b == '\t') {
          continue;
        }
        if (b != fragment[matched]) {
          break;
        }
        matched++;
      }
      if (matched == fragment.length) {
        return true;
      }
    }
    return false;
  }
}
