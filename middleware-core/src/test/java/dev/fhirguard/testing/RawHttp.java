package dev.fhirguard.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A tiny raw-socket HTTP/1.1 client for requests that {@code java.net.http.HttpClient} refuses to
 * send (bad URIs, CR in header values, oversized header blocks). Writes the bytes as given, then
 * reads the status line, every header line (duplicates kept, in order) and the body, by {@code
 * Content-Length}, chunked, or until the server closes the connection. Every read has a timeout.
 */
public final class RawHttp {

  private static final int TIMEOUT_MILLIS = 10_000;

  private RawHttp() {}

  /** One parsed response. */
  public record Response(int status, String statusLine, List<Map.Entry<String, String>> headers,
      byte[] bodyBytes) {

    /** Every value of {@code name} (case-insensitive), duplicates kept, in order. */
    public List<String> headers(String name) {
      return headers.stream()
          .filter(h -> h.getKey().equalsIgnoreCase(name))
          .map(Map.Entry::getValue)
          .collect(Collectors.toList());
    }

    /** The only value of {@code name}; fails when it is absent or repeated. */
    public String header(String name) {
      List<String> values = headers(name);
      if (values.size() != 1) {
        throw new AssertionError("expected exactly one " + name + " header but got " + values
            + " in " + statusLine + " " + headers);
      }
      return values.get(0);
    }

    public String body() {
      return new String(bodyBytes, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
      return statusLine + " " + headers + "\n" + body();
    }
  }

  /** Sends {@code text} encoded as ISO-8859-1 (one byte per char) and reads the answer. */
  public static Response exchange(int port, String text) {
    return exchange(port, text.getBytes(StandardCharsets.ISO_8859_1));
  }

  /** Sends {@code request} exactly as given and reads the answer (no body for a HEAD request). */
  public static Response exchange(int port, byte[] request) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), TIMEOUT_MILLIS);
      socket.setSoTimeout(TIMEOUT_MILLIS);
      OutputStream out = socket.getOutputStream();
      out.write(request);
      out.flush();
      boolean head = new String(request, 0, Math.min(5, request.length), StandardCharsets.ISO_8859_1)
          .equals("HEAD ");
      return read(new java.io.BufferedInputStream(socket.getInputStream()), head);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Sends {@code request} (several pipelined requests) and reads one response per entry of {@code
   * methods}, the method of the request it answers (a HEAD response has no body to read).
   */
  public static List<Response> exchangeAll(int port, String request, String... methods) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), TIMEOUT_MILLIS);
      socket.setSoTimeout(TIMEOUT_MILLIS);
      OutputStream out = socket.getOutputStream();
      out.write(request.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = new java.io.BufferedInputStream(socket.getInputStream());
      List<Response> responses = new ArrayList<>();
      for (String method : methods) {
        responses.add(read(in, "HEAD".equals(method)));
      }
      return responses;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A kept-alive connection: requests written when the test says, their answers read in order.
   * The server handles a connection's requests one after another, each once the one before it is
   * over, so a request written here is handled only after whatever came before it on the
   * connection has returned, not merely answered.
   */
  public static final class Connection implements AutoCloseable {
    private final Socket socket = new Socket();
    private final InputStream in;

    public Connection(int port) {
      try {
        socket.connect(new InetSocketAddress("127.0.0.1", port), TIMEOUT_MILLIS);
        socket.setSoTimeout(TIMEOUT_MILLIS);
        in = new java.io.BufferedInputStream(socket.getInputStream());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /** Writes {@code requests} (one or more, pipelined) as ISO-8859-1. */
    public void write(String requests) {
      try {
        OutputStream out = socket.getOutputStream();
        out.write(requests.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /** Reads the next answer (not to a HEAD request). */
    public Response read() {
      try {
        return RawHttp.read(in, false);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public void close() {
      try {
        socket.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** A GET request with {@code Connection: close} and the given extra header lines. */
  public static String get(String target, String... headerLines) {
    StringBuilder request = new StringBuilder("GET ").append(target).append(" HTTP/1.1\r\n")
        .append("Host: 127.0.0.1\r\n");
    for (String line : headerLines) {
      request.append(line).append("\r\n");
    }
    return request.append("Connection: close\r\n\r\n").toString();
  }

  private static Response read(InputStream in, boolean head) throws IOException {
    String statusLine = line(in);
    if (statusLine == null) {
      throw new IOException("connection closed before a status line");
    }
    String[] parts = statusLine.split(" ", 3);
    int status = Integer.parseInt(parts[1]);
    List<Map.Entry<String, String>> headers = new ArrayList<>();
    for (String line = line(in); line != null && !line.isEmpty(); line = line(in)) {
      int colon = line.indexOf(':');
      headers.add(colon < 0
          ? Map.entry(line, "")
          : Map.entry(line.substring(0, colon).trim(), line.substring(colon + 1).trim()));
    }
    List<String> lengths = headers.stream()
        .filter(h -> h.getKey().equalsIgnoreCase("Content-Length"))
        .map(Map.Entry::getValue).collect(Collectors.toList());
    boolean chunked = headers.stream()
        .anyMatch(h -> h.getKey().equalsIgnoreCase("Transfer-Encoding")
            && h.getValue().toLowerCase(Locale.ROOT).contains("chunked"));
    byte[] body;
    if (head || status == 204 || status == 304) {
      body = new byte[0];
    } else if (!lengths.isEmpty()) {
      body = in.readNBytes(Integer.parseInt(lengths.get(0)));
    } else if (chunked) {
      body = chunked(in);
    } else {
      body = untilClose(in);
    }
    return new Response(status, statusLine, List.copyOf(headers), body);
  }

  private static byte[] chunked(InputStream in) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    while (true) {
      String size = line(in);
      if (size == null) {
        return body.toByteArray();
      }
      int semicolon = size.indexOf(';');
      int length = Integer.parseInt((semicolon < 0 ? size : size.substring(0, semicolon)).trim(), 16);
      if (length == 0) {
        return body.toByteArray();
      }
      body.write(in.readNBytes(length));
      line(in);
    }
  }

  private static byte[] untilClose(InputStream in) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    byte[] chunk = new byte[4096];
    try {
      for (int n = in.read(chunk); n >= 0; n = in.read(chunk)) {
        body.write(chunk, 0, n);
      }
    } catch (SocketTimeoutException e) {
      // A server that keeps the connection open without a length: what came is the body.
    }
    return body.toByteArray();
  }

  /** One line without its CRLF (or LF), as ISO-8859-1; null at end of stream. */
  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b = in.read(); ; b = in.read()) {
      if (b < 0) {
        return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
      }
      if (b == '\n') {
        byte[] bytes = line.toByteArray();
        int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        return new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
      }
      line.write(b);
    }
  }
}
