package dev.fhirguard.feature.auth;

import static dev.fhirguard.testing.ScopeAsserts.assertRefused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fhirguard.FhirGuard;
import dev.fhirguard.FhirGuardConfig;
import dev.fhirguard.testing.Outcomes;
import dev.fhirguard.testing.ScopeAsserts;
import dev.fhirguard.testing.ScopeTokens;
import dev.fhirguard.testing.ScopedFhirServer;
import dev.fhirguard.testing.TestServer;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * SMART scopes over HTTP against a real HAPI server: each interaction is let through by the scope
 * it needs (and reaches the provider) and refused with 403 by a near miss (and does not).
 */
class ScopeEnforcementTest {

  private static final String PATIENT_JSON = "{\"resourceType\":\"Patient\"}";
  private static final String PATIENT_1_JSON = "{\"resourceType\":\"Patient\",\"id\":\"1\"}";
  private static final String JSON_PATCH =
      "[{\"op\":\"replace\",\"path\":\"/active\",\"value\":true}]";
  private static final String PARAMETERS_JSON = "{\"resourceType\":\"Parameters\"}";

  @RegisterExtension
  static final TestServer server = ScopedFhirServer.appWithTestTokens().perClass();

  @RegisterExtension
  static final TestServer unenforced =
      ScopedFhirServer.appWithTestTokens()
          .settings(Map.of("fhirguard.scopes.enforce", "false")).perClass();

  /** One request: method, path below the server, body and its content type (null: none). */
  record Call(String method, String path, String body, String type) {
    static Call get(String path) {
      return new Call("GET", path, null, null);
    }

    static Call json(String method, String path, String body) {
      return new Call(method, path, body, "application/fhir+json");
    }

    HttpResponse<String> send(TestServer to, String scopes, String... moreHeaders) {
      List<String> headers = new java.util.ArrayList<>(List.of(ScopeTokens.bearer(scopes)));
      if (type != null) {
        headers.add("Content-Type");
        headers.add(type);
      }
      headers.addAll(List.of(moreHeaders));
      return to.send(method, path, body, headers.toArray(String[]::new));
    }

    /** The action as fhirguard names it: method and path below the FHIR base, no query. */
    String action() {
      String below = path.replaceFirst("^/fhir/?", "").replaceFirst("\\?.*", "");
      return method + " " + (below.isEmpty() ? "/" : below);
    }

    @Override
    public String toString() {
      return method + " " + path;
    }
  }

  static final Call READ = Call.get("/fhir/Patient/1");
  static final Call VREAD = Call.get("/fhir/Patient/1/_history/2");
  static final Call HISTORY_INSTANCE = Call.get("/fhir/Patient/1/_history");
  static final Call HISTORY_TYPE = Call.get("/fhir/Patient/_history");
  static final Call SEARCH = Call.get("/fhir/Patient?name=Chalmers");
  static final Call SEARCH_POST = new Call("POST", "/fhir/Patient/_search", "name=Chalmers",
      "application/x-www-form-urlencoded");
  static final Call CREATE = Call.json("POST", "/fhir/Patient", PATIENT_JSON);
  static final Call UPDATE = Call.json("PUT", "/fhir/Patient/1", PATIENT_1_JSON);
  static final Call PATCH =
      new Call("PATCH", "/fhir/Patient/1", JSON_PATCH, "application/json-patch+json");
  static final Call DELETE = new Call("DELETE", "/fhir/Patient/1", null, null);
  static final Call SYSTEM_SEARCH = Call.get("/fhir?_type=Patient,Observation");
  static final Call SYSTEM_HISTORY = Call.get("/fhir/_history");
  static final Call IDEMPOTENT_OPERATION = Call.get("/fhir/Patient/1/$summary");
  static final Call POST_ONLY_OPERATION = Call.json("POST", "/fhir/Patient/$merge", PARAMETERS_JSON);

