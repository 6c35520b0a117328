// A scenario that does not hold: its message says which step and why.

package app.pivotal.tests;

final class ScenarioFailure extends RuntimeException {
    ScenarioFailure(String message) {
        super(message);
    }
}
