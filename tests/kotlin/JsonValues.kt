// JSON text <-> plain Kotlin values (Map, List, String, Long, Double, Boolean, null), which the
// tests, the scenario runner and the retrieve bench (bindings-uniffi/bench) compare and build;
// kotlinx-serialization-json reads and writes the text.

package app.pivotal.tests

import kotlinx.serialization.json.Json
import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonNull
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import kotlinx.serialization.json.booleanOrNull
import kotlinx.serialization.json.doubleOrNull
import kotlinx.serialization.json.longOrNull

/** The value of a JSON document: objects keep their key order; integers are Longs. */
fun parseJson(text: String): Any? = plain(Json.parseToJsonElement(text))

/** A JSON document that must be an object. */
@Suppress("UNCHECKED_CAST")
fun parseJsonObject(text: String): Map<String, Any?> =
    parseJson(text) as? Map<String, Any?> ?: throw IllegalArgumentException("not a JSON object: $text")

/** The compact JSON text of a plain value. */
fun writeJson(value: Any?): String = element(value).toString()

private fun plain(e: JsonElement): Any? = when (e) {
    is JsonNull -> null
    is JsonObject -> e.entries.associateTo(LinkedHashMap()) { (k, v) -> k to plain(v) }
    is JsonArray -> e.map(::plain)
    is JsonPrimitive -> when {
        e.isString -> e.content
        else -> e.booleanOrNull ?: e.longOrNull ?: e.doubleOrNull ?: throw IllegalArgumentException("bad number ${e.content}")
    }
}

private fun element(v: Any?): JsonElement = when (v) {
    null -> JsonNull
    is JsonElement -> v
    is String -> JsonPrimitive(v)
    is Boolean -> JsonPrimitive(v)
    is Double -> if (v.isFinite()) JsonPrimitive(v) else throw IllegalArgumentException("not a JSON number: $v")
    is Number -> JsonPrimitive(v)
    is Map<*, *> -> JsonObject(v.entries.associate { (k, x) -> k as String to element(x) })
    is List<*> -> JsonArray(v.map(::element))
    else -> throw IllegalArgumentException("not a JSON value: ${v::class}")
}
