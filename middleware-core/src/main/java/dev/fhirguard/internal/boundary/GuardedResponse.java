package dev.fhirguard.internal.boundary;

import dev.fhirguard.internal.outcome.BodyMessages;
import dev.fhirguard.internal.outcome.ErrorHandler;
import dev.fhirguard.internal.outcome.Failure;
import dev.fhirguard.internal.outcome.FailureSink;
import dev.fhirguard.internal.outcome.Format;
import dev.fhirguard.internal.outcome.HapiOutcomes;
import dev.fhirguard.internal.tracking.RequestIdentity;
import dev.fhirguard.internal.tracking.RequestIds;
import dev.fhirguard.internal.tracking.RequestTracking;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntConsumer;

/**
 * The response seen by everything downstream of the error boundary. A success response passes
 * straight through. An error is turned into an OperationOutcome: {@code sendError}, an error status
 * with no body, and an error body that is not FHIR (buffered, bounded, then replaced). The
 * transaction-id headers and the rate-limit headers belong to fhirguard: downstream attempts to
 * set them are ignored, and they survive a reset().
 */
public final class GuardedResponse extends HttpServletResponseWrapper implements FailureSink {

  private static final int MAX_BUFFERED_BODY = 256 * 1024;

  /** Headers a container adds itself, which HAPI re-adds after its reset(). */
  private static final String[] CONTAINER_HEADERS = {"Date", "Server", "X-Powered-By"};

  private enum Mode { UNDECIDED, PASS, BUFFER, DONE }

  private final HttpServletRequest request;
  private final ErrorHandler errors;
  private final RequestIdentity identity;
  private int status;
  private Mode mode = Mode.UNDECIDED;
  private ByteArrayOutputStream buffer;
  private Writer bufferWriter;
  private boolean overflow;
  private ServletOutputStream stream;
  private PrintWriter writer;
  private PrintWriter passWriter;
  private boolean abandoned;
  private boolean abortTaken;
  /**
   * Headers fhirguard set for the client (its rate-limit standing): kept across reset(), and, like
   * the transaction-id headers, not set again downstream (HAPI re-adds every header after its
   * reset()).
   */
  private Map<String, String> ownHeaders;
  /** Told the status once the answer starts; {@code null} but for export requests. */
  private IntConsumer answerStart;

  GuardedResponse(
      HttpServletRequest request,
      HttpServletResponse response,
      ErrorHandler errors,
      RequestIdentity identity) {
    super(response);
    this.request = request;
    this.errors = errors;
    this.identity = identity;
    this.status = response.getStatus();
  }

  RequestIdentity identity() {
    return identity;
  }

  private HttpServletResponse target() {
    return (HttpServletResponse) getResponse();
  }

  // ---- status and errors

  @Override
  public synchronized void setStatus(int sc) {
    if (abandoned) {
      return;
    }
    status = sc;
    super.setStatus(sc);
    if (sc < 400 && mode == Mode.BUFFER) {
      releaseBuffer(); // no longer an error: what was held back goes out as written
    }
  }

  @Override
  public void sendError(int sc) throws IOException {
    sendError(sc, null);
  }

  @Override
  public synchronized void sendError(int sc, String msg) throws IOException {
    if (sc < 400) { // not an error: the status alone, without the container's error handling
      answerStarts(sc);
      mode = Mode.DONE;
      status = sc;
      target().resetBuffer();
      super.setStatus(sc);
      return;
    }
    if (target().isCommitted()) {
      throw new IllegalStateException("Cannot send error " + sc + ": response already committed");
    }
    fail(errors.sendError(request, sc, msg));
  }

  /** Answers an error the application produced without an exception, and logs it. */
  private void answer(Failure failure) throws IOException {
    fail(errors.answered(request, failure));
  }

  /** Answers an async request the application did not complete in time: a 503. */
  synchronized void timedOut() throws IOException {
    fail(errors.timedOut(request));
  }

  /**
   * Answers an exception that escaped the application (on the request thread or asynchronously):
   * nothing when the client went away; after commit, logged and the response abandoned.
   */
  synchronized void failed(Throwable error) throws IOException {
    if (errors.clientWentAway(error)) {
      return;
    }
    boolean committed = isCommitted();
    fail(errors.exception(request, error, committed));
    if (committed) {
      abandonIfCommitted();
    }
  }

