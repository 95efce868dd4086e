package dev.fhirguard.spring.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket to 127.0.0.1, one request per connection ({@code Connection:
 * close}): every header line is kept as sent, duplicates included, and requests {@code
 * java.net.http} refuses (a broken {@code %}-escape, TRACE) can be sent.
 */
public final class Raw {

  /** A bound against a hung server, not a timing check: generous for a loaded machine. */
  private static final int TIMEOUT_MILLIS = 60_000;

  private Raw() {}

  /** One response: its status, every header line in order, and its body as UTF-8. */
  public record Response(int status, List<Map.Entry<String, String>> headers, String body) {

    /** Every value of {@code name}, case-insensitive, duplicates kept. */
    public List<String> headers(String name) {
      return headers.stream().filter(h -> h.getKey().equalsIgnoreCase(name))
          .map(Map.Entry::getValue).toList();
    }

    /** The only value of {@code name}; fails when it is absent or repeated. */
    public String header(String name) {
      List<String> values = headers(name);
      if (values.size() != 1) {
        throw new AssertionError("expected one " + name + " header, got " + values + " in " + this);
      }
      return values.get(0);
    }

    @Override
    public String toString() {
      return status + " " + headers + "\n" + body;
    }
  }

  /** {@code method target} with a Host header, these header name/value pairs and a body. */
  public static Response send(int port, String method, String target, String body,
      String... headers) {
    StringBuilder request = new StringBuilder(method).append(' ').append(target)
        .append(" HTTP/1.1\r\nHost: 127.0.0.1:").append(port).append("\r\nConnection: close\r\n");
    for (int i = 0; i + 1 < headers.length; i += 2) {
      request.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
    }
    byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
    if (body != null) {
      request.append("Content-Length: ").append(content.length).append("\r\n");
    }
    byte[] head = request.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
    byte[] bytes = new byte[head.length + content.length];
    System.arraycopy(head, 0, bytes, 0, head.length);
    System.arraycopy(content, 0, bytes, head.length, content.length);
    return exchange(port, bytes, method.equals("HEAD"));
  }

  /** Sends {@code request} exactly as given and reads the answer until the server closes. */
  public static Response exchange(int port, byte[] request, boolean head) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), TIMEOUT_MILLIS);
      socket.setSoTimeout(TIMEOUT_MILLIS);
      socket.getOutputStream().write(request);
      socket.getOutputStream().flush();
      return parse(socket.getInputStream().readAllBytes(), head);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Response parse(byte[] bytes, boolean head) throws IOException {
    String text = new String(bytes, StandardCharsets.ISO_8859_1);
    int end = text.indexOf("\r\n\r\n");
    if (end < 0) {
      throw new IOException("no complete response head in: " + text);
    }
    String[] lines = text.substring(0, end).split("\r\n");
    List<Map.Entry<String, String>> headers = new ArrayList<>();
    boolean chunked = false;
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      String name = lines[i].substring(0, colon).trim();
      String value = lines[i].substring(colon + 1).trim();
      headers.add(Map.entry(name, value));
      chunked |= name.equalsIgnoreCase("Transfer-Encoding")
          && value.toLowerCase(Locale.ROOT).contains("chunked");
    }
    byte[] body = head ? new byte[0] : java.util.Arrays.copyOfRange(bytes, end + 4, bytes.length);
    return new Response(Integer.parseInt(lines[0].split(" ")[1]), List.copyOf(headers),
        new String(chunked ? dechunk(body) : body, StandardCharsets.UTF_8));
  }

  private static byte[] dechunk(byte[] chunked) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    InputStream in = new java.io.ByteArrayInputStream(chunked);
    try {
      while (true) {
        String size = line(in).split(";")[0].trim();
        int length = size.isEmpty() ? 0 : Integer.parseInt(size, 16);
        if (length == 0) {
          return body.toByteArray();
        }
        body.write(in.readNBytes(length));
        line(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String line(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    for (int b = in.read(); b >= 0 && b != '\n'; b = in.read()) {
      if (b != '\r') {
        line.append((char) b);
      }
    }
    return line.toString();
  }
}
