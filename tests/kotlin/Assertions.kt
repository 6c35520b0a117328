// The one assertion the suites share beyond kotlin.test: a call fails with a given PivotalException.

package app.pivotal.tests

import app.pivotal.core.PivotalException
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith

/** Runs [block], which must throw a [PivotalException] of [type] and [code] (any when null) and [field]. */
fun expectError(
    type: String,
    code: String? = null,
    field: String? = null,
    anyField: Boolean = field == null,
    block: () -> Unit,
): PivotalException {
    val e = assertFailsWith<PivotalException>("expected $type/$code") { block() }
    val info = e.info()
    assertEquals(type, info.errorType, "error type")
    if (code != null) assertEquals(code, info.code, "error code")
    if (!anyField) assertEquals(field, info.field, "error field")
    return e
}
