package dev.fhirguard.spring;

import static dev.fhirguard.spring.testing.Outcomes.assertOutcome;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fhirguard.FhirGuardConfigException;
import dev.fhirguard.spring.testing.FhirApp;
import dev.fhirguard.spring.testing.Raw;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * Settings reach the guard from every place a Boot application keeps them: {@code fhir-app.yml},
 * a profile's file, environment variables (Kubernetes' service links of a Service named {@code
 * fhirguard} among them) and the command line, in Boot's precedence; a typo stops start-up.
 */
@ExtendWith(OutputCaptureExtension.class)
class SpringSettingsApplicationTest {

  private static ConfigurableApplicationContext app;
  private static int port;

  @BeforeAll
  static void startWithAProfileTheEnvironmentAndAnArgument() {
    StandardEnvironment environment = new StandardEnvironment();
    environment.getPropertySources().replace(
        StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
        new SystemEnvironmentPropertySource(
            StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
            Map.of("FHIRGUARD_AUTH_ENABLED", "false",
                "FHIRGUARD_SERVICE_HOST", "10.96.0.12",
                "FHIRGUARD_PORT_443_TCP", "tcp://10.96.0.12:443")));
    app = FhirApp.builder().environment(environment).profiles("pretty")
        .run("--fhirguard.request-id.accept-client-id=false");
    port = ((WebServerApplicationContext) app).getWebServer().getPort();
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  @Test
  void an_environment_variable_overrides_the_yml() {
    // fhir-app.yml enables auth; FHIRGUARD_AUTH_ENABLED=false wins, as in Boot.
    Raw.Response response = Raw.send(port, "GET", "/fhir/Patient/1", null);
    assertEquals(200, response.status(), response::toString);
  }

  @Test
  void a_profile_file_takes_effect() {
    // An outcome fhirguard renders itself (HAPI's follow HAPI's own settings).
    Raw.Response response = Raw.send(port, "GET", "/nowhere", null);
    assertOutcome(response, 404, "NOT_FOUND");
    assertTrue(response.body().contains("\n  \"resourceType\""), response::toString);
  }

  @Test
  void a_command_line_argument_takes_effect() {
    Raw.Response response =
        Raw.send(port, "GET", "/fhir/Patient/1", null, "X-Request-ID", "client-chosen-id");
    assertNotEquals("client-chosen-id", response.header("X-Request-ID"));
    assertEquals("client-chosen-id", response.header("X-Correlation-Id"));
  }

  @Test
  void the_start_up_log_names_where_each_setting_came_from(CapturedOutput output) {
    assertTrue(output.getAll().contains("fhirguard.auth.enabled (System Environment Property"
        + " \"FHIRGUARD_AUTH_ENABLED\")"), output::getAll);
    assertTrue(output.getAll().contains(
        "fhirguard.outcome.pretty-print (class path resource [fhir-app-pretty.yml] - 4:19)"),
        output::getAll);
  }

  @Test
  void boots_console_log_lines_carry_the_transaction_id(CapturedOutput output) {
    Raw.Response response = Raw.send(port, "GET", "/api/hello", null);
    String requestId = response.header("X-Request-ID");
    String line = output.getAll().lines()
        .filter(l -> l.contains("hello from the api") && l.contains("[" + requestId + "]"))
        .findFirst().orElse(null);
    assertTrue(line != null, () -> "no log line with [" + requestId + "] in " + output.getAll());
  }

  @Test
  void a_misspelt_key_in_a_profile_stops_start_up_with_the_file_and_line(CapturedOutput output) {
    Throwable failure = assertThrows(Throwable.class,
        () -> FhirApp.builder().profiles("typo").run().close());
    Throwable cause = NestedExceptionUtils.getMostSpecificCause(failure);
    assertTrue(cause instanceof FhirGuardConfigException, failure::toString);
    String problem = "fhirguard.auth.enabeld (from class path resource [fhir-app-typo.yml] - 4:14):"
        + " unknown fhirguard setting (did you mean fhirguard.auth.enabled?)";
    assertTrue(cause.getMessage().contains(problem), cause::getMessage);
    assertTrue(output.getAll().contains("APPLICATION FAILED TO START"), output::getAll);
    assertTrue(output.getAll().contains("Correct or remove each fhirguard setting listed above"),
        output::getAll);
  }
}
