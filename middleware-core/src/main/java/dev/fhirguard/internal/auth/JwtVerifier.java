package dev.fhirguard.internal.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyConverter;
import com.nimbusds.jwt.EncryptedJWT;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.fhirguard.ErrorCode;
import dev.fhirguard.TokenRejectedException;
import dev.fhirguard.TokenVerifier;
import dev.fhirguard.VerifiedClient;
import java.security.Key;
import java.text.ParseException;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Verifies JWS access tokens: shape, algorithm, key, signature, then claims ({@code exp}, {@code
 * nbf}, {@code iat}, {@code iss}, {@code aud}). The signature is checked before any claim, so a
 * forged token learns nothing about the expected claims.
 */
public final class JwtVerifier implements TokenVerifier {

  private static final DefaultJWSVerifierFactory VERIFIERS = new DefaultJWSVerifierFactory();
  private static final String ENCRYPTED = "encrypted tokens are not accepted; send a signed JWT";

  private final Set<JWSAlgorithm> algorithms;
  private final KeySource asymmetricKeys;
  private final KeySource secretKeys;
  private final TokenClaims claims;

  JwtVerifier(
      Set<JWSAlgorithm> algorithms, KeySource asymmetricKeys, KeySource secretKeys,
      TokenClaims claims) {
    this.algorithms = Set.copyOf(algorithms);
    this.asymmetricKeys = asymmetricKeys;
    this.secretKeys = secretKeys;
    this.claims = claims;
  }

  @Override
  public VerifiedClient verify(String token) throws TokenRejectedException {
    SignedJWT jwt = signed(token);
    JWSHeader header = jwt.getHeader();
    if (!algorithms.contains(header.getAlgorithm())) {
      throw new TokenRejectedException(ErrorCode.TOKEN_ALGORITHM_NOT_ALLOWED,
          "The bearer token is signed with an algorithm this server does not accept; accepted: "
              + algorithmNames() + ".");
    }
    checkSignature(jwt, candidates(header));
    return claims.verify(claimSet(jwt), true);
  }

  /**
   * The token parsed as a JWS. Whatever the parser throws, the token's bytes caused it, so the
   * token is malformed (a header of JSON {@code null} made Nimbus throw a NullPointerException);
   * that keys could not be fetched is for a key source alone to say ({@link KeySource}).
   */
  private static SignedJWT signed(String token) throws TokenRejectedException {
    long dots = token.chars().filter(c -> c == '.').count();
    if (dots == 4) {
      throw malformed(ENCRYPTED); // a JWE compact serialization has five parts
    }
    if (dots != 2) {
      throw malformed("it is not a JWT (three dot-separated parts)");
    }
    if (!BearerHeader.isCanonicalBase64Url(token)) {
      throw malformed("its parts are not in canonical base64url (A-Z a-z 0-9 - _, no padding)");
    }
    JWT jwt;
    try {
      jwt = JWTParser.parse(token);
    } catch (ParseException | RuntimeException e) {
      throw malformed("its header could not be decoded");
    }
    if (!JsonText.isObject(jwt.getParsedParts()[0].decodeToString())) {
      throw malformed("its header is not a JSON object");
    }
    if (jwt instanceof PlainJWT) {
      throw new TokenRejectedException(ErrorCode.TOKEN_ALGORITHM_NOT_ALLOWED,
          "The bearer token is not signed (alg none); unsigned tokens are never accepted.");
    }
    if (jwt instanceof EncryptedJWT || !(jwt instanceof SignedJWT signed)) {
      throw malformed(ENCRYPTED);
    }
    return signed;
  }

  /** The claims of a token whose signature verified; malformed unless they are a JSON object. */
  private static Map<String, Object> claimSet(SignedJWT jwt) throws TokenRejectedException {
    try {
      if (JsonText.isObject(jwt.getParsedParts()[1].decodeToString())) {
        return jwt.getJWTClaimsSet().toJSONObject();
      }
    } catch (ParseException | RuntimeException e) {
      // malformed, below
    }
    throw malformed("its claims set is not a JSON object of claims");
  }

  private List<JWK> candidates(JWSHeader header) throws TokenRejectedException {
    KeySource source =
        JWSAlgorithm.Family.HMAC_SHA.contains(header.getAlgorithm()) ? secretKeys : asymmetricKeys;
    List<JWK> keys = source == null ? List.of() : source.candidates(header);
    if (keys.isEmpty()) {
      throw new TokenRejectedException(ErrorCode.TOKEN_KEY_UNKNOWN,
          "The bearer token is signed with a key this server does not know (kid not in the"
              + " issuer's key set). Request a new token.");
    }
    return keys;
  }

  private static void checkSignature(SignedJWT jwt, List<JWK> keys) throws TokenRejectedException {
    for (Key key : KeyConverter.toJavaKeys(keys)) {
      try {
        JWSVerifier verifier = VERIFIERS.createJWSVerifier(jwt.getHeader(), key);
        if (jwt.verify(verifier)) {
          return;
        }
      } catch (JOSEException | IllegalStateException wrongKeyForAlgorithm) {
        // try the next candidate
      }
    }
    throw new TokenRejectedException(ErrorCode.TOKEN_SIGNATURE_INVALID,
        "The bearer token's signature does not verify with the issuer's key; the token was"
            + " altered or signed by someone else.");
  }

  private String algorithmNames() {
    return String.join(", ", algorithms.stream().map(JWSAlgorithm::getName).sorted().toList());
  }

  private static TokenRejectedException malformed(String why) {
    return new TokenRejectedException(ErrorCode.TOKEN_MALFORMED,
        "The bearer token is malformed: " + why + ".");
  }
}
