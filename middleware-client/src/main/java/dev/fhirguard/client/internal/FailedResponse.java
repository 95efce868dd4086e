package dev.fhirguard.client.internal;

import ca.uhn.fhir.rest.client.api.IHttpResponse;
import ca.uhn.fhir.util.StopWatch;
import java.io.InputStream;
import java.io.Reader;
import java.util.List;
import java.util.Map;

/**
 * The response handed back to HAPI's client for a call that failed: it answers its status, and
 * throws the prepared exception as soon as the client reads anything else. HAPI's client reads the
 * final response right after its {@code CLIENT_RESPONSE} hooks and lets a {@link RuntimeException}
 * pass unchanged, so the caller gets this exception, with the headers HAPI's own would lack, and
 * HAPI logs nothing (an exception thrown by a hook itself is logged by HAPI at ERROR).
 */
public final class FailedResponse implements IHttpResponse {

  private final int status;
  private final RuntimeException failure;
  private final StopWatch stopWatch = new StopWatch();

  public FailedResponse(int status, RuntimeException failure) {
    this.status = status;
    this.failure = failure;
  }

  @Override
  public int getStatus() {
    return status;
  }

  @Override
  public void close() {
    // The real response was read and closed already.
  }

  @Override
  public Object getResponse() {
    return null;
  }

  @Override
  public StopWatch getRequestStopWatch() {
    return stopWatch;
  }

  @Override
  public void bufferEntity() {
    throw failure;
  }

  @Override
  public Reader createReader() {
    throw failure;
  }

  @Override
  public Map<String, List<String>> getAllHeaders() {
    throw failure;
  }

  @Override
  public List<String> getHeaders(String name) {
    throw failure;
  }

  @Override
  public String getMimeType() {
    throw failure;
  }

  @Override
  public String getStatusInfo() {
    throw failure;
  }

  @Override
  public InputStream readEntity() {
    throw failure;
  }
}
