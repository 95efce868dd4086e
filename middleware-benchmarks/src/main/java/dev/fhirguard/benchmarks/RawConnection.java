package dev.fhirguard.benchmarks;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One keep-alive HTTP/1.1 connection over a plain socket, for a load generator: it sends
 * pre-built request bytes and reads one response into reused buffers (status, a few headers,
 * the body, fixed-length or chunked), allocating nothing per request once the buffers have grown.
 * Not thread-safe: one connection per thread.
 */
final class RawConnection implements Closeable {

  private static final byte[] CONTENT_LENGTH = ascii("content-length:");
  private static final byte[] TRANSFER_ENCODING = ascii("transfer-encoding:");
  private static final byte[] CONNECTION = ascii("connection:");
  private static final byte[] CONTENT_TYPE = ascii("content-type:");
  private static final byte[] CHUNKED = ascii("chunked");
  private static final byte[] CLOSE = ascii("close");
  private static final byte[] FHIR_JSON = ascii("application/fhir+json");

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;
  private byte[] buffer = new byte[16 * 1024];
  private int pos;
  private int limit;

  private int status;
  private boolean fhirJson;
  private boolean closeRequested;
  private String head;
  private int headBytes;
  private int wireBytes;
  private byte[] body = new byte[8 * 1024];
  private int bodyLength;
  private boolean chunked;
  private int contentLength;
  private boolean keepHeads;

  RawConnection(String host, int port) throws IOException {
    socket = new Socket();
    socket.setTcpNoDelay(true);
    socket.setSoTimeout(30_000);
    socket.connect(new InetSocketAddress(host, port), 5_000);
    in = socket.getInputStream();
    out = socket.getOutputStream();
  }

  /** Sends {@code request} and reads the whole response. */
  void exchange(byte[] request) throws IOException {
    out.write(request);
    out.flush();
    readResponse();
  }

  int status() {
    return status;
  }

  /** Whether Content-Type is application/fhir+json (with any parameters). */
  boolean fhirJson() {
    return fhirJson;
  }

  /** Whether the server asked to close the connection after this response. */
  boolean closeRequested() {
    return closeRequested;
  }

  byte[] body() {
    return body;
  }

  int bodyLength() {
    return bodyLength;
  }

  /** Bytes of the status line and headers, blank line included. */
  int headBytes() {
    return headBytes;
  }

  /** Bytes of the whole response on the wire (head, body and any chunk framing). */
  int wireBytes() {
    return wireBytes;
  }

  /** The status line and headers of the last response, as text, once {@link #keepHeads()}. */
  String head() {
    return head;
  }

  String bodyText() {
    return new String(body, 0, bodyLength, StandardCharsets.UTF_8);
  }

  private void readResponse() throws IOException {
    int end = headEnd();
    int start = pos;
    headBytes = end - start;
    wireBytes = headBytes;
    parseHead(start, end);
    pos = end;
    bodyLength = 0;
    if (chunked) {
      readChunks();
    } else if (contentLength > 0) {
      readBody(contentLength);
    }
  }

  private void parseHead(int start, int end) throws IOException {
    status = (buffer[start + 9] - '0') * 100 + (buffer[start + 10] - '0') * 10
        + (buffer[start + 11] - '0');
    head = keepHeads
        ? new String(buffer, start, end - start, StandardCharsets.ISO_8859_1) : null;
    fhirJson = false;
    closeRequested = false;
    chunked = false;
    contentLength = 0;
    int line = indexOfCrlf(start, end) + 2;
    while (line < end - 2) {
      int lineEnd = indexOfCrlf(line, end);
      if (startsWithIgnoreCase(line, lineEnd, CONTENT_LENGTH)) {
        contentLength = parseDecimal(line + CONTENT_LENGTH.length, lineEnd);
      } else if (startsWithIgnoreCase(line, lineEnd, TRANSFER_ENCODING)) {
        chunked = containsIgnoreCase(line, lineEnd, CHUNKED);
      } else if (startsWithIgnoreCase(line, lineEnd, CONNECTION)) {
        closeRequested = containsIgnoreCase(line, lineEnd, CLOSE);
      } else if (startsWithIgnoreCase(line, lineEnd, CONTENT_TYPE)) {
        fhirJson = containsIgnoreCase(line, lineEnd, FHIR_JSON);
      }
      line = lineEnd + 2;
    }
  }

  /** Keeps the text of each response's head from now on (for a probe; costs a String each). */
  void keepHeads() {
    keepHeads = true;
  }

