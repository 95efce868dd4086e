package dev.fhirguard.demo.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.EncryptedJWT;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Checks a {@code private_key_jwt} client assertion (RFC 7523, SMART Backend Services): signed
 * RS384 or ES384 with a registered key named by {@code kid}, typed JWT if typed at all, iss = sub =
 * client_id, aud = the token URL, exp at most five minutes ahead, and a jti never seen before.
 * Clients register keys, never key URLs, so a header that names a key source ({@code jku},
 * {@code x5u}, {@code x5c}, {@code jwk}) is refused. An unknown client, a client without keys and
 * a signature that does not verify get one answer, so that answers do not tell which clients
 * exist.
 */
final class ClientAssertionVerifier {

  static final String ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
  static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.RS384, JWSAlgorithm.ES384);
  static final Duration MAX_AHEAD = Duration.ofMinutes(5);
  static final Duration CLOCK_SKEW = Duration.ofSeconds(60);
  static final int MAX_JTI_LENGTH = 256;
  /** Header members that say where to find the verification key (RFC 7515 section 4.1). */
  static final List<String> KEY_SOURCES = List.of("jku", "x5u", "x5c", "jwk");

  private final ClientRegistry clients;
  private final Supplier<String> tokenUrl;
  private final JtiReplayCache usedJtis;
  private final Clock clock;

  ClientAssertionVerifier(
      ClientRegistry clients, Supplier<String> tokenUrl, JtiReplayCache usedJtis, Clock clock) {
    this.clients = clients;
    this.tokenUrl = tokenUrl;
    this.usedJtis = usedJtis;
    this.clock = clock;
  }

  /** The client that signed {@code assertion}; {@code clientIdParameter} may be null. */
  ClientRegistration verify(String assertion, String clientIdParameter) throws OAuthException {
    SignedJWT jwt = signedJwt(assertion);
    requireHeader(jwt.getHeader());
    JWTClaimsSet claims = claimsOf(jwt);
    String clientId = clientIdOf(claims, clientIdParameter);
    ClientRegistration client = registered(clientId);
    verifySignature(jwt, client);
    requireAudience(claims);
    Instant expiry = requireTimes(claims);
    requireFreshJti(claims, clientId, expiry);
    return client;
  }

  private static SignedJWT signedJwt(String assertion) throws OAuthException {
    JWT jwt;
    try {
      jwt = JWTParser.parse(assertion);
    } catch (ParseException | RuntimeException e) { // a header of JSON null throws an NPE
      throw OAuthException.invalidAssertion("it is not a well-formed JWT (three base64url parts"
          + " separated by dots, with a JSON header and claims).");
    }
    if (jwt instanceof PlainJWT) {
      throw OAuthException.invalidAssertion(
          "alg 'none' (unsigned) is not accepted; sign with RS384 or ES384.");
    }
    if (jwt instanceof EncryptedJWT) {
      throw OAuthException.invalidAssertion(
          "encrypted JWTs are not accepted; send a JWT signed with RS384 or ES384.");
    }
    SignedJWT signed = (SignedJWT) jwt;
    JWSAlgorithm alg = signed.getHeader().getAlgorithm();
    if (!ALGORITHMS.contains(alg)) {
      throw OAuthException.invalidAssertion("alg '" + Printable.text(alg.getName(), 20)
          + "' is not accepted; sign with RS384 or ES384.");
    }
    return signed;
  }

  /**
   * The header's members as the client sent them: Nimbus's own view leaves out some it parsed as
   * empty (an {@code x5c} of {@code []}), which must be refused all the same.
   */
  private static Map<String, Object> membersAsSent(JWSHeader header) {
    try {
      return JSONObjectUtils.parse(header.getParsedBase64URL().decodeToString());
    } catch (java.text.ParseException | RuntimeException e) {
      return header.toJSONObject();
    }
  }

  /** Requires a kid, no key source but the registration, and typ JWT when typ is present. */
  private static void requireHeader(JWSHeader header) throws OAuthException {
    Map<String, Object> members = membersAsSent(header);
    for (String source : KEY_SOURCES) {
      if (members.get(source) != null) { // a member of JSON null is as good as absent
        throw OAuthException.invalidAssertion("the header has " + source + ", but this server"
            + " verifies assertions only with the key registered for the client; leave "
            + String.join(", ", KEY_SOURCES) + " out and name the registered key by kid.");
      }
    }
    if (header.getKeyID() == null) {
      throw OAuthException.invalidAssertion(
          "the header has no kid; name the client's registered key by its kid.");
    }
    JOSEObjectType type = header.getType();
    if (type != null && !isJwtType(type.getType())) {
      throw OAuthException.invalidAssertion("typ '" + Printable.text(type.getType(), 40)
          + "' is not JWT; set typ to JWT or leave it out.");
    }
  }

  /** RFC 7515 section 4.1.9: a typ without '/' means "application/" + typ; case is ignored. */
  private static boolean isJwtType(String typ) {
    String mediaType = typ.contains("/") ? typ : "application/" + typ;
    return mediaType.equalsIgnoreCase("application/jwt");
  }

  private static JWTClaimsSet claimsOf(SignedJWT jwt) throws OAuthException {
    try {
      return jwt.getJWTClaimsSet();
    } catch (ParseException | RuntimeException e) {
      throw OAuthException.invalidAssertion("the claims are not a valid JWT claims set; check"
          + " that iss, sub and jti are strings, aud a string or array and exp a number.");
    }
  }

  private static String clientIdOf(JWTClaimsSet claims, String clientIdParameter)
      throws OAuthException {
    String iss = claims.getIssuer();
    String sub = claims.getSubject();
    if (iss == null || sub == null) {
      throw OAuthException.invalidAssertion("the " + (iss == null ? "iss" : "sub")
          + " claim is missing; set both iss and sub to the client_id.");
    }
    if (!iss.equals(sub)) {
      throw OAuthException.invalidAssertion("iss '" + Printable.clientId(iss) + "' and sub '"
          + Printable.clientId(sub) + "' differ; set both to the client_id.");
    }
    if (clientIdParameter != null && !clientIdParameter.equals(iss)) {
      throw OAuthException.invalidAssertion("the client_id parameter '"
          + Printable.clientId(clientIdParameter) + "' does not match iss/sub '"
          + Printable.clientId(iss) + "'; send the same client_id or leave it out.");
    }
    return iss;
  }

  private ClientRegistration registered(String clientId) throws OAuthException {
    String id = Printable.clientId(clientId);
    ClientRegistration client = clients.find(clientId).orElseThrow(() ->
        OAuthException.assertionNotVerified("unknown client '" + id + "'"));
    if (client.authMethod() != ClientAuthMethod.PRIVATE_KEY_JWT) {
      throw OAuthException.assertionNotVerified(
          "client '" + id + "' is registered for client_secret_basic");
    }
    return client;
  }

  private static void verifySignature(SignedJWT jwt, ClientRegistration client)
      throws OAuthException {
    JWSHeader header = jwt.getHeader();
    String kid = header.getKeyID();
    String where = " of client '" + Printable.clientId(client.id()) + "' with kid '"
        + Printable.text(kid, 64) + "'";
    List<JWK> candidates = client.publicKeys().stream()
        .filter(key -> kid.equals(key.getKeyID()))
        .filter(key -> fits(key, header.getAlgorithm()))
        .toList();
    if (candidates.isEmpty()) {
      throw OAuthException.assertionNotVerified(
          "no registered " + header.getAlgorithm().getName() + " key" + where);
    }
    for (JWK key : candidates) {
      if (verifies(jwt, key)) {
        return;
      }
    }
    throw OAuthException.assertionNotVerified("the signature does not verify with the key" + where);
  }

  private static boolean fits(JWK key, JWSAlgorithm alg) {
    if (key.getAlgorithm() != null && !key.getAlgorithm().equals(alg)) {
      return false;
    }
    return JWSAlgorithm.RS384.equals(alg)
        ? key instanceof RSAKey
        : key instanceof ECKey ec && Curve.P_384.equals(ec.getCurve());
  }

  private static boolean verifies(SignedJWT jwt, JWK key) {
    try {
      JWSVerifier verifier = key instanceof RSAKey rsa
          ? new RSASSAVerifier(rsa)
          : new ECDSAVerifier((ECKey) key);
      return jwt.verify(verifier);
    } catch (JOSEException | IllegalStateException e) {
      return false;
    }
  }

  private void requireAudience(JWTClaimsSet claims) throws OAuthException {
    String expected = tokenUrl.get();
    List<String> audience = claims.getAudience();
    if (!audience.contains(expected)) {
      throw OAuthException.invalidAssertion("aud must be the token URL '" + expected
          + "' exactly, but is " + (audience.isEmpty() ? "missing"
              : "'" + Printable.text(String.join(" ", audience), 120) + "'") + ".");
    }
  }

  /** Checks exp (and nbf/iat when present); returns exp. */
  private Instant requireTimes(JWTClaimsSet claims) throws OAuthException {
    Instant now = clock.instant();
    Date exp = claims.getExpirationTime();
    if (exp == null) {
      throw OAuthException.invalidAssertion(
          "the exp claim is missing; set exp to at most 5 minutes from now.");
    }
    Instant expiry = exp.toInstant();
    if (expiry.isBefore(now.minus(CLOCK_SKEW))) {
      throw OAuthException.invalidAssertion("it expired at " + expiry + " (server time " + now
          + "); sign a new assertion.");
    }
    if (expiry.isAfter(now.plus(MAX_AHEAD).plus(CLOCK_SKEW))) {
      throw OAuthException.invalidAssertion("exp " + expiry + " is more than 5 minutes after"
          + " the server time " + now + "; set exp at most 300 seconds ahead.");
    }
    requireNotInFuture("nbf", claims.getNotBeforeTime(), now);
    requireNotInFuture("iat", claims.getIssueTime(), now);
    return expiry;
  }

  private static void requireNotInFuture(String claim, Date value, Instant now)
      throws OAuthException {
    if (value != null && value.toInstant().isAfter(now.plus(CLOCK_SKEW))) {
      throw OAuthException.invalidAssertion(claim + " " + value.toInstant() + " is in the future"
          + " (server time " + now + "); check the client's clock.");
    }
  }

  private void requireFreshJti(JWTClaimsSet claims, String clientId, Instant expiry)
      throws OAuthException {
    String jti = claims.getJWTID();
    if (jti == null || jti.isBlank()) {
      throw OAuthException.invalidAssertion(
          "the jti claim is missing; give every assertion a new unique jti.");
    }
    if (jti.length() > MAX_JTI_LENGTH) {
      throw OAuthException.invalidAssertion("the jti is longer than " + MAX_JTI_LENGTH
          + " characters; a random UUID is enough.");
    }
    if (!usedJtis.firstUse(clientId, jti, expiry.plus(CLOCK_SKEW))) {
      throw OAuthException.invalidAssertion("its jti has already been used; every assertion"
          + " needs a new unique jti, so sign a new one for each token request.");
    }
  }
}
