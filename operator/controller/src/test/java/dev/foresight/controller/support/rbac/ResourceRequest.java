package dev.foresight.controller.support.rbac;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * One API request as the API server's authorizer sees it: the RBAC verb, the resource and where.
 * Non-resource requests (discovery, /version) have none: every authenticated user may make them.
 *
 * @param group "" for the core group
 * @param subresource null when the request is on the resource itself
 * @param namespace null for cluster-scoped requests and requests across all namespaces
 * @param name null for requests on a collection
 */
public record ResourceRequest(String verb, String group, String resource, String subresource, String namespace,
    String name) {

  /** The request line's method and path (with its query), as the mock server recorded them. */
  public static Optional<ResourceRequest> parse(String method, String pathAndQuery) {
    int q = pathAndQuery.indexOf('?');
    String path = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
    String query = q < 0 ? "" : pathAndQuery.substring(q + 1);
    String[] segments = Arrays.stream(path.split("/")).filter(s -> !s.isEmpty()).toArray(String[]::new);
    String group;
    int first;
    if (segments.length > 2 && segments[0].equals("api")) {
      group = "";
      first = 2;
    } else if (segments.length > 3 && segments[0].equals("apis")) {
      group = segments[1];
      first = 3;
    } else {
      return Optional.empty();
    }
    String[] rest = Arrays.copyOfRange(segments, first, segments.length);
    String namespace = null;
    // /namespaces/{ns}/{resource}...; /namespaces and /namespaces/{ns} are the Namespace resource itself.
    if (rest.length > 2 && rest[0].equals("namespaces")) {
      namespace = rest[1];
      rest = Arrays.copyOfRange(rest, 2, rest.length);
    }
    String resource = rest[0];
    String name = rest.length > 1 ? rest[1] : null;
    String subresource = rest.length > 2 ? rest[2] : null;
    return Optional.of(new ResourceRequest(verb(method, name, query), group, resource, subresource, namespace, name));
  }

  private static String verb(String method, String name, String query) {
    return switch (method) {
      case "GET", "HEAD" -> name != null ? "get" : watching(query) ? "watch" : "list";
      case "POST" -> "create";
      case "PUT" -> "update";
      case "PATCH" -> "patch";
      case "DELETE" -> name != null ? "delete" : "deletecollection";
      default -> method.toLowerCase();
    };
  }

  private static boolean watching(String query) {
    return Arrays.stream(query.split("&"))
        .map(p -> URLDecoder.decode(p, StandardCharsets.UTF_8))
        .anyMatch(p -> p.equals("watch=true") || p.equals("watch=1"));
  }

  /** As RBAC rules name it: {@code resource} or {@code resource/subresource}. */
  public String qualifiedResource() {
    return subresource == null ? resource : resource + "/" + subresource;
  }

  @Override
  public String toString() {
    return verb + " " + qualifiedResource() + (group.isEmpty() ? "" : "." + group)
        + (name == null ? "" : " " + name) + (namespace == null ? "" : " in " + namespace);
  }
}
