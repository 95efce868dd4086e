package dev.fhirguard;

import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The error catalog: every error fhirguard sends has one of these stable codes.
 *
 * <p>Each entry fixes the HTTP status, the R4 {@code IssueType} code, the severity and a default
 * text that is safe to show to any client. The code is rendered into
 * {@code OperationOutcome.issue.details.coding} under the configured code system. Codes never
 * change meaning once published; {@code docs/errors.md} lists them all.
 */
public enum ErrorCode {
  INVALID_REQUEST(400, "invalid", "The request is not valid."),
  INVALID_SEARCH_PARAMETER(400, "invalid", "A search parameter is unknown or not supported."),
  INVALID_PARAMETER_VALUE(400, "value", "A request parameter has a value that is not valid."),
  INVALID_RESOURCE(400, "structure", "The submitted resource could not be parsed."),
  UNSUPPORTED_OPERATION(
      400, "invalid", "The server does not support this interaction or operation."),
  MALFORMED_REQUEST(400, "invalid", "The HTTP request could not be parsed."),
  EXPORT_PARAMETER_INVALID(400, "invalid", "A bulk export parameter is not valid."),
  EXPORT_PARAMETER_UNSUPPORTED(
      400, "invalid", "A bulk export parameter is not supported by this server."),
  AUTHENTICATION_REQUIRED(401, "login", "Authentication is required to access this resource."),
  TOKEN_MISSING(
      401, "login", "Invalid or missing authorization token: send an Authorization header with a Bearer token."),
  TOKEN_EMPTY(401, "login", "The Authorization header is empty: send Bearer and an access token."),
  AUTH_SCHEME_NOT_SUPPORTED(
      401, "login", "The Authorization header must use the Bearer scheme with an access token."),
  TOKEN_MALFORMED(401, "security", "The bearer token is malformed."),
  TOKEN_SIGNATURE_INVALID(401, "security", "The bearer token's signature is not valid."),
  TOKEN_KEY_UNKNOWN(
      401, "security", "The bearer token is signed with a key this server does not know."),
  TOKEN_ALGORITHM_NOT_ALLOWED(
      401, "security", "The bearer token is signed with an algorithm this server does not accept."),
  TOKEN_EXPIRED(401, "expired", "The bearer token has expired: request a new access token."),
  TOKEN_NOT_YET_VALID(
      401, "security", "The bearer token is not valid yet: check the clocks of client and issuer."),
  TOKEN_ISSUER_INVALID(
      401, "security", "The bearer token was issued by an authorization server this server does"
          + " not trust."),
  TOKEN_AUDIENCE_INVALID(
      401, "security", "The bearer token was issued for a different API endpoint."),
  TOKEN_CLAIMS_INVALID(401, "security", "The bearer token lacks a required claim."),
  TOKEN_INACTIVE(
      401, "security", "The bearer token is not active: it was revoked, has expired or is unknown"
          + " to the authorization server."),
  FORBIDDEN(403, "forbidden", "Access to this resource is not allowed."),
  SCOPE_INSUFFICIENT(403, "forbidden", "Insufficient scope for the requested resource."),
  CLIENT_ADDRESS_NOT_ALLOWED(
      403, "forbidden", "IP address not whitelisted: this client may not call from its address."),
  NOT_FOUND(404, "not-found", "No FHIR endpoint or resource exists at this address."),
  UNKNOWN_RESOURCE_TYPE(404, "not-found", "The resource type is not supported by this server."),
  RESOURCE_NOT_FOUND(404, "not-found", "The requested resource does not exist."),
  EXPORT_JOB_NOT_FOUND(
      404, "not-found", "No such export job: it was cancelled, has expired or never existed."),
  METHOD_NOT_ALLOWED(405, "not-supported", "The HTTP method is not allowed for this address."),
  NOT_ACCEPTABLE(406, "not-supported", "None of the requested response formats is available."),
  CONFLICT(409, "conflict", "The request conflicts with the current state of the resource."),
  RESOURCE_DELETED(410, "deleted", "The requested resource has been deleted."),
  PRECONDITION_FAILED(412, "conflict", "The resource version does not match the precondition."),
  PAYLOAD_TOO_LARGE(413, "too-long", "The request body is too large."),
  URI_TOO_LONG(414, "too-long", "The request URI is too long."),
  UNSUPPORTED_MEDIA_TYPE(415, "not-supported", "The request body format is not supported."),
  UNPROCESSABLE_ENTITY(422, "processing", "The resource is well-formed but violates a rule."),
  TOO_MANY_REQUESTS(429, "throttled", "Too many requests. Retry later."),
  RATE_LIMITED(
      429, "throttled", "Rate limit exceeded. Retry after the number of seconds in Retry-After."),
  ADDRESS_RATE_LIMITED(
      429, "throttled", "Too many requests from this network address. Retry after the number of"
          + " seconds in Retry-After."),
  EXPORT_LIMIT_REACHED(
      429, "throttled", "Too many concurrent bulk export requests: wait for a running export to"
          + " finish, or cancel it, before starting another."),
  EXPORT_POLLED_TOO_SOON(
      429, "throttled", "The export status was polled too frequently. Retry after the number of"
          + " seconds in Retry-After."),
  HEADERS_TOO_LARGE(431, "too-long", "The request headers are too large."),
  CLIENT_ERROR(400, "invalid", "The request could not be processed."),
  INTERNAL_ERROR(500, "exception", "An unexpected error occurred."),
  NOT_IMPLEMENTED(501, "not-supported", "This operation is not implemented by the server."),
  BAD_GATEWAY(502, "transient", "An upstream service failed to answer correctly."),
  SERVICE_UNAVAILABLE(503, "transient", "The service is temporarily unavailable. Retry later."),
  TOKEN_VERIFICATION_UNAVAILABLE(
      503, "transient", "The access token could not be verified because the authorization"
          + " server did not answer. Retry later."),
  MAINTENANCE(
      503, "transient", "The server is down for scheduled maintenance. Retry after the number of"
          + " seconds in Retry-After."),
  SERVER_OVERLOADED(
      503, "transient", "The server is busy with too many requests. Retry after the number of"
          + " seconds in Retry-After."),
  CLIENT_CONCURRENCY_EXCEEDED(
      503, "transient", "This client has too many requests in progress. Retry after the number of"
          + " seconds in Retry-After."),
  EXPORT_JOB_FAILED(500, "exception", "The export job failed."),
  EXPORT_STATUS_UNAVAILABLE(
      503, "transient", "The export status is temporarily unavailable; the export job itself is"
          + " not affected. Retry later."),
  GATEWAY_TIMEOUT(504, "timeout", "An upstream service did not answer in time."),
  UPSTREAM_NOT_SUPPORTED(
      501, "not-supported", "An upstream service does not support this operation."),
  UPSTREAM_UNREACHABLE(502, "transient", "An upstream service could not be reached. Retry later."),
  UPSTREAM_BAD_RESPONSE(
      502, "transient", "An upstream service answered with an error or an unusable response."),
  UPSTREAM_UNAVAILABLE(
      503, "transient", "An upstream service is temporarily unavailable. Retry after the number of"
          + " seconds in Retry-After, or later when there is none."),
  CIRCUIT_OPEN(
      503, "transient", "An upstream service is failing; calls to it are paused. Retry after the"
          + " number of seconds in Retry-After."),
  UPSTREAM_TIMEOUT(504, "timeout", "An upstream service did not answer in time. Retry later."),
  HTTP_VERSION_NOT_SUPPORTED(
      505, "not-supported", "The HTTP version of the request is not supported."),
  SERVER_ERROR(500, "exception", "An unexpected error occurred.");