  static List<Arguments> allowed() {
    return List.of(
        // v2, exactly the letter needed
        Arguments.of("system/Patient.r", READ, 200, "Patient.read"),
        Arguments.of("system/Patient.r", VREAD, 200, "Patient.vread"),
        Arguments.of("system/Patient.r", HISTORY_INSTANCE, 200, "Patient.history-instance"),
        Arguments.of("system/Patient.s", HISTORY_TYPE, 200, "Patient.history-type"),
        Arguments.of("system/Patient.s", SEARCH, 200, "Patient.search"),
        Arguments.of("system/Patient.s", SEARCH_POST, 200, "Patient.search"),
        Arguments.of("system/Patient.c", CREATE, 201, "Patient.create"),
        Arguments.of("system/Patient.u", UPDATE, 200, "Patient.update"),
        Arguments.of("system/Patient.u", PATCH, 200, "Patient.patch"),
        Arguments.of("system/Patient.d", DELETE, 204, "Patient.delete"),
        Arguments.of("system/Patient.s system/Observation.s", SYSTEM_SEARCH, 200, "system.search"),
        Arguments.of("system/*.s", SYSTEM_SEARCH, 200, "system.search"),
        Arguments.of("system/*.s", SYSTEM_HISTORY, 200, "system.history"),
        Arguments.of("system/Patient.r", IDEMPOTENT_OPERATION, 200, "Patient.$summary"),
        Arguments.of("system/Patient.u", POST_ONLY_OPERATION, 200, "Patient.$merge"),
        // v1 words
        Arguments.of("system/Patient.read", READ, 200, "Patient.read"),
        Arguments.of("system/Patient.read", SEARCH, 200, "Patient.search"),
        Arguments.of("system/Patient.write", CREATE, 201, "Patient.create"),
        Arguments.of("system/Patient.write", UPDATE, 200, "Patient.update"),
        Arguments.of("system/Patient.write", DELETE, 204, "Patient.delete"),
        Arguments.of("system/Patient.*", PATCH, 200, "Patient.patch"),
        Arguments.of("system/Patient.*", VREAD, 200, "Patient.vread"),
        // every type
        Arguments.of("system/*.cruds", DELETE, 204, "Patient.delete"),
        Arguments.of("system/*.read", HISTORY_TYPE, 200, "Patient.history-type"),
        Arguments.of("system/*.*", CREATE, 201, "Patient.create"),
        // user and patient contexts, alone and among other scopes
        Arguments.of("user/Patient.rs", READ, 200, "Patient.read"),
        Arguments.of("patient/Patient.r", READ, 200, "Patient.read"),
        Arguments.of("openid fhirUser launch/patient patient/*.cruds offline_access", UPDATE, 200,
            "Patient.update"));
  }

  @ParameterizedTest(name = "[{0}] permits {1}")
  @MethodSource("allowed")
  void the_scope_an_interaction_needs_lets_it_reach_the_provider(
      String scopes, Call call, int status, String providerMethod) {
    int before = server.servlet(ScopedFhirServer.class).calls(providerMethod);
    HttpResponse<String> response = call.send(server, scopes);
    assertEquals(status, response.statusCode(), () -> call + ": " + response.body());
    assertEquals(before + 1, server.servlet(ScopedFhirServer.class).calls(providerMethod),
        "provider calls");
    assertTrue(response.headers().allValues("WWW-Authenticate").isEmpty());
  }

  static List<Arguments> refused() {
    return List.of(
        Arguments.of("system/Patient.s", READ, "system/Patient.r"),
        Arguments.of("system/Patient.cruds?name=x", READ, "system/Patient.r"),
        Arguments.of("system/Patient.s", VREAD, "system/Patient.r"),
        Arguments.of("system/Patient.s", HISTORY_INSTANCE, "system/Patient.r"),
        Arguments.of("system/Patient.r", HISTORY_TYPE, "system/Patient.s"),
        Arguments.of("system/Patient.r", SEARCH, "system/Patient.s"),
        Arguments.of("system/Patient.r", SEARCH_POST, "system/Patient.s"),
        Arguments.of("system/Patient.rus", CREATE, "system/Patient.c"),
        Arguments.of("system/Patient.crds", UPDATE, "system/Patient.u"),
        Arguments.of("system/Patient.crds", PATCH, "system/Patient.u"),
        Arguments.of("system/Patient.crus", DELETE, "system/Patient.d"),
        Arguments.of("system/Observation.cruds", READ, "system/Patient.r"),
        Arguments.of("system/Patient.s", SYSTEM_SEARCH, "system/Observation.s"),
        Arguments.of("system/Patient.s system/Observation.s", Call.get("/fhir?name=x"),
            "system/*.s"),
        Arguments.of("system/Patient.s", SYSTEM_HISTORY, "system/*.s"),
        Arguments.of("system/Patient.s", IDEMPOTENT_OPERATION, "system/Patient.r"),
        Arguments.of("system/Patient.crds", POST_ONLY_OPERATION, "system/Patient.u"),
        // v1 words cover exactly rs and cud
        Arguments.of("system/Patient.read", CREATE, "system/Patient.c"),
        Arguments.of("system/Patient.read", PATCH, "system/Patient.u"),
        Arguments.of("system/Patient.write", READ, "system/Patient.r"),
        Arguments.of("system/Patient.write", SEARCH, "system/Patient.s"),
        Arguments.of("system/Patient.*", Call.get("/fhir/Observation/1"),
            "system/Observation.r"),
        // the challenge names the context the client's scopes use: system, then user, then patient
        Arguments.of("user/Patient.rs", DELETE, "user/Patient.d"),
        Arguments.of("patient/Patient.r", SEARCH, "patient/Patient.s"),
        Arguments.of("patient/Patient.r user/Observation.r", SEARCH, "user/Patient.s"),
        Arguments.of("patient/Patient.r system/Observation.r", SEARCH, "system/Patient.s"),
        // no resource scope at all: the context defaults to system
        Arguments.of("openid fhirUser launch/patient offline_access", READ, "system/Patient.r"),
        Arguments.of("", READ, "system/Patient.r"));
  }

