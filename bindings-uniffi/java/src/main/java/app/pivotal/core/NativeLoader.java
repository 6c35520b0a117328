// The native library inside the JAR: the generated bindings ask this class for the library to load
// (bindings-uniffi/java/build.sh points their `findLibraryName` here), so no -Djava.library.path is
// needed. The system property `uniffi.component.pivotal_uniffi.libraryOverride` still wins.

package app.pivotal.core;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

final class NativeLoader {
    private static String path;

    private NativeLoader() {}

    /**
     * The absolute path of the library resource {@code <os>-<arch>/lib<name>.so}, copied once per
     * process to a temporary file (deleted on exit); {@code name} itself when the JAR has no library for
     * this platform, which {@code System.loadLibrary} then looks for on {@code java.library.path}.
     */
    static synchronized String libraryPath(String name) {
        if (path != null) return path;
        String file = System.mapLibraryName(name);
        String resource = platform() + "/" + file;
        try (InputStream in = NativeLoader.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) return name;
            Path dir = Files.createTempDirectory("pivotal-core-java");
            Path lib = dir.resolve(file);
            Files.copy(in, lib, StandardCopyOption.REPLACE_EXISTING);
            lib.toFile().deleteOnExit();
            dir.toFile().deleteOnExit();
            path = lib.toAbsolutePath().toString();
            return path;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot extract the native library " + resource, e);
        }
    }

    /** JNA's resource prefix for this platform (linux-x86-64, darwin-aarch64, …), shared with the Kotlin JAR. */
    static String platform() {
        String os = System.getProperty("os.name").toLowerCase(java.util.Locale.ROOT);
        String arch = System.getProperty("os.arch").toLowerCase(java.util.Locale.ROOT);
        String o = os.startsWith("linux") ? "linux" : os.startsWith("mac") ? "darwin" : os.startsWith("windows") ? "win32" : os;
        String a = switch (arch) {
            case "amd64", "x86_64" -> "x86-64";
            case "aarch64", "arm64" -> "aarch64";
            default -> arch;
        };
        return o + "-" + a;
    }
}
