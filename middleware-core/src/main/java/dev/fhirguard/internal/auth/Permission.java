package dev.fhirguard.internal.auth;

/** SMART v2 permissions as bits, in the order scopes must list them: c, r, u, d, s. */
final class Permission {

  static final int CREATE = 1;
  static final int READ = 2;
  static final int UPDATE = 4;
  static final int DELETE = 8;
  static final int SEARCH = 16;

  private static final String LETTERS = "cruds";

  private Permission() {}

  /** {@code rs} to READ|SEARCH; letters must be distinct and in the order c, r, u, d, s. */
  static int ofV2(String letters) {
    if (letters.isEmpty()) {
      throw new IllegalArgumentException("no permissions after '.'");
    }
    int bits = 0;
    int last = -1;
    for (int i = 0; i < letters.length(); i++) {
      int index = LETTERS.indexOf(letters.charAt(i));
      if (index < 0) {
        throw new IllegalArgumentException("permissions are c, r, u, d, s (or read, write, *)");
      }
      if (index <= last) {
        throw new IllegalArgumentException("permissions must appear once each, in the order cruds");
      }
      last = index;
      bits |= 1 << index;
    }
    return bits;
  }

  /** SMART v1: {@code read} is {@code rs}, {@code write} is {@code cud}, {@code *} is all. */
  static int ofV1(String word) {
    return switch (word) {
      case "read" -> READ | SEARCH;
      case "write" -> CREATE | UPDATE | DELETE;
      default -> CREATE | READ | UPDATE | DELETE | SEARCH;
    };
  }

  /** The v2 letter of one permission bit. */
  static char letter(int permission) {
    return LETTERS.charAt(Integer.numberOfTrailingZeros(permission));
  }
}
