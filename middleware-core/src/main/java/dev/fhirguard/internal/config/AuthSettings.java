package dev.fhirguard.internal.config;

import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** The settings of bearer-token authentication, SMART scopes and client address checks. */
public final class AuthSettings {

  private static final Set<String> ALGORITHMS =
      Set.of("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512",
          "HS256", "HS384", "HS512");

  public static final Setting<Boolean> ENABLED =
      Setting.bool("fhirguard.auth.enabled", false,
          "Require a verified bearer token on the protected paths (filter), and check SMART scopes"
              + " (HAPI interceptor).");

  public static final Setting<List<String>> PROTECTED_PATHS =
      Setting.list("fhirguard.auth.protected-paths", "/*", PathRules::checkPattern,
          "Paths (inside the servlet context) that need a token: exact paths, or prefixes ending"
              + " in /*.");

  public static final Setting<List<String>> PUBLIC_PATHS =
      Setting.list("fhirguard.auth.public-paths",
          "/fhir/metadata, /fhir/.well-known/smart-configuration", PathRules::checkPattern,
          "Paths that need no token, even under a protected prefix; a HAPI server serves only the"
              + " public operations there without one.");

  public static final Setting<List<String>> PUBLIC_OPERATIONS =
      Setting.list("fhirguard.auth.public-operations", "metadata", AuthSettings::checkOperation,
          "The interactions HAPI serves without a token on the public paths, as HAPI's operation"
              + " codes (metadata, read, vread, search-type, ...); any other HAPI handler reached"
              + " on a public path needs a token.");

  public static final Setting<String> REALM =
      Setting.text("fhirguard.auth.realm", "fhir", "[\\x20-\\x21\\x23-\\x5b\\x5d-\\x7e]{1,64}",
          "1 to 64 printable ASCII characters without '\"' or '\\'",
          "The realm of the WWW-Authenticate: Bearer challenge.");

  public static final Setting<String> VERIFIER =
      Setting.oneOf("fhirguard.auth.verifier", "jwt", List.of("jwt", "introspection"),
          "How tokens are verified: jwt (signature and claims, keys from a JWKS URL, a JWKS file"
              + " or a PEM public key) or introspection (RFC 7662).");

  public static final Setting<Optional<String>> ISSUER =
      Setting.optionalText("fhirguard.auth.issuer", "\\S{1,512}", "a URI without spaces",
          "Required iss claim. Required for the jwt verifier.");

  public static final Setting<List<String>> AUDIENCE =
      Setting.list("fhirguard.auth.audience", "", value -> value,
          "Accepted aud values (the FHIR base URL this server is known by); a token must name one."
              + " Required for the jwt verifier.");

  public static final Setting<Optional<URI>> JWKS_URL =
      Setting.optionalUrl("fhirguard.auth.jwks-url",
          "JWKS URL of the authorization server. Exactly one of jwks-url, jwks-file and"
              + " public-key-file is required for the jwt verifier.");

  public static final Setting<Optional<Path>> JWKS_FILE =
      Setting.optionalFile("fhirguard.auth.jwks-file", "A JWKS file with the verification keys.");

  public static final Setting<Optional<Path>> PUBLIC_KEY_FILE =
      Setting.optionalFile("fhirguard.auth.public-key-file",
          "A PEM file with one RSA or EC public key (-----BEGIN PUBLIC KEY-----).");

  public static final Setting<List<String>> ALGORITHMS_ALLOWED =
      Setting.list("fhirguard.auth.algorithms", "RS256, RS384, ES256, ES384, PS256",
          AuthSettings::checkAlgorithm,
          "JWS algorithms accepted. none is never accepted; HS256/384/512 only with hmac-secret.");

  public static final Setting<Optional<String>> HMAC_SECRET =
      Setting.secret("fhirguard.auth.hmac-secret", 32,
          "Shared secret (at least 32 characters) for HS256/384/512 tokens; leave empty unless"
              + " the issuer signs with HMAC.");

  public static final Setting<Duration> CLOCK_SKEW =
      Setting.duration("fhirguard.auth.clock-skew", "1m", Duration.ZERO, Duration.ofMinutes(10),
          "Tolerance for exp, nbf and iat.");

  public static final Setting<Duration> JWKS_CACHE_TTL =
      Setting.duration("fhirguard.auth.jwks-cache-ttl", "10m", Duration.ofSeconds(10),
          Duration.ofDays(1), "How long keys fetched from jwks-url are used before a refetch.");

  public static final Setting<Duration> JWKS_REFETCH_INTERVAL =
      Setting.duration("fhirguard.auth.jwks-refetch-interval", "30s", Duration.ofSeconds(1),
          Duration.ofHours(1),
          "At most one refetch of jwks-url per interval for tokens with an unknown kid, so a"
              + " flood of random kids cannot hammer the key server.");

  public static final Setting<Duration> JWKS_OUTAGE_TOLERANCE =
      Setting.duration("fhirguard.auth.jwks-outage-tolerance", "1h", Duration.ZERO,
          Duration.ofDays(7),
          "While jwks-url cannot be fetched, the keys it last served keep verifying tokens for this"
              + " long after that fetch; 0s answers 503 as soon as the cached keys expire.");

