package dev.mmo.vs;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.URL;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Health and metrics are served on the management port only, never on the public one. */
@QuarkusTest
class ManagementInterfaceTest {
  @TestHTTPResource(value = "/metrics", management = true)
  URL metrics;

  @TestHTTPResource(value = "/health/ready", management = true)
  URL ready;

  @Test
  void metricsAndHealth_onTheManagementPort_areServed() {
    given().get(metrics).then().statusCode(200).body(containsString("mmo_vs_hsm_up"));
    given().get(ready).then().body(containsString("\"hsm\""));
  }

  @Test
  void metricsAndHealth_onTheMainPort_areNotFound() {
    for (String path : List.of("/q/metrics", "/q/health", "/q/health/ready", "/q/health/live")) {
      given().get(path).then().statusCode(404);
    }
  }

  /**
   * The management interface has no authentication: by default it listens on loopback only, so this
   * machine's other addresses refuse the connection.
   */
  @Test
  void managementPort_onANonLoopbackAddress_refusesConnections() throws IOException {
    List<InetAddress> others =
        NetworkInterface.networkInterfaces()
            .flatMap(NetworkInterface::inetAddresses)
            .filter(a -> !a.isLoopbackAddress() && !a.isLinkLocalAddress())
            .toList();
    assumeFalse(others.isEmpty(), "this machine has no address but loopback");
    for (InetAddress address : others) {
      try (Socket socket = new Socket()) {
        assertThatThrownBy(
                () -> socket.connect(new InetSocketAddress(address, metrics.getPort()), 2000))
            .as("management port on %s", address)
            .isInstanceOf(ConnectException.class);
      }
    }
  }

  @Test
  void openApi_staysOnTheMainPort() {
    given().get("/q/openapi").then().statusCode(200);
  }
}
