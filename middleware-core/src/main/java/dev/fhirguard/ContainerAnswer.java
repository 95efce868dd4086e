package dev.fhirguard;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a container adapter sends for a {@link ContainerError}: the status, the headers, and the
 * OperationOutcome with its content type ({@code body} and {@code contentType} are {@code null}
 * when the answer may carry no body: HEAD, 204, 304).
 */
public record ContainerAnswer(
    int status, Map<String, String> headers, String contentType, byte[] body) {

  public ContainerAnswer {
    headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
  }
}