  @Override
  public synchronized void sendRedirect(String location) throws IOException {
    answerStarts(SC_FOUND);
    mode = Mode.DONE;
    status = SC_FOUND;
    super.sendRedirect(location);
  }

  /**
   * Marks the response under {@code response} as finished when it is already committed: later
   * writes are dropped and {@code reset()} does nothing, so nothing is appended to what the
   * client already received (HAPI writes an outcome after a failure, even then).
   */
  public static void abandonIfCommitted(jakarta.servlet.ServletResponse response) {
    GuardedResponse guarded = in(response);
    if (guarded != null) {
      guarded.abandonIfCommitted();
    }
  }

  /** The guarded response {@code response} is or wraps, or {@code null} when there is none. */
  public static GuardedResponse in(jakarta.servlet.ServletResponse response) {
    for (jakarta.servlet.ServletResponse r = response; r != null; ) {
      if (r instanceof GuardedResponse guarded) {
        return guarded;
      }
      r = r instanceof jakarta.servlet.ServletResponseWrapper w ? w.getResponse() : null;
    }
    return null;
  }

  /**
   * Sets a header fhirguard owns (a client's rate-limit standing): kept when the application
   * resets the response, and not set again downstream, as the transaction-id headers.
   */
  public synchronized void setOwnHeader(String name, String value) {
    if (ownHeaders == null) {
      ownHeaders = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    }
    ownHeaders.put(name, value);
    target().setHeader(name, value);
  }

  /**
   * Calls {@code listener} once with the status when the answer starts, before anything of it
   * can be committed: the first body byte, a flush, a write listener, {@code sendError}, a
   * redirect, or an answer of fhirguard's. Set only for the requests that need it (export
   * kick-offs, polls and cancels): other requests pay one null check.
   */
  public synchronized void onAnswerStart(IntConsumer listener) {
    answerStart = listener;
  }

  private void answerStarts(int answered) {
    if (answerStart != null) { // set before the application runs, on its thread
      tellAnswerStart(answered);
    }
  }

  private synchronized void tellAnswerStart(int answered) {
    IntConsumer listener = answerStart;
    answerStart = null;
    if (listener != null) {
      listener.accept(answered);
    }
  }

  private synchronized void abandonIfCommitted() {
    if (target().isCommitted()) {
      abandoned = true;
      mode = Mode.DONE;
    }
  }

  /**
   * Whether a failure after commit abandoned this response and nobody has been told yet: true
   * once, for the caller that aborts the connection.
   */
  synchronized boolean takeAbort() {
    if (!abandoned || abortTaken) {
      return false;
    }
    abortTaken = true;
    return true;
  }

  @Override
  public synchronized void fail(Failure failure) throws IOException {
    answerStarts(failure.status());
    mode = Mode.DONE;
    status = failure.status();
    errors.responder().respond(request, target(), failure);
  }

  /** Called once the application is done: completes or replaces the response. */
  synchronized void finish() throws IOException {
    switch (mode) {
      case UNDECIDED -> {
        if (status >= 400) {
          answer(Failure.ofStatus(status, null));
        }
      }
      case PASS -> {
        if (status >= 400 && !target().isCommitted() && !isTrustedBody()) {
          answer(Failure.ofStatus(status, null));
        } // else: the container's own writer; the container completes it (a flush would commit)
      }
      case BUFFER -> finishBuffered();
      case DONE -> { }
    }
  }

  private void finishBuffered() throws IOException {
    if (bufferWriter != null) {
      bufferWriter.flush();
    }
    byte[] body = buffer.toByteArray();
    Format format = Format.named(getContentType());
    if (status < 500 && !overflow && format != null
        && errors.responder().renderer().isOperationOutcome(body, format)) {
      mode = Mode.DONE;
      target().setContentLength(body.length);
      target().getOutputStream().write(body);
      return;
    }
    // The renderer never shows a 5xx message to the client; the log keeps it.
    answer(Failure.ofStatus(status, BodyMessages.extract(body, getContentType(), charset())));
  }

