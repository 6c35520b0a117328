// The fields of a PivotalException, whatever its variant: uniffi-bindgen-java gives each variant
// its own accessors and the base class none (Kotlin's and Swift's `info()` is not generated).

package app.pivotal.tests;

import app.pivotal.core.ErrorInfo;
import app.pivotal.core.PivotalException;

final class Errors {
    private Errors() {}

    /** The fields every PivotalException variant carries, whatever the variant. */
    static ErrorInfo info(PivotalException e) {
        return switch (e) {
            case PivotalException.InvalidRequest x -> new ErrorInfo(x.errorType(), x.code(), x.detail(), x.field(), x.httpStatus());
            case PivotalException.Authentication x -> new ErrorInfo(x.errorType(), x.code(), x.detail(), x.field(), x.httpStatus());
            case PivotalException.Permission x -> new ErrorInfo(x.errorType(), x.code(), x.detail(), x.field(), x.httpStatus());
            case PivotalException.NotFound x -> new ErrorInfo(x.errorType(), x.code(), x.detail(), x.field(), x.httpStatus());
            case PivotalException.Conflict x -> new ErrorInfo(x.errorType(), x.code(), x.detail(), x.field(), x.httpStatus());
            case PivotalException.RateLimit x -> new ErrorInfo(x.errorType(), x.code(), x.detail(), x.field(), x.httpStatus());
            case PivotalException.Internal x -> new ErrorInfo(x.errorType(), x.code(), x.detail(), x.field(), x.httpStatus());
            default -> throw new AssertionError("an unknown PivotalException variant: " + e.getClass());
        };
    }
}
