// SPDX-License-Identifier: Apache-2.0
package org.layerstore.hal;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

import org.layerstore.board.HostPlatform;

/**
 * Loads the HAL's native library ({@code liblayerstore-hal.so}) once per JVM.
 *
 * <p>The library travels inside the hal jar under {@code native/<platform>/}; it is copied to a
 * private temporary file and loaded with {@link System#load}, so that the generated bindings, which
 * look symbols up through the class loader, find it. An installed system (the Yocto image) names the
 * library's path with the system property {@value #LIBRARY_PATH_PROPERTY} instead.
 *
 * <p>Loading never throws at class initialization: {@link #isAvailable()} and
 * {@link #unavailabilityCause()} say whether the library can be used and why not.
 */
public final class HalLibrary {

    /** System property naming an installed copy of the library, used instead of the packaged one. */
    public static final String LIBRARY_PATH_PROPERTY = "layerstore.hal.library";

    /** The ABI version the Java side was written for; must equal the library's {@code LSH_ABI_VERSION}. */
    public static final int EXPECTED_ABI_VERSION = 6;

    private static final String LIBRARY_FILE = "liblayerstore-hal.so";
    private static final Throwable UNAVAILABILITY_CAUSE = load();

    private HalLibrary() {
    }

    /** True when the native library is loaded and its ABI matches. */
    public static boolean isAvailable() {
        return UNAVAILABILITY_CAUSE == null;
    }

    /** Why the library cannot be used, or {@code null} when it can. */
    public static Throwable unavailabilityCause() {
        return UNAVAILABILITY_CAUSE;
    }

    /** Throws the reason the library cannot be used, if there is one. */
    public static void ensureAvailable() {
        if (UNAVAILABILITY_CAUSE != null) {
            throw new IllegalStateException("the HAL native library is not usable: " + UNAVAILABILITY_CAUSE.getMessage(),
                    UNAVAILABILITY_CAUSE);
        }
    }

    /** Where the library was loaded from, for start-up logs. */
    public static String describe() {
        return isAvailable() ? "liblayerstore-hal ABI " + abiVersion() + " (" + HostPlatform.current() + ")"
                : "liblayerstore-hal unavailable: " + UNAVAILABILITY_CAUSE.getMessage();
    }

    /** The ABI version compiled into the loaded library. */
    public static int abiVersion() {
        ensureAvailable();
        try {
            return (int) AbiVersionCall.HANDLE.invokeExact();
        } catch (Throwable e) {
            throw new IllegalStateException("lsh_abi_version() failed", e);
        }
    }

    private static Throwable load() {
        try {
            System.load(locate().toString());
            int abi = (int) AbiVersionCall.HANDLE.invokeExact();
            if (abi != EXPECTED_ABI_VERSION) {
                return new IllegalStateException("library ABI " + abi + " but the bindings expect "
                        + EXPECTED_ABI_VERSION + ": rebuild the hal module");
            }
            return null;
        } catch (Throwable e) {
            return e;
        }
    }

    private static Path locate() throws IOException {
        String installed = System.getProperty(LIBRARY_PATH_PROPERTY);
        if (installed != null) {
            Path path = Path.of(installed);
            if (!Files.isReadable(path)) {
                throw new IOException(LIBRARY_PATH_PROPERTY + "=" + installed + " is not a readable file");
            }
            return path;
        }
        HostPlatform platform = HostPlatform.current();
        String resource = "/native/" + platform.nativeDirectory() + "/" + LIBRARY_FILE;
        try (InputStream in = HalLibrary.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("no native library for " + platform + " in the hal jar (" + resource
                        + "); supported: linux-x86_64, linux-aarch64");
            }
            Path dir = Files.createTempDirectory("layerstore-hal-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Path file = dir.resolve(LIBRARY_FILE);
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            // Once mapped, the library needs no file: the copy and its directory go at exit.
            dir.toFile().deleteOnExit();
            file.toFile().deleteOnExit();
            return file;
        }
    }

    /** Holder so that the downcall is linked only after the library is loaded. */
    private static final class AbiVersionCall {
        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(
                SymbolLookup.loaderLookup().findOrThrow("lsh_abi_version"),
                FunctionDescriptor.of(ValueLayout.JAVA_INT));
    }
}
