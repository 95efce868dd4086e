package dev.fhirguard.internal.auth;

import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.JWK;
import dev.fhirguard.TokenRejectedException;
import java.util.List;

/** Where the keys that may have signed a token come from. */
interface KeySource {

  /**
   * The keys that could have signed a token with this header; empty when none is known.
   *
   * @throws TokenRejectedException with {@code TOKEN_VERIFICATION_UNAVAILABLE} when the keys
   *     cannot be fetched
   */
  List<JWK> candidates(JWSHeader header) throws TokenRejectedException;
}
