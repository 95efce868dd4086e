package dev.fhirguard.demo.admin;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Demo only: the base of the sample's {@code /admin/*} switches. Answers callers on this machine
 * only (loopback); anyone else gets a 403. Answers are one line of plain text.
 */
public abstract class LoopbackAdminServlet extends HttpServlet {

  private static final long serialVersionUID = 1L;

  private final String what;

  /** @param what the switch, as named in the 403 ("the backend switch") */
  protected LoopbackAdminServlet(String what) {
    this.what = what;
  }

  @Override
  protected void service(HttpServletRequest request, HttpServletResponse response)
      throws IOException, ServletException {
    if (!isLoopback(request.getRemoteAddr())) {
      response.sendError(403, "The " + what + " answers only on this machine (loopback).");
      return;
    }
    super.service(request, response);
  }

  /**
   * Whether {@code remoteAddress} (a literal IP address, as {@code getRemoteAddr} gives it) is
   * this machine's loopback: 127.0.0.0/8 or ::1.
   */
  public static boolean isLoopback(String remoteAddress) {
    if (remoteAddress == null || remoteAddress.isEmpty()
        || !remoteAddress.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == '.'
            || c == ':' || c == '[' || c == ']')) {
      return false; // not an address literal: never resolve a name here
    }
    try {
      return InetAddress.getByName(remoteAddress).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  /** Answers {@code line} as plain text. */
  protected static void text(HttpServletResponse response, String line) throws IOException {
    response.setContentType("text/plain;charset=utf-8");
    response.getWriter().println(line);
  }
}