  @ParameterizedTest(name = "[{0}] refuses {1}: needs {2}")
  @MethodSource("refused")
  void a_near_miss_scope_gets_403_naming_the_needed_scope_and_never_reaches_the_provider(
      String scopes, Call call, String needed) {
    int before = server.servlet(ScopedFhirServer.class).totalCalls();
    HttpResponse<String> response = call.send(server, scopes);
    assertRefused(response, call.action(), needed, scopes);
    assertEquals(before, server.servlet(ScopedFhirServer.class).totalCalls(),
        "no provider method may run");
  }

  @Test
  void the_refusal_is_rendered_in_the_format_the_client_asked_for() {
    HttpResponse<String> response = READ.send(server, "system/Patient.s",
        "Accept", "application/fhir+xml");
    Outcomes.assertError(response, 403, "SCOPE_INSUFFICIENT", true);
    assertEquals(List.of(ScopeAsserts.challenge("system/Patient.r")),
        response.headers().allValues("WWW-Authenticate"));
  }

  @Test
  void a_compartment_search_needs_search_on_the_compartment_type_not_on_the_patient() {
    Call compartment = Call.get("/fhir/Patient/1/Observation");
    assertEquals(200, compartment.send(server, "system/Observation.s").statusCode());
    HttpResponse<String> refused = compartment.send(server, "system/Patient.rs");
    Outcomes.assertError(refused, 403, "SCOPE_INSUFFICIENT", false);
    assertEquals(List.of(ScopeAsserts.challenge("system/Observation.s")),
        refused.headers().allValues("WWW-Authenticate"));
  }

  @Test
  void the_capability_statement_needs_no_scope() {
    HttpResponse<String> response = Call.get("/fhir/metadata").send(server, "openid");
    assertEquals(200, response.statusCode(), response.body());
    assertTrue(response.body().contains("CapabilityStatement"));
  }

  @Test
  void the_same_token_is_judged_anew_for_each_request() {
    String scopes = "system/Patient.r";
    assertEquals(200, READ.send(server, scopes).statusCode());
    assertRefused(SEARCH.send(server, scopes), SEARCH.action(), "system/Patient.s", scopes);
    assertEquals(200, READ.send(server, scopes).statusCode());
  }

  @Test
  void with_scope_enforcement_off_a_verified_token_without_scopes_reaches_every_interaction() {
    for (Call call : List.of(READ, SEARCH, CREATE, DELETE, SYSTEM_SEARCH)) {
      HttpResponse<String> response = call.send(unenforced, "openid");
      assertTrue(response.statusCode() < 300, () -> call + ": " + response.body());
    }
  }

  @Test
  void with_scope_enforcement_off_a_token_is_still_required() {
    HttpResponse<String> response = unenforced.get("/fhir/Patient/1");
    Outcomes.assertError(response, 401, "TOKEN_MISSING");
  }

  @Test
  void the_interceptor_alone_authenticates_and_checks_scopes_where_no_filter_is_installed() {
    Map<String, String> settings = new HashMap<>(ScopeTokens.Signer.settings(
        "fhirguard.auth.public-key-file", ScopeTokens.unusedKeyFile()));
    FhirGuard guard = FhirGuard.builder().config(FhirGuardConfig.load(settings))
        .tokenVerifier(ScopeTokens.verifier()).build();
    ScopedFhirServer fhir = new ScopedFhirServer();
    // no filter: only the interceptor guards the FHIR server
    try (TestServer bare =
        TestServer.builder().guard(guard).fhir("/fhir/*", fhir).withoutFilter().start()) {
      HttpResponse<String> none = bare.get("/fhir/Patient/1");
      assertEquals(401, none.statusCode(), none.body());
      assertEquals(List.of("Bearer realm=\"fhir\""), none.headers().allValues("WWW-Authenticate"));
      assertEquals(0, fhir.totalCalls(), "an unauthenticated request must not reach HAPI's provider");

      HttpResponse<String> narrow = bare.get("/fhir/Patient/1", ScopeTokens.bearer("system/Patient.s"));
      assertEquals(403, narrow.statusCode(), narrow.body());
      assertEquals(List.of(ScopeAsserts.challenge("system/Patient.r")),
          narrow.headers().allValues("WWW-Authenticate"));
      OperationOutcome outcome = Outcomes.parse(narrow);
      assertEquals("SCOPE_INSUFFICIENT", Outcomes.catalogCoding(outcome.getIssueFirstRep()).getCode());
      assertEquals(0, fhir.totalCalls());

      HttpResponse<String> right = bare.get("/fhir/Patient/1", ScopeTokens.bearer("system/Patient.r"));
      assertEquals(200, right.statusCode(), right.body());
      assertEquals(1, fhir.calls("Patient.read"));
    }
  }
}
