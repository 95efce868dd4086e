package dev.fhirguard.testing;

import dev.fhirguard.VerifiedClient;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.security.Principal;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Echoes who the application thinks called it, one {@code name=value} line each: the principal,
 * remote user, auth type, the {@link VerifiedClient} attribute (client id, subject, scopes,
 * claims as {@code claim.<name>}) and the MDC (as {@code mdc.<key>}). Logs one INFO line.
 */
public final class WhoAmIServlet extends HttpServlet {

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    LoggerFactory.getLogger(WhoAmIServlet.class).info("whoami served");
    Map<String, String> lines = new TreeMap<>();
    Principal principal = request.getUserPrincipal();
    lines.put("principal", principal == null ? "" : principal.getName());
    lines.put("principalIsClient", String.valueOf(principal instanceof VerifiedClient));
    lines.put("remoteUser", String.valueOf(request.getRemoteUser()));
    lines.put("authType", String.valueOf(request.getAuthType()));
    VerifiedClient client = VerifiedClient.of(request);
    if (client != null) {
      lines.put("clientId", client.clientId());
      lines.put("subject", client.subject());
      lines.put("scopes", String.join(" ", client.scopes()));
      lines.put("expiresAt", client.expiresAt().toString());
      client.claims().forEach((name, value) -> lines.put("claim." + name, String.valueOf(value)));
    }
    Map<String, String> mdc = MDC.getCopyOfContextMap();
    if (mdc != null) {
      mdc.forEach((key, value) -> lines.put("mdc." + key, value));
    }
    response.setContentType("text/plain;charset=utf-8");
    StringBuilder body = new StringBuilder();
    lines.forEach((name, value) -> body.append(name).append('=').append(value).append('\n'));
    response.getWriter().write(body.toString());
  }

  /** Parses a body this servlet wrote. */
  public static Map<String, String> parse(String body) {
    Map<String, String> lines = new TreeMap<>();
    for (String line : body.split("\n")) {
      int equals = line.indexOf('=');
      if (equals > 0) {
        lines.put(line.substring(0, equals), line.substring(equals + 1));
      }
    }
    return lines;
  }
}