  private static final Map<Integer, ErrorCode> BY_STATUS =
      Arrays.stream(
              new ErrorCode[] {
                INVALID_REQUEST, AUTHENTICATION_REQUIRED, FORBIDDEN, NOT_FOUND, METHOD_NOT_ALLOWED,
                NOT_ACCEPTABLE, CONFLICT, RESOURCE_DELETED, PRECONDITION_FAILED, PAYLOAD_TOO_LARGE,
                URI_TOO_LONG, UNSUPPORTED_MEDIA_TYPE, UNPROCESSABLE_ENTITY, TOO_MANY_REQUESTS,
                HEADERS_TOO_LARGE, INTERNAL_ERROR, NOT_IMPLEMENTED, BAD_GATEWAY, SERVICE_UNAVAILABLE,
                GATEWAY_TIMEOUT, HTTP_VERSION_NOT_SUPPORTED
              })
          .collect(Collectors.toUnmodifiableMap(ErrorCode::status, Function.identity()));

  private final int status;
  private final String issueType;
  private final String defaultText;

  ErrorCode(int status, String issueType, String defaultText) {
    this.status = status;
    this.issueType = issueType;
    this.defaultText = defaultText;
  }

  /** The stable code, as it appears in {@code issue.details.coding.code}. */
  public String code() {
    return name();
  }

  /** The HTTP status this error is sent with. */
  public int status() {
    return status;
  }

  /** The R4 {@code IssueType} code ({@code issue.code}). */
  public String issueType() {
    return issueType;
  }

  /** The issue severity: {@code error} for every catalog entry. */
  public String severity() {
    return "error";
  }

  /** A text safe to show to any client ({@code issue.details.text}). */
  public String defaultText() {
    return defaultText;
  }

  /** Whether this is a server-side (5xx) error, whose details are never shown to clients. */
  public boolean isServerError() {
    return status >= 500;
  }

  /**
   * The general entry for an HTTP error status: the specific entry where the catalog has one,
   * otherwise {@link #CLIENT_ERROR} for 4xx and {@link #SERVER_ERROR} for anything else.
   */
  public static ErrorCode forStatus(int status) {
    ErrorCode known = BY_STATUS.get(status);
    if (known != null) {
      return known;
    }
    return status >= 400 && status < 500 ? CLIENT_ERROR : SERVER_ERROR;
  }
}
