package dev.fhirguard.demo.auth;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.JSONObjectUtils;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.List;
import java.util.Map;

/** Reads a client's public JWK (or JWK set) from the classpath and checks it can verify. */
final class ClientKeyLoader {

  private static final int MIN_RSA_BITS = 2048;

  private final ClassLoader resources;

  ClientKeyLoader(ClassLoader resources) {
    this.resources = resources;
  }

  /** The public keys in {@code resource}; empty after adding to {@code problems} if unusable. */
  List<JWK> load(String key, String resource, List<String> problems) {
    String where = key + "='" + Printable.text(resource, 120) + "'";
    String json = read(resource);
    if (json == null) {
      problems.add(where + ": no such resource on the classpath.");
      return List.of();
    }
    List<JWK> keys;
    try {
      keys = parse(json);
    } catch (ParseException e) {
      problems.add(where + ": not a JWK or JWK set (" + Printable.text(e.getMessage(), 120) + ").");
      return List.of();
    }
    String problem = keys.isEmpty() ? "the JWK set has no key." : firstProblem(keys);
    if (problem != null) {
      problems.add(where + ": " + problem);
      return List.of();
    }
    return keys;
  }

  private String read(String resource) {
    try (InputStream in = resources.getResourceAsStream(resource)) {
      return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return null;
    }
  }

  private static List<JWK> parse(String json) throws ParseException {
    Map<String, Object> object = JSONObjectUtils.parse(json);
    return object.containsKey("keys") ? JWKSet.parse(object).getKeys() : List.of(JWK.parse(object));
  }

  private static String firstProblem(List<JWK> keys) {
    for (JWK key : keys) {
      String problem = problemOf(key);
      if (problem != null) {
        return problem;
      }
    }
    return null;
  }

  private static String problemOf(JWK key) {
    if (key.isPrivate()) {
      return "it contains a private key; register only the public key.";
    }
    if (key.getKeyID() == null || key.getKeyID().isBlank()) {
      return "a key has no kid; give every key a kid (clients name their key by it).";
    }
    if (key.getAlgorithm() != null && !ClientAssertionVerifier.ALGORITHMS.contains(
        JWSAlgorithm.parse(key.getAlgorithm().getName()))) {
      return "alg " + key.getAlgorithm().getName() + " is not accepted; use RS384 or ES384.";
    }
    if (key instanceof RSAKey rsa) {
      return rsa.size() >= MIN_RSA_BITS ? null
          : "the RSA key has " + rsa.size() + " bits; at least " + MIN_RSA_BITS + " are needed.";
    }
    if (key instanceof ECKey ec) {
      return Curve.P_384.equals(ec.getCurve()) ? null
          : "the EC key is on curve " + ec.getCurve() + "; ES384 needs P-384.";
    }
    return "key type " + key.getKeyType()
        + " is not accepted; use RSA (RS384) or EC P-384 (ES384).";
  }
}
