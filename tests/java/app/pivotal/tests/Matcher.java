// The `expect` matcher of the scenario format (same rules as tests/rust/src/matching.rs), over the
// plain values of Json.

package app.pivotal.tests;

import java.util.List;
import java.util.Map;

final class Matcher {
    private final Map<String, Object> saved;

    Matcher(Map<String, Object> saved) {
        this.saved = saved;
    }

    /** The value at `name.path` of the saved results. */
    Object lookup(String path) {
        String[] parts = path.split("\\.", -1);
        String name = parts[0];
        if (!saved.containsKey(name)) throw new ScenarioFailure("`$" + path + "`: no result saved as `" + name + "`");
        Object value = saved.get(name);
        for (int p = 1; p < parts.length; p++) {
            String part = parts[p];
            if (value instanceof Map<?, ?> m && m.containsKey(part)) {
                value = m.get(part);
            } else if (value instanceof List<?> l && index(part, l.size()) >= 0) {
                value = l.get(index(part, l.size()));
            } else {
                throw new ScenarioFailure("`$" + path + "`: nothing at `" + part + "`");
            }
        }
        return value;
    }

    private static int index(String part, int size) {
        try {
            int i = Integer.parseInt(part);
            return i >= 0 && i < size ? i : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Null when {@code actual} matches {@code expected}, else the first difference. */
    String match(Object expected, Object actual, String path) {
        if ("$any".equals(expected)) return null;
        if ("$absent".equals(expected)) return "at " + path + ": expected no value, got " + Json.write(actual);
        if (expected instanceof String s) {
            Object wanted = s.startsWith("$$") ? s.substring(1) : s.startsWith("$") ? lookup(s.substring(1)) : s;
            return same(wanted, actual) ? null : differ(path, Json.write(wanted), actual);
        }
        if (expected instanceof Map<?, ?> m) {
            if (m.keySet().stream().anyMatch(k -> ((String) k).startsWith("$"))) return matcher(m, actual, path);
            return actual instanceof Map<?, ?> a ? obj(m, a, path, false) : differ(path, "an object", actual);
        }
        if (expected instanceof List<?> e) {
            if (!(actual instanceof List<?> a)) return differ(path, "an array", actual);
            if (e.size() != a.size()) return "at " + path + ": expected " + e.size() + " elements, got " + a.size();
            for (int i = 0; i < e.size(); i++) {
                String why = match(e.get(i), a.get(i), path + "." + i);
                if (why != null) return why;
            }
            return null;
        }
        return same(expected, actual) ? null : differ(path, Json.write(expected), actual);
    }

    private static String differ(String path, String expected, Object actual) {
        return "at " + path + ": expected " + expected + ", got " + Json.write(actual);
    }

    private String obj(Map<?, ?> expected, Map<?, ?> actual, String path, boolean exact) {
        for (Map.Entry<?, ?> e : expected.entrySet()) {
            String here = path + "." + e.getKey();
            boolean present = actual.containsKey(e.getKey());
            if ("$absent".equals(e.getValue())) {
                if (present) return differ(here, "no value", actual.get(e.getKey()));
                continue;
            }
            if (!present) return "at " + here + ": missing";
            String why = match(e.getValue(), actual.get(e.getKey()), here);
            if (why != null) return why;
        }
        if (exact) {
            for (Object k : actual.keySet()) {
                if (!expected.containsKey(k)) return "at " + path + "." + k + ": not expected (`$exact`)";
            }
        }
        return null;
    }

    private String matcher(Map<?, ?> m, Object actual, String path) {
        for (Map.Entry<?, ?> e : m.entrySet()) {
            String name = (String) e.getKey();
            Object arg = e.getValue();
            if (name.equals("$exact") && arg instanceof Map<?, ?> want) {
                if (!(actual instanceof Map<?, ?> a)) return differ(path, "an object", actual);
                String why = obj(want, a, path, true);
                if (why != null) return why;
            } else if (name.equals("$id") && arg instanceof String prefix) {
                String body = actual instanceof String s && s.startsWith(prefix) ? s.substring(prefix.length()) : null;
                if (body == null || body.length() < 16 || !body.chars().allMatch(c -> c >= 'a' && c <= 'z' || c >= '0' && c <= '9')) {
                    return differ(path, "an id `" + prefix + "` + 16 or more of [a-z0-9]", actual);
                }
            } else if (name.equals("$len")) {
                if (!(actual instanceof List<?> a) || !(arg instanceof Long n) || a.size() != n) {
                    return differ(path, "an array of length " + Json.write(arg), actual);
                }
            } else if ((name.equals("$asc") || name.equals("$desc")) && arg instanceof List<?> keys) {
                if (!(actual instanceof List<?> a)) return differ(path, "an array", actual);
                int want = name.equals("$asc") ? -1 : 1;
                for (int i = 0; i < a.size() - 1; i++) {
                    if (order(a.get(i), a.get(i + 1), keys) != want) {
                        return "at " + path + "." + (i + 1) + ": not strictly " + name + " by " + Json.write(arg) + " after the element before";
                    }
                }
            } else {
                return "at " + path + ": unknown matcher `" + name + ": " + Json.write(arg) + "`";
            }
        }
        return null;
    }

    private static int order(Object a, Object b, List<?> keys) {
        for (Object key : keys) {
            if (!(key instanceof String k)) throw new ScenarioFailure("`$asc`/`$desc` take key names");
            Object x = a instanceof Map<?, ?> m ? m.get(k) : null;
            Object y = b instanceof Map<?, ?> m ? m.get(k) : null;
            int o;
            if (x instanceof Number p && y instanceof Number q) {
                o = Double.compare(p.doubleValue(), q.doubleValue());
            } else if (x instanceof String p && y instanceof String q) {
                o = compareCodePoints(p, q);
            } else {
                throw new ScenarioFailure("cannot order " + Json.write(x) + " and " + Json.write(y) + " by `" + k + "`");
            }
            if (o != 0) return Integer.signum(o);
        }
        return 0;
    }

    private static int compareCodePoints(String x, String y) {
        int[] a = x.codePoints().toArray();
        int[] b = y.codePoints().toArray();
        for (int i = 0; i < Math.min(a.length, b.length); i++) {
            if (a[i] != b[i]) return Integer.compare(a[i], b[i]);
        }
        return Integer.compare(a.length, b.length);
    }

    /** Deep equality, numbers by value. */
    private static boolean same(Object a, Object b) {
        if (a instanceof Long x && b instanceof Long y) return x.equals(y);
        if (a instanceof Number x && b instanceof Number y) return x.doubleValue() == y.doubleValue();
        if (a instanceof List<?> x && b instanceof List<?> y) {
            if (x.size() != y.size()) return false;
            for (int i = 0; i < x.size(); i++) if (!same(x.get(i), y.get(i))) return false;
            return true;
        }
        if (a instanceof Map<?, ?> x && b instanceof Map<?, ?> y) {
            if (x.size() != y.size()) return false;
            for (Map.Entry<?, ?> e : x.entrySet()) if (!y.containsKey(e.getKey()) || !same(e.getValue(), y.get(e.getKey()))) return false;
            return true;
        }
        return a == null ? b == null : a.equals(b);
    }
}