  /**
   * Whether an error body may go out as written: a FHIR body for a 4xx, and for a 5xx only an
   * outcome fhirguard's HAPI interceptor has already made safe.
   */
  private boolean isTrustedBody() {
    return Format.isFhirMediaType(getContentType())
        && (status < 500 || request.getAttribute(HapiOutcomes.SAFE_OUTCOME_ATTRIBUTE) != null);
  }

  private void releaseBuffer() {
    try {
      if (bufferWriter != null) {
        bufferWriter.flush();
      }
      byte[] held = buffer.toByteArray();
      mode = Mode.PASS;
      if (writer != null) {
        passWriter().write(new String(held, charset()));
      } else {
        target().getOutputStream().write(held);
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private Mode decide() {
    Mode decided = mode;
    return decided != Mode.UNDECIDED ? decided : decideNow();
  }

  private synchronized Mode decideNow() {
    if (mode == Mode.UNDECIDED) {
      answerStarts(status);
      mode = status >= 400 && !isTrustedBody() ? Mode.BUFFER : Mode.PASS;
      if (mode == Mode.BUFFER) {
        buffer = new ByteArrayOutputStream(512);
      } else if (status >= 400) { // a FHIR error body goes out as written, with what it requires
        errors.responder().requiredHeaders().complete(request, target(), status);
      }
    }
    return mode;
  }

  private void buffer(byte[] bytes, int offset, int length) {
    int room = MAX_BUFFERED_BODY - buffer.size();
    if (length > room) {
      overflow = true;
    }
    buffer.write(bytes, offset, Math.max(0, Math.min(length, room)));
  }

  private Charset charset() {
    try {
      return Charset.forName(getCharacterEncoding());
    } catch (RuntimeException e) {
      return StandardCharsets.ISO_8859_1;
    }
  }

  // ---- headers owned by fhirguard

  private boolean ownedHeader(String name) {
    return RequestIds.REQUEST_ID_HEADER.equalsIgnoreCase(name)
        || RequestIds.CORRELATION_ID_HEADER.equalsIgnoreCase(name)
        || ownHeaders != null && ownHeaders.containsKey(name);
  }

  private boolean heldLength(String name) {
    return status >= 400 && "Content-Length".equalsIgnoreCase(name);
  }

  @Override
  public void setHeader(String name, String value) {
    if (!ownedHeader(name) && !heldLength(name)) {
      super.setHeader(name, value);
    }
  }

  /** Also drops exact duplicates, e.g. Date and Server re-added by HAPI after a reset(). */
  @Override
  public void addHeader(String name, String value) {
    if (!ownedHeader(name) && !heldLength(name) && !isRepeatedContainerHeader(name, value)) {
      super.addHeader(name, value);
    }
  }

  private boolean isRepeatedContainerHeader(String name, String value) {
    for (String header : CONTAINER_HEADERS) {
      if (header.equalsIgnoreCase(name)) {
        return getHeaders(name).contains(value);
      }
    }
    return false;
  }

  @Override
  public void setIntHeader(String name, int value) {
    if (!ownedHeader(name) && !heldLength(name)) {
      super.setIntHeader(name, value);
    }
  }

  @Override
  public void addIntHeader(String name, int value) {
    if (!ownedHeader(name) && !heldLength(name)) {
      super.addIntHeader(name, value);
    }
  }

  @Override
  public void setDateHeader(String name, long date) {
    if (!ownedHeader(name)) {
      super.setDateHeader(name, date);
    }
  }

  @Override
  public void addDateHeader(String name, long date) {
    if (!ownedHeader(name)) {
      super.addDateHeader(name, date);
    }
  }

  @Override
  public void setContentLength(int len) {
    if (status < 400) {
      super.setContentLength(len);
    }
  }

  @Override
  public void setContentLengthLong(long len) {
    if (status < 400) {
      super.setContentLengthLong(len);
    }
  }

  /**
   * Like the container's reset(): status, headers, body and the choice of stream or writer; the
   * headers fhirguard owns stay.
   */
  @Override
  public synchronized void reset() {
    if (abandoned) {
      return;
    }
    super.reset();
    RequestTracking.writeHeaders(target(), identity);
    if (ownHeaders != null) {
      ownHeaders.forEach(target()::setHeader);
    }
    status = target().getStatus();
    mode = Mode.UNDECIDED;
    buffer = null;
    bufferWriter = null;
    overflow = false;
    passWriter = null;
    stream = null;
    writer = null;
  }

  @Override
  public synchronized void resetBuffer() {
    super.resetBuffer();
    if (buffer != null) {
      buffer.reset();
      bufferWriter = null;
      overflow = false;
    }
  }

  @Override
  public void flushBuffer() throws IOException {
    if (mode == Mode.PASS || (mode == Mode.UNDECIDED && status < 400)) {
      answerStarts(status);
      mode = Mode.PASS;
      if (passWriter != null) {
        passWriter.flush();
      }
      super.flushBuffer();
    }
  }

  // ---- body

  @Override
  public ServletOutputStream getOutputStream() throws IOException {
    if (abandoned) {
      return new GuardedOutputStream(); // discards: the client's response is already complete
    }
    if (writer != null) {
      throw new IllegalStateException("getWriter() has already been called");
    }
    if (stream == null) {
      stream = new GuardedOutputStream();
    }
    return stream;
  }

  @Override
  public PrintWriter getWriter() throws IOException {
    if (abandoned) {
      return new PrintWriter(new GuardedWriter(), false); // discards, as above
    }
    if (stream != null) {
      throw new IllegalStateException("getOutputStream() has already been called");
    }
    if (writer == null) {
      writer = new PrintWriter(new GuardedWriter(), false);
    }
    return writer;
  }

  private PrintWriter passWriter() throws IOException {
    if (passWriter == null) {
      passWriter = target().getWriter();
    }
    return passWriter;
  }

  private Writer bufferWriter() {
    if (bufferWriter == null) {
      setCharacterEncoding(charset().name());
      bufferWriter = new OutputStreamWriter(new BufferSink(), charset());
    }
    return bufferWriter;
  }

  /** Writes into the bounded error buffer. */
  private final class BufferSink extends java.io.OutputStream {
    @Override
    public void write(int b) {
      buffer(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
      buffer(bytes, offset, length);
    }
  }

  private final class GuardedOutputStream extends ServletOutputStream {
    @Override
    public void write(int b) throws IOException {
      switch (decide()) {
        case PASS -> target().getOutputStream().write(b);
        case BUFFER -> buffer(new byte[] {(byte) b}, 0, 1);
        default -> { }
      }
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
      switch (decide()) {
        case PASS -> target().getOutputStream().write(bytes, offset, length);
        case BUFFER -> buffer(bytes, offset, length);
        default -> { }
      }
    }

    @Override
    public void flush() throws IOException {
      if (mode == Mode.PASS) {
        target().getOutputStream().flush();
      }
    }

    @Override
    public void close() throws IOException {
      if (mode == Mode.PASS) {
        target().getOutputStream().close();
      }
    }

    @Override
    public boolean isReady() {
      try {
        return mode != Mode.PASS || target().getOutputStream().isReady();
      } catch (IOException e) {
        return false;
      }
    }

    @Override
    public void setWriteListener(jakarta.servlet.WriteListener listener) {
      answerStarts(status);
      mode = Mode.PASS;
      try {
        target().getOutputStream().setWriteListener(listener);
      } catch (IOException e) {
        throw new IllegalStateException("Output stream unavailable", e);
      }
    }
  }

  private final class GuardedWriter extends Writer {
    @Override
    public void write(char[] chars, int offset, int length) throws IOException {
      switch (decide()) {
        case PASS -> passWriter().write(chars, offset, length);
        case BUFFER -> bufferWriter().write(chars, offset, length);
        default -> { }
      }
    }

    @Override
    public void write(String text, int offset, int length) throws IOException {
      switch (decide()) {
        case PASS -> passWriter().write(text, offset, length);
        case BUFFER -> bufferWriter().write(text, offset, length);
        default -> { }
      }
    }

    @Override
    public void flush() throws IOException {
      if (mode == Mode.PASS) {
        passWriter().flush();
      }
    }

    @Override
    public void close() throws IOException {
      if (mode == Mode.PASS) {
        passWriter().close();
      }
    }
  }
}
