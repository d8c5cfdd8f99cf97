package specforge.openapi;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;

/**
 * A free-form map sent as one deepObject query parameter: {@code filter[paid]=0&filter[customer]=1234}.
 *
 * <p>openapi-generator's Java clients call {@code toUrlQueryString(prefix)} on a deepObject parameter, which
 * only its model classes have; a spec's free-form map (Invoiced's {@code filter[...]} and {@code metadata[...]})
 * is mapped to this class instead ({@code schemaMappings} in the config {@code specforge bundle} writes).
 * Entries are written in key order, each name and value percent-encoded.
 */
public class DeepObjectQuery extends TreeMap<String, String> {
  private static final long serialVersionUID = 1L;

  public DeepObjectQuery() {
    super();
  }

  public DeepObjectQuery(Map<String, String> entries) {
    super(entries);
  }

  /** Adds one entry and returns this map, for chained calls. */
  public DeepObjectQuery with(String name, String value) {
    put(name, value);
    return this;
  }

  /** The entries as {@code prefix[name]=value} pairs joined by {@code &}; empty when there are none. */
  public String toUrlQueryString(String prefix) {
    StringJoiner joiner = new StringJoiner("&");
    for (Map.Entry<String, String> entry : entrySet()) {
      if (entry.getValue() == null) {
        continue;
      }
      String key = prefix == null ? entry.getKey() : prefix + "[" + entry.getKey() + "]";
      joiner.add(encode(key) + "=" + encode(entry.getValue()));
    }
    return joiner.toString();
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