  private void readChunks() throws IOException {
    while (true) {
      int lineEnd = lineEnd();
      int lineStart = pos;
      int size = parseHex(lineStart, lineEnd);
      wireBytes += lineEnd + 2 - lineStart;
      pos = lineEnd + 2;
      if (size == 0) {
        while (true) { // trailers, up to the blank line
          int trailerEnd = lineEnd();
          int trailerStart = pos;
          wireBytes += trailerEnd + 2 - trailerStart;
          pos = trailerEnd + 2;
          if (trailerEnd == trailerStart) {
            return;
          }
        }
      }
      readBody(size);
      int crlfEnd = lineEnd() + 2;
      wireBytes += crlfEnd - pos;
      pos = crlfEnd;
    }
  }

  /** Appends the next {@code length} bytes to the body. */
  private void readBody(int length) throws IOException {
    if (bodyLength + length > body.length) {
      body = Arrays.copyOf(body, Math.max(body.length * 2, bodyLength + length));
    }
    int buffered = Math.min(length, limit - pos);
    System.arraycopy(buffer, pos, body, bodyLength, buffered);
    pos += buffered;
    bodyLength += buffered;
    int missing = length - buffered;
    while (missing > 0) {
      int read = in.read(body, bodyLength, missing);
      if (read < 0) {
        throw new EOFException("connection closed in the middle of a body");
      }
      bodyLength += read;
      missing -= read;
    }
    wireBytes += length;
  }

  /** Index just past the blank line that ends the head, reading as needed. */
  private int headEnd() throws IOException {
    int from = pos;
    while (true) {
      for (int i = Math.max(from, pos + 3); i < limit; i++) {
        if (buffer[i] == '\n' && buffer[i - 1] == '\r' && buffer[i - 2] == '\n'
            && buffer[i - 3] == '\r') {
          return i + 1;
        }
      }
      from = limit;
      int shift = pos;
      fill();
      from -= shift - pos;
    }
  }

  /** Index of the CR that ends the line starting at {@code pos}, reading as needed. */
  private int lineEnd() throws IOException {
    int from = pos;
    while (true) {
      for (int i = Math.max(from, pos + 1); i < limit; i++) {
        if (buffer[i] == '\n' && buffer[i - 1] == '\r') {
          return i - 1;
        }
      }
      from = limit;
      int shift = pos;
      fill();
      from -= shift - pos;
    }
  }

  /** Moves unread bytes to the start, grows the buffer if full, reads at least one byte. */
  private void fill() throws IOException {
    if (pos > 0) {
      System.arraycopy(buffer, pos, buffer, 0, limit - pos);
      limit -= pos;
      pos = 0;
    }
    if (limit == buffer.length) {
      buffer = Arrays.copyOf(buffer, buffer.length * 2);
    }
    int read = in.read(buffer, limit, buffer.length - limit);
    if (read < 0) {
      throw new EOFException("connection closed by the server");
    }
    limit += read;
  }

  private int indexOfCrlf(int from, int end) {
    for (int i = from; i + 1 < end; i++) {
      if (buffer[i] == '\r' && buffer[i + 1] == '\n') {
        return i;
      }
    }
    return end;
  }

  private boolean startsWithIgnoreCase(int from, int end, byte[] prefix) {
    if (end - from < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (lower(buffer[from + i]) != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  private boolean containsIgnoreCase(int from, int end, byte[] word) {
    for (int i = from; i + word.length <= end; i++) {
      int j = 0;
      while (j < word.length && lower(buffer[i + j]) == word[j]) {
        j++;
      }
      if (j == word.length) {
        return true;
      }
    }
    return false;
  }

  private int parseDecimal(int from, int end) throws IOException {
    int value = 0;
    boolean digits = false;
    for (int i = from; i < end; i++) {
      byte b = buffer[i];
      if (b >= '0' && b <= '9') {
        value = value * 10 + (b - '0');
        digits = true;
      } else if (b != ' ' && b != '\t') {
        break;
      }
    }
    if (!digits) {
      throw new IOException("bad Content-Length");
    }
    return value;
  }

  private int parseHex(int from, int end) throws IOException {
    int value = 0;
    int i = from;
    for (; i < end; i++) {
      int digit = Character.digit(buffer[i], 16);
      if (digit < 0) {
        break;
      }
      value = value * 16 + digit;
    }
    if (i == from) {
      throw new IOException("bad chunk size");
    }
    return value;
  }

  private static byte lower(byte b) {
    return b >= 'A' && b <= 'Z' ? (byte) (b + 32) : b;
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
