package dev.fhirguard.redis.internal;

import dev.fhirguard.FhirGuardConfigException;
import dev.fhirguard.cluster.ClusterSettings;
import io.lettuce.core.RedisURI;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The Redis server of the cluster settings: {@code redis://[user:password@]host[:port][/db]}, or
 * {@code rediss://} for TLS. Every problem is reported at once, and never with the password.
 */
record RedisEndpoint(RedisURI uri, String display) {

  private static final String KEY = "fhirguard.cluster.redis-url: ";

  static RedisEndpoint of(ClusterSettings settings) {
    List<String> problems = new ArrayList<>();
    URI url = parse(settings.url().trim(), problems);
    if (url == null) {
      throw new FhirGuardConfigException(problems);
    }
    String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("redis") && !scheme.equals("rediss")) {
      problems.add(KEY + "the scheme must be redis:// or rediss:// (TLS), not '"
          + clean(scheme) + "://'");
    }
    if (url.getHost() == null || url.getHost().isEmpty()) {
      problems.add(KEY + "no host (expected redis://host:port)");
    }
    int port = url.getPort() < 0 ? RedisURI.DEFAULT_REDIS_PORT : url.getPort();
    if (port < 1 || port > 65535) {
      problems.add(KEY + "the port must be from 1 to 65535");
    }
    int database = database(url.getRawPath(), problems);
    if (url.getRawQuery() != null || url.getRawFragment() != null) {
      problems.add(KEY + "no query or fragment: timeouts and the password are"
          + " fhirguard.cluster.* settings");
    }
    Credentials credentials = credentials(url.getRawUserInfo(), settings.password(), problems);
    if (!problems.isEmpty()) {
      throw new FhirGuardConfigException(problems);
    }
    RedisURI.Builder uri = RedisURI.Builder.redis(url.getHost(), port)
        .withSsl(scheme.equals("rediss"))
        .withDatabase(database)
        // the connection handshake's timeout (a cold JVM needs more than a command); commands
        // time out after settings.timeout() (RedisLink's TimeoutOptions)
        .withTimeout(settings.connectTimeout())
        .withClientName("fhirguard");
    if (credentials.password() != null && credentials.user() != null) {
      uri.withAuthentication(credentials.user(), credentials.password().toCharArray());
    } else if (credentials.password() != null) {
      uri.withPassword(credentials.password().toCharArray());
    }
    return new RedisEndpoint(uri.build(), settings.maskedUrl());
  }

  @Override
  public String toString() {
    return display;
  }

  private static URI parse(String text, List<String> problems) {
    try {
      URI url = new URI(text);
      if (!url.isAbsolute() || url.isOpaque()) {
        problems.add(KEY + "not a URL (expected redis://host:port or rediss://host:port)");
        return null;
      }
      if (url.getHost() == null && url.getRawAuthority() != null) {
        problems.add(KEY + "the host is not a valid host name or address");
        return null;
      }
      return url;
    } catch (URISyntaxException e) {
      // the reason and index only: the input may hold a password
      problems.add(KEY + "not a valid URL (" + clean(e.getReason()) + " at index " + e.getIndex()
          + ")");
      return null;
    }
  }

  private static int database(String path, List<String> problems) {
    if (path == null || path.isEmpty() || path.equals("/")) {
      return 0;
    }
    String number = path.substring(1);
    if (number.matches("[0-9]{1,5}")) {
      return Integer.parseInt(number);
    }
    problems.add(KEY + "the path must be a database number (/0), not '" + clean(path) + "'");
    return 0;
  }

  /** Lettuce's reading of the user info: {@code user:password}, {@code :password} or a password. */
  private static Credentials credentials(String userInfo, String password, List<String> problems) {
    String user = null;
    String inUrl = null;
    if (userInfo != null) {
      int colon = userInfo.indexOf(':');
      try {
        user = colon > 0 ? decode(userInfo.substring(0, colon)) : null;
        inUrl = decode(colon < 0 ? userInfo : userInfo.substring(colon + 1));
      } catch (IllegalArgumentException e) { // its message quotes the text: not shown
        problems.add(KEY + "the user name or password is not valid %-encoding");
      }
      inUrl = inUrl == null || inUrl.isEmpty() ? null : inUrl;
    }
    if (inUrl != null && password != null) {
      problems.add(KEY + "holds a password and fhirguard.cluster.password is set too: give it in"
          + " one place");
    }
    return new Credentials(user, inUrl != null ? inUrl : password);
  }

  private static String decode(String text) {
    return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  /** Shown in an error message: printable, short. */
  private static String clean(String text) {
    String printable = text == null ? "" : text.replaceAll("[^\\x20-\\x7e]", "?");
    return printable.length() > 80 ? printable.substring(0, 80) + "..." : printable;
  }

  private record Credentials(String user, String password) {}
}
