package dev.fhirguard.internal.auth;

import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyType;
import com.nimbusds.jose.jwk.KeyUse;
import java.util.List;

/** Keys fixed at start-up: a JWKS file, a PEM public key or an HMAC secret. */
final class StaticKeys implements KeySource {

  private final JWKSet keys;
  private final boolean matchKid;

  /**
   * @param matchKid whether a token's {@code kid} must name the key (false for a single PEM key or
   *     secret, which have no id)
   */
  StaticKeys(JWKSet keys, boolean matchKid) {
    this.keys = keys;
    this.matchKid = matchKid;
  }

  @Override
  public List<JWK> candidates(JWSHeader header) {
    JWKMatcher matcher = matchKid
        ? JWKMatcher.forJWSHeader(header)
        : new JWKMatcher.Builder()
            .keyType(KeyType.forAlgorithm(header.getAlgorithm()))
            .keyUses(KeyUse.SIGNATURE, null)
            .build();
    return matcher == null ? List.of() : new JWKSelector(matcher).select(keys);
  }
}
