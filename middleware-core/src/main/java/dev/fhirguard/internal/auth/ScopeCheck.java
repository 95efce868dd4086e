package dev.fhirguard.internal.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.fhirguard.VerifiedClient;
import dev.fhirguard.internal.outcome.Failure;
import dev.fhirguard.internal.text.LogSafe;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks a verified client's SMART scopes against what a request needs. Scopes are parsed once
 * per verified token (the cache holds the parse next to the cached token); malformed ones are
 * ignored with one warning.
 */
public final class ScopeCheck {

  private static final Logger LOG = LoggerFactory.getLogger("dev.fhirguard.auth");

  private final String realm;
  private final Cache<VerifiedClient, List<SmartScope>> parsed =
      Caffeine.newBuilder().weakKeys().maximumSize(100_000).build();

  public ScopeCheck(String realm) {
    this.realm = realm;
  }

  /** {@code null} when every need is granted, otherwise the 403 naming the first missing scope. */
  public Failure check(VerifiedClient client, List<Need> needs) {
    List<SmartScope> granted = parsed.get(client, ScopeCheck::parse);
    for (Need need : needs) {
      if (!permitted(granted, need)) {
        String scope = context(granted) + "/" + need.resourceType() + "."
            + Permission.letter(need.permission());
        return Challenges.insufficientScope(realm, scope,
            "Insufficient scope: " + need.action() + " needs " + scope + "; the token grants "
                + (client.scopes().isEmpty() ? "no scopes" : String.join(" ", client.scopes()))
                + ".");
      }
    }
    return null;
  }

  private static boolean permitted(List<SmartScope> granted, Need need) {
    for (SmartScope scope : granted) {
      if (scope.permits(need)) {
        return true;
      }
    }
    return false;
  }

  /** The context the client's scopes use (system before user before patient). */
  private static String context(List<SmartScope> granted) {
    for (String context : List.of("system", "user", "patient")) {
      for (SmartScope scope : granted) {
        if (scope.context().equals(context)) {
          return context;
        }
      }
    }
    return "system";
  }

  private static List<SmartScope> parse(VerifiedClient client) {
    List<SmartScope> scopes = new ArrayList<>();
    for (String text : client.scopes()) {
      try {
        SmartScope scope = SmartScope.parse(text);
        if (scope != null) {
          scopes.add(scope);
        }
      } catch (IllegalArgumentException e) {
        LOG.warn("Ignored malformed scope '{}' of client {}: {}", LogSafe.clean(text, 100),
            LogSafe.clean(client.clientId(), 64), LogSafe.clean(e.getMessage(), 200));
      }
    }
    return List.copyOf(scopes);
  }
}
