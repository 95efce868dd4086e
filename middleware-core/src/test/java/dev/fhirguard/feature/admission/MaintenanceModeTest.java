package dev.fhirguard.feature.admission;

import static dev.fhirguard.testing.Outcomes.assertError;
import static dev.fhirguard.testing.Outcomes.diagnostics;
import static dev.fhirguard.testing.Outcomes.requestId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.fhirguard.FhirGuard;
import dev.fhirguard.testing.TestServer;
import dev.fhirguard.testing.LogCapture;
import dev.fhirguard.testing.TestClock;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Maintenance mode over real HTTP: switched by property, by {@link FhirGuard#maintenance(boolean)}
 * and by a file. The file is looked up at most once a second of a {@link TestClock} that the
 * tests move, so nothing sleeps.
 */
class MaintenanceModeTest {

  private static final String DOWN_TEXT =
      "The server is down for scheduled maintenance. Please retry after 300 seconds.";

  private final TestClock clock = TestClock.atNow();
  private final LogCapture logs = new LogCapture();
  @TempDir Path temp;
  private TestServer server;

  @AfterEach
  void stop() {
    logs.close();
    if (server != null) {
      server.close();
    }
  }

  private FhirGuard start(Map<String, String> more) {
    Map<String, String> settings = new HashMap<>(
        Map.of("fhirguard.maintenance.exempt-paths", "/fhir/metadata, /plain/ok/*"));
    settings.putAll(more);
    server = TestServer.tokenApp().settings(settings).clock(clock).start();
    return server.guard();
  }

  private void assertDown(String path) {
    assertError(server.get(path), 503, "MAINTENANCE");
  }

  private void assertUp(String path) {
    HttpResponse<String> response = server.get(path);
    assertEquals(200, response.statusCode(), response.body());
  }

  private List<String> maintenanceLog(Level level) {
    return logs.at(level).stream()
        .filter(event -> event.getLoggerName().startsWith("dev.fhirguard.internal.admission"))
        .map(ILoggingEvent::getFormattedMessage).toList();
  }

  @Test
  void switched_on_by_property_every_request_gets_503_maintenance_with_retry_after() {
    start(Map.of("fhirguard.maintenance.enabled", "true"));

    HttpResponse<String> response = server.get("/fhir/Patient/1");

    OperationOutcome outcome = assertError(response, 503, "MAINTENANCE", false);
    assertEquals("transient", outcome.getIssueFirstRep().getCode().toCode());
    assertEquals(DOWN_TEXT + " Transaction id: " + requestId(response), diagnostics(outcome));
    assertEquals("300", response.headers().firstValue("Retry-After").orElseThrow());
    assertEquals("no-store", response.headers().firstValue("Cache-Control").orElseThrow());
    assertDown("/plain/text/200");
    assertDown("/nowhere");
    assertTrue(server.guard().inMaintenance());
    assertEquals(List.of("Maintenance mode is on from start-up (fhirguard.maintenance.enabled=true)"),
        maintenanceLog(Level.INFO));
  }

  @Test
  void exempt_paths_are_served_during_maintenance() {
    start(Map.of("fhirguard.maintenance.enabled", "true"));

    assertUp("/fhir/metadata");
    assertUp("/plain/ok");
    assertDown("/fhir/metadata/more");
    assertDown("/plain/okay");
  }

  @Test
  void the_refusal_speaks_the_negotiated_format_and_a_head_gets_no_body() {
    start(Map.of("fhirguard.maintenance.enabled", "true",
        "fhirguard.maintenance.retry-after", "1s"));

    HttpResponse<String> xml = server.get("/fhir/Patient/1?_format=xml");
    assertTrue(diagnostics(assertError(xml, 503, "MAINTENANCE", true)).startsWith(
        "The server is down for scheduled maintenance. Please retry after 1 second. "));
    assertEquals("1", xml.headers().firstValue("Retry-After").orElseThrow());

    HttpResponse<String> head = server.send("HEAD", "/fhir/Patient/1", null);
    assertEquals(503, head.statusCode());
    assertEquals("", head.body());
    assertEquals("1", head.headers().firstValue("Retry-After").orElseThrow());
  }

  @Test
  void the_api_switches_maintenance_on_and_off_at_runtime_and_logs_each_change_once() {
    FhirGuard guard = start(Map.of());
    assertUp("/plain/text/200");
    assertFalse(guard.inMaintenance());

    guard.maintenance(true);
    guard.maintenance(true);
    assertTrue(guard.inMaintenance());
    assertDown("/plain/text/200");
    assertUp("/fhir/metadata");

    guard.maintenance(false);
    assertFalse(guard.inMaintenance());
    assertUp("/plain/text/200");
    assertEquals(List.of("Maintenance mode switched on by the API",
        "Maintenance mode switched off by the API"), maintenanceLog(Level.INFO));
  }

  @Test
  void the_api_switches_off_a_maintenance_that_started_by_property() {
    FhirGuard guard = start(Map.of("fhirguard.maintenance.enabled", "true"));
    assertDown("/plain/text/200");

    guard.maintenance(false);

    assertUp("/plain/text/200");
  }

  @Test
  void creating_and_deleting_the_file_switches_maintenance_seen_at_the_next_look_up()
      throws IOException {
    Path file = temp.resolve("maintenance");
    FhirGuard guard = start(Map.of("fhirguard.maintenance.file", file.toString()));
    assertUp("/plain/text/200");

    Files.createFile(file);
    assertUp("/plain/text/200"); // looked up less than a second ago
    clock.advance(Duration.ofMillis(999));
    assertUp("/plain/text/200");
    assertFalse(guard.inMaintenance());
    clock.advance(Duration.ofMillis(1));
    assertDown("/plain/text/200");
    assertTrue(guard.inMaintenance());
    assertUp("/fhir/metadata");

    Files.delete(file);
    clock.advance(Duration.ofMillis(500));
    assertDown("/plain/text/200");
    clock.advance(Duration.ofMillis(500));
    assertUp("/plain/text/200");
    assertFalse(guard.inMaintenance());
    assertEquals(List.of("Maintenance mode on: the maintenance file " + file + " appeared",
        "Maintenance mode off: the maintenance file " + file + " is gone"),
        maintenanceLog(Level.INFO));
  }

  @Test
  void a_clock_set_back_looks_the_file_up_at_the_next_request() throws IOException {
    Path file = temp.resolve("maintenance");
    start(Map.of("fhirguard.maintenance.file", file.toString()));
    assertUp("/plain/text/200");

    Files.createFile(file);
    clock.advance(Duration.ofMillis(-1));

    assertDown("/plain/text/200");
  }

  @Test
  void a_file_present_at_start_up_means_maintenance_from_the_first_request() throws IOException {
    Path file = Files.createFile(temp.resolve("maintenance"));

    start(Map.of("fhirguard.maintenance.file", file.toString()));

    assertDown("/plain/text/200");
    assertEquals(List.of("Maintenance mode is on: the maintenance file " + file + " exists"),
        maintenanceLog(Level.INFO));
  }

  @Test
  void while_the_file_exists_the_api_cannot_switch_maintenance_off() throws IOException {
    Path file = Files.createFile(temp.resolve("maintenance"));
    FhirGuard guard = start(Map.of("fhirguard.maintenance.file", file.toString()));
    guard.maintenance(true);

    guard.maintenance(false);

    assertTrue(guard.inMaintenance());
    assertDown("/plain/text/200");
    assertTrue(maintenanceLog(Level.INFO).contains("Maintenance switched off by the API;"
        + " maintenance mode stays on while the maintenance file " + file + " exists"));
    Files.delete(file);
    clock.advance(Duration.ofSeconds(1));
    assertUp("/plain/text/200");
  }

  @Test
  void deleting_the_file_keeps_a_maintenance_switched_on_by_the_api() throws IOException {
    Path file = Files.createFile(temp.resolve("maintenance"));
    FhirGuard guard = start(Map.of("fhirguard.maintenance.file", file.toString()));
    guard.maintenance(true);

    Files.delete(file);
    clock.advance(Duration.ofSeconds(1));

    assertDown("/plain/text/200");
    guard.maintenance(false);
    assertUp("/plain/text/200");
  }

  @Test
  void a_file_path_that_cannot_be_looked_up_breaks_no_request_and_is_logged_once()
      throws IOException {
    Path notADirectory = Files.createFile(temp.resolve("plain-file"));
    FhirGuard guard = start(
        Map.of("fhirguard.maintenance.file", notADirectory.resolve("maintenance").toString()));

    for (int i = 0; i < 3; i++) {
      assertUp("/plain/text/200");
      clock.advance(Duration.ofSeconds(1));
    }
    guard.maintenance(true);
    assertDown("/plain/text/200");

    assertEquals(1, maintenanceLog(Level.WARN).size(), () -> LogCapture.render(logs.events()));
    assertTrue(maintenanceLog(Level.WARN).get(0).startsWith("Cannot tell whether the maintenance"
        + " file " + notADirectory.resolve("maintenance") + " exists"));
  }

  @Test
  void a_failing_look_up_keeps_the_last_answer_until_the_file_can_be_looked_up_again()
      throws IOException {
    Path directory = Files.createDirectory(temp.resolve("switches"));
    Path file = Files.createFile(directory.resolve("maintenance"));
    start(Map.of("fhirguard.maintenance.file", file.toString()));
    assertDown("/plain/text/200");

    Files.delete(file);
    Files.delete(directory);
    Files.createFile(directory); // the parent is now a plain file: the look-up fails
    clock.advance(Duration.ofSeconds(1));
    assertDown("/plain/text/200");
    clock.advance(Duration.ofSeconds(1));
    assertDown("/plain/text/200");

    Files.delete(directory);
    Files.createDirectory(directory);
    clock.advance(Duration.ofSeconds(1));
    assertUp("/plain/text/200");
    assertEquals(1, maintenanceLog(Level.WARN).size(), () -> LogCapture.render(logs.events()));
  }

  @Test
  void an_unreadable_directory_breaks_no_request() throws IOException {
    assumeFalse("root".equals(System.getProperty("user.name")), "root reads any directory");
    Path directory = Files.createDirectory(temp.resolve("locked"));
    Path file = directory.resolve("maintenance");
    start(Map.of("fhirguard.maintenance.file", file.toString()));
    Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("---------"));
    try {
      clock.advance(Duration.ofSeconds(1));
      assertUp("/plain/text/200");
      assertEquals(1, maintenanceLog(Level.WARN).size(), () -> LogCapture.render(logs.events()));
    } finally {
      Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
    }
  }
}
