// A minimal JSON reader and writer for the test runners (no Maven, no org.json).
// Values: null, Boolean, Long (integers), Double, String, List<Any?>, LinkedHashMap<String, Any?>.

package app.pivotal.tests

class JsonException(message: String) : Exception(message)

object Json {
    fun parse(text: String): Any? {
        val p = Reader(text)
        p.ws()
        val v = p.value(0)
        p.ws()
        if (p.i != text.length) throw JsonException("trailing characters at ${p.i}")
        return v
    }

    /** Parses JSON text that must be an object. */
    @Suppress("UNCHECKED_CAST")
    fun obj(text: String): Map<String, Any?> =
        parse(text) as? Map<String, Any?> ?: throw JsonException("not a JSON object: $text")

    fun write(v: Any?): String = StringBuilder().also { write(v, it) }.toString()

    private fun write(v: Any?, out: StringBuilder) {
        when (v) {
            null -> out.append("null")
            is Boolean -> out.append(v.toString())
            is Long, is Int, is Short, is Byte -> out.append(v.toString())
            is Double -> {
                if (v.isNaN() || v.isInfinite()) throw JsonException("not a JSON number: $v")
                out.append(v.toString())
            }
            is String -> string(v, out)
            is Map<*, *> -> {
                out.append('{')
                var first = true
                for ((k, x) in v) {
                    if (!first) out.append(',')
                    first = false
                    string(k as String, out)
                    out.append(':')
                    write(x, out)
                }
                out.append('}')
            }
            is List<*> -> {
                out.append('[')
                v.forEachIndexed { i, x ->
                    if (i > 0) out.append(',')
                    write(x, out)
                }
                out.append(']')
            }
            else -> throw JsonException("cannot write ${v::class}")
        }
    }

    private fun string(s: String, out: StringBuilder) {
        out.append('"')
        for (c in s) {
            when {
                c == '"' -> out.append("\\\"")
                c == '\\' -> out.append("\\\\")
                c == '\n' -> out.append("\\n")
                c == '\r' -> out.append("\\r")
                c == '\t' -> out.append("\\t")
                c < ' ' -> out.append(String.format("\\u%04x", c.code))
                else -> out.append(c)
            }
        }
        out.append('"')
    }

    private class Reader(val s: String) {
        var i = 0

        fun ws() {
            while (i < s.length && (s[i] == ' ' || s[i] == '\n' || s[i] == '\r' || s[i] == '\t')) i++
        }

        fun fail(what: String): Nothing = throw JsonException("$what at offset $i")

        fun value(depth: Int): Any? {
            if (depth > 512) fail("nesting too deep")
            if (i >= s.length) fail("unexpected end")
            return when (s[i]) {
                '{' -> {
                    i++
                    val m = LinkedHashMap<String, Any?>()
                    ws()
                    if (peek('}')) { i++; return m }
                    while (true) {
                        ws()
                        if (!peek('"')) fail("expected a key")
                        val k = str()
                        ws()
                        expect(':')
                        ws()
                        m[k] = value(depth + 1)
                        ws()
                        if (peek(',')) { i++; continue }
                        expect('}')
                        return m
                    }
                    @Suppress("UNREACHABLE_CODE") m
                }
                '[' -> {
                    i++
                    val l = ArrayList<Any?>()
                    ws()
                    if (peek(']')) { i++; return l }
                    while (true) {
                        ws()
                        l.add(value(depth + 1))
                        ws()
                        if (peek(',')) { i++; continue }
                        expect(']')
                        return l
                    }
                    @Suppress("UNREACHABLE_CODE") l
                }
                '"' -> str()
                't' -> literal("true", true)
                'f' -> literal("false", false)
                'n' -> literal("null", null)
                else -> number()
            }
        }

        fun peek(c: Char) = i < s.length && s[i] == c

        fun expect(c: Char) {
            if (!peek(c)) fail("expected '$c'")
            i++
        }

        fun literal(word: String, v: Any?): Any? {
            if (!s.startsWith(word, i)) fail("bad literal")
            i += word.length
            return v
        }

        fun number(): Any {
            val start = i
            if (peek('-')) i++
            while (i < s.length && s[i].isDigit()) i++
            var integral = true
            if (peek('.')) { integral = false; i++; while (i < s.length && s[i].isDigit()) i++ }
            if (i < s.length && (s[i] == 'e' || s[i] == 'E')) {
                integral = false
                i++
                if (peek('+') || peek('-')) i++
                while (i < s.length && s[i].isDigit()) i++
            }
            val text = s.substring(start, i)
            if (text.isEmpty() || text == "-") fail("bad number")
            return if (integral) text.toLongOrNull() ?: text.toDouble() else text.toDouble()
        }

        fun str(): String {
            expect('"')
            val b = StringBuilder()
            while (true) {
                if (i >= s.length) fail("unterminated string")
                val c = s[i++]
                when (c) {
                    '"' -> return b.toString()
                    '\\' -> {
                        if (i >= s.length) fail("bad escape")
                        when (val e = s[i++]) {
                            '"' -> b.append('"')
                            '\\' -> b.append('\\')
                            '/' -> b.append('/')
                            'b' -> b.append('\b')
                            'f' -> b.append('\u000C')
                            'n' -> b.append('\n')
                            'r' -> b.append('\r')
                            't' -> b.append('\t')
                            'u' -> {
                                if (i + 4 > s.length) fail("bad \\u escape")
                                b.append(s.substring(i, i + 4).toInt(16).toChar())
                                i += 4
                            }
                            else -> fail("bad escape '$e'")
                        }
                    }
                    else -> b.append(c)
                }
            }
        }
    }
}