  public static final Setting<Duration> HTTP_TIMEOUT =
      Setting.duration("fhirguard.auth.http-timeout", "3s", Duration.ofMillis(100),
          Duration.ofMinutes(1), "Connect and read timeout of JWKS and introspection calls.");

  public static final Setting<Optional<URI>> INTROSPECTION_URL =
      Setting.optionalUrl("fhirguard.auth.introspection-url",
          "RFC 7662 introspection endpoint; required for the introspection verifier.");

  public static final Setting<Optional<String>> INTROSPECTION_CLIENT_ID =
      Setting.optionalText("fhirguard.auth.introspection-client-id", "[\\x21-\\x7e]{1,256}",
          "printable ASCII without spaces",
          "Client id this server authenticates with at the introspection endpoint (HTTP Basic).");

  public static final Setting<Optional<String>> INTROSPECTION_CLIENT_SECRET =
      Setting.secret("fhirguard.auth.introspection-client-secret", 1,
          "Secret for introspection-client-id.");

  public static final Setting<String> CLIENT_ID_CLAIM =
      Setting.text("fhirguard.auth.client-id-claim", "client_id", "[A-Za-z0-9_.:-]{1,64}",
          "a claim name",
          "Claim that names the client; azp, then sub are used when it is absent.");

  public static final Setting<Long> TOKEN_CACHE_MAX_BYTES =
      Setting.byteSize("fhirguard.auth.token-cache-max-bytes", "16MiB", 0, 1L << 30,
          "Heap the verified tokens may hold (never past their exp), so a repeated token costs a"
              + " lookup, not a signature check; each token weighs its estimated bytes (token,"
              + " claims, scopes), so large tokens fit in smaller number. 0 turns the cache off.");

  public static final Setting<Integer> MAX_TOKEN_LENGTH =
      Setting.integer("fhirguard.auth.max-token-length", 8192, 256, 1_048_576,
          "Longest bearer token accepted, in characters; longer ones get a 401 without parsing.");

  public static final Setting<Boolean> ENFORCE_SCOPES =
      Setting.bool("fhirguard.scopes.enforce", true,
          "Check SMART scopes of authenticated requests (403 insufficient_scope when missing).");

  public static final Setting<List<String>> URL_SCOPE_PATHS =
      Setting.list("fhirguard.scopes.url-paths", "", PathRules::checkPrefix,
          "FHIR bases not served by HAPI (prefixes ending in /*) whose scopes the filter checks"
              + " from the URL and method alone.");

  public static final Setting<List<String>> TRUSTED_PROXIES =
      Setting.list("fhirguard.client-address.trusted-proxies", "", AuthSettings::checkBlock,
          "Addresses or CIDR blocks of proxies whose X-Forwarded-For / Forwarded headers are"
              + " believed. Empty: the connection's address is the client's.");

  public static final Setting<List<String>> CLIENT_ALLOWED_ADDRESSES =
      Setting.list("fhirguard.clients.<client-id>.allowed-addresses", "", AuthSettings::checkBlock,
          "Addresses or CIDR blocks the client may call from; others get 403"
              + " CLIENT_ADDRESS_NOT_ALLOWED. Not set: any address.");

  static final List<Setting<?>> ALL =
      List.of(ENABLED, PROTECTED_PATHS, PUBLIC_PATHS, PUBLIC_OPERATIONS, REALM, VERIFIER, ISSUER, AUDIENCE, JWKS_URL,
          JWKS_FILE, PUBLIC_KEY_FILE, ALGORITHMS_ALLOWED, HMAC_SECRET, CLOCK_SKEW, JWKS_CACHE_TTL,
          JWKS_REFETCH_INTERVAL, JWKS_OUTAGE_TOLERANCE, HTTP_TIMEOUT, INTROSPECTION_URL, INTROSPECTION_CLIENT_ID,
          INTROSPECTION_CLIENT_SECRET, CLIENT_ID_CLAIM, TOKEN_CACHE_MAX_BYTES, MAX_TOKEN_LENGTH,
          ENFORCE_SCOPES, URL_SCOPE_PATHS, TRUSTED_PROXIES, CLIENT_ALLOWED_ADDRESSES);

  private AuthSettings() {}

  private static String checkAlgorithm(String value) {
    String upper = value.toUpperCase(Locale.ROOT);
    if (upper.equals("NONE")) {
      throw new IllegalArgumentException("'none' is never accepted: unsigned tokens prove nothing");
    }
    if (!ALGORITHMS.contains(upper)) {
      throw new IllegalArgumentException(
          "expected JWS algorithms among " + String.join(", ", new java.util.TreeSet<>(ALGORITHMS)));
    }
    return upper;
  }

  private static String checkOperation(String value) {
    if (RestOperationTypeEnum.forCode(value) == null) {
      throw new IllegalArgumentException("expected HAPI operation codes such as metadata, read,"
          + " vread, search-type, history-instance, extended-operation-type");
    }
    return value;
  }

  private static String checkBlock(String value) {
    return AddressBlock.parse(value).toString();
  }
}
