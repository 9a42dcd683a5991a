package io.chatleads.http;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import org.junit.jupiter.api.Test;

import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/** The transport is named, and the jar carries native epoll for both Linux architectures it promises. */
class TransportsTest {

    @Test
    void bothEpollLibrariesAreOnTheClasspath() {
        for (String arch : new String[]{"x86_64", "aarch_64"}) {
            String library = "META-INF/native/libnetty_transport_native_epoll_" + arch + ".so";
            assertNotNull(getClass().getClassLoader().getResource(library), library);
        }
    }

    @Test
    void aServerPreferringNativeTransportRunsEpollOnLinuxAndNamesIt() {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch");
        Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
        try {
            if (os.contains("linux") && (arch.equals("amd64") || arch.equals("aarch64"))) {
                assertEquals("epoll", Transports.name(vertx));
                assertEquals("epoll", Transports.describe(vertx));
            } else {
                System.out.println("TransportsTest: not Linux on x86-64 or aarch64 (" + os + ", " + arch
                        + "): the transport is " + Transports.describe(vertx));
            }
        } finally {
            vertx.close().await();
        }
    }

    @Test
    void withoutNativeTransportItIsNio() {
        Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(false));
        try {
            assertEquals("nio", Transports.name(vertx));
        } finally {
            vertx.close().await();
        }
    }
}
