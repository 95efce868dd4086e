package dev.fhirguard.demo.auth;

import static dev.fhirguard.demo.auth.AuthServerFixture.basic;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** One safe log line per refused token request. */
class RefusalLoggingTest {

  private static AuthServerFixture server;
  private final Logger logger = (Logger) LoggerFactory.getLogger("dev.fhirguard.demo.auth");
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

  @BeforeAll
  static void start() throws Exception {
    server = AuthServerFixture.start();
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  @BeforeEach
  void capture() {
    appender.start();
    logger.addAppender(appender);
  }

  @AfterEach
  void release() {
    logger.detachAppender(appender);
  }

  private List<String> lines() {
    return appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
  }

  @Test
  void wrong_secret_is_logged_once_without_the_secret() throws Exception {
    server.postToken("grant_type=client_credentials",
        "Authorization", basic("writer", "not-the-writer-secret"));

    assertEquals(1, lines().size(), lines().toString());
    String line = lines().get(0);
    assertTrue(line.contains("refused: HTTP 401 invalid_client client=writer"), line);
    assertFalse(line.contains("not-the-writer-secret"), line);
  }

  @Test
  void assertion_is_never_logged() throws Exception {
    String assertion = TestAssertion.of("reader", "http://elsewhere/token").sign();

    server.postToken(TestAssertion.form(assertion));

    assertEquals(1, lines().size(), lines().toString());
    assertTrue(lines().get(0).contains("client=reader"), lines().get(0));
    assertFalse(lines().get(0).contains(assertion.substring(assertion.lastIndexOf('.'))));
  }

  @Test
  void client_id_is_stripped_of_line_breaks_and_cut() throws Exception {
    String forged = "evil%0D%0AINFO+forged+line" + "x".repeat(100);

    server.postToken("grant_type=client_credentials&client_id=" + forged);

    String line = lines().get(0);
    assertFalse(line.contains("\n") || line.contains("\r"), line);
    assertTrue(line.contains("client=evilINFO forged line" + "x".repeat(44) + "..."), line);
  }

  @Test
  void the_log_names_the_reason_that_the_answer_keeps_to_itself() throws Exception {
    server.postToken("grant_type=client_credentials",
        "Authorization", basic("writer", "not-the-writer-secret"));
    server.postToken("grant_type=client_credentials",
        "Authorization", basic("nobody", "not-the-writer-secret"));

    assertEquals(2, lines().size(), lines().toString());
    assertTrue(lines().get(0).contains("wrong secret"), lines().get(0));
    assertTrue(lines().get(1).contains("unknown client"), lines().get(1));
  }

  @Test
  void scopes_are_logged_without_control_or_line_break_characters() throws Exception {
    for (String scope : List.of("system/Patient.rs?x=%C2%85INFO+forged",
        "system/Patient.rs?x=%E2%80%A8INFO+forged", "system/Patient.rs%0D%0AINFO+forged")) {
      server.postToken("grant_type=client_credentials&scope=" + scope,
          "Authorization", basic("admin", "admin-secret"));
    }

    assertEquals(3, lines().size(), lines().toString());
    for (String line : lines()) {
      assertTrue(line.chars().noneMatch(c -> Character.isISOControl(c) || c == '\u2028'), line);
    }
  }
}
