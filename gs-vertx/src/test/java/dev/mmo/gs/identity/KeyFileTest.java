package dev.mmo.gs.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mmo.protocol.bytes.Hex;
import dev.mmo.protocol.crypto.Ed25519KeyPair;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyFileTest {
  /**
   * RFC 8410 section 10.3: the example Ed25519 private key, and RFC 8032 section 7.1 TEST 1, whose
   * secret key it is, gives the public key.
   */
  private static final String RFC8410_PEM =
      "-----BEGIN PRIVATE KEY-----\n"
          + "MC4CAQAwBQYDK2VwBCIEINTuctv5E1hK1bbY8fdp+K06/nwoy/HU++CXqI9EdVhC\n"
          + "-----END PRIVATE KEY-----\n";

  private static final String RFC8410_PUBLIC_KEY =
      "19bf44096984cdfe8541bac167dc3b96c85086aa30b6b6cb0c5c38ad703166e1";

  @TempDir Path dir;

  @Test
  void decodePem_rfc8410Example_givesItsPublicKey() throws Exception {
    assertThat(KeyFile.decodePem(RFC8410_PEM).publicKey().hex()).isEqualTo(RFC8410_PUBLIC_KEY);
    assertThat(KeyFile.decodePem(RFC8410_PEM.replace("\n", "\r\n")).publicKey().hex())
        .isEqualTo(RFC8410_PUBLIC_KEY);
  }

  @Test
  void writeThenRead_sameKeyAndOwnerOnlyPermissions() throws Exception {
    Ed25519KeyPair key = Ed25519KeyPair.generate(new SecureRandom());
    Path file = dir.resolve("gs.pem");

    KeyFile.write(file, key);

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThat(KeyFile.read(file).publicKey()).isEqualTo(key.publicKey());
    assertThat(Files.readString(file)).isEqualTo(KeyFile.encodePem(key));
  }

  @Test
  void write_existingFile_refusedAndLeftAlone() throws Exception {
    Path file = dir.resolve("gs.pem");
    Files.writeString(file, "precious");

    assertThatThrownBy(() -> KeyFile.write(file, Ed25519KeyPair.generate(new SecureRandom())))
        .isInstanceOf(FileAlreadyExistsException.class);
    assertThat(Files.readString(file)).isEqualTo("precious");
  }

  @Test
  void read_groupOrWorldReadable_refused() throws Exception {
    Path file = dir.resolve("gs.pem");
    KeyFile.write(file, Ed25519KeyPair.generate(new SecureRandom()));

    for (String mode : List.of("rw-r-----", "rw----r--", "rw-rw-rw-", "rwx---rwx")) {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
      assertThatThrownBy(() -> KeyFile.read(file))
          .as(mode)
          .isInstanceOf(InvalidKeyFileException.class)
          .hasMessageContaining("chmod 600");
    }
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--------"));
    assertThat(KeyFile.read(file)).isNotNull();
  }

  @Test
  void read_groupReadableAllowed_groupReadOnlyAndNothingElse() throws Exception {
    Path file = dir.resolve("gs.pem");
    Ed25519KeyPair key = Ed25519KeyPair.generate(new SecureRandom());
    KeyFile.write(file, key);

    for (String mode : List.of("r--r-----", "rw-r-----")) {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
      assertThat(KeyFile.read(file, true).publicKey()).as(mode).isEqualTo(key.publicKey());
    }
    for (String mode : List.of("rw-rw----", "rw-r-x---", "rw-r--r--")) {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
      assertThatThrownBy(() -> KeyFile.read(file, true))
          .as(mode)
          .isInstanceOf(InvalidKeyFileException.class);
    }
  }

  @Test
  void decodePem_malformed_everyOneRefused() {
    byte[] der =
        Base64.getDecoder()
            .decode("MC4CAQAwBQYDK2VwBCIEINTuctv5E1hK1bbY8fdp+K06/nwoy/HU++CXqI9EdVhC");
    Map<String, String> bad = new LinkedHashMap<>();
    bad.put("empty", "");
    bad.put("no armour", "MC4CAQAwBQYDK2VwBCIEINTuctv5E1hK1bbY8fdp+K06/nwoy/HU++CXqI9EdVhC\n");
    bad.put("another label", RFC8410_PEM.replace("PRIVATE KEY", "EC PRIVATE KEY"));
    bad.put("text after the end", RFC8410_PEM + "extra\n");
    bad.put("text before the start", "junk\n" + RFC8410_PEM);
    bad.put("not base64", RFC8410_PEM.replace("MC4C", "MC4*"));
    bad.put("truncated", pem(java.util.Arrays.copyOf(der, der.length - 1)));
    bad.put("trailing byte", pem(java.util.Arrays.copyOf(der, der.length + 1)));
    byte[] x25519 = der.clone();
    x25519[11] = 0x6e; // OID 1.3.101.110, X25519
    bad.put("X25519 key", pem(x25519));
    byte[] version2 = der.clone();
    version2[4] = 0x01; // OneAsymmetricKey v2 claims a public key that is not there
    bad.put("version 2", pem(version2));
    byte[] shortSeed = der.clone();
    shortSeed[15] = 0x1f;
    bad.put("inner length 31", pem(shortSeed));
    bad.put(
        "ECDSA P-256 key",
        pem(
            Hex.decode(
                "308141020100301306072a8648ce3d020106082a8648ce3d030107042730250201010420"
                    + "0000000000000000000000000000000000000000000000000000000000000001")));

    List<String> accepted = new ArrayList<>();
    for (Map.Entry<String, String> e : bad.entrySet()) {
      try {
        KeyFile.decodePem(e.getValue());
        accepted.add(e.getKey());
      } catch (InvalidKeyFileException expected) {
        // refused, as it must be
      }
    }
    assertThat(accepted).isEmpty();
  }

  @Test
  void read_oversizedFile_refused() throws Exception {
    Path file = dir.resolve("big.pem");
    Files.writeString(file, RFC8410_PEM + "#".repeat(5000), StandardCharsets.US_ASCII);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));

    assertThatThrownBy(() -> KeyFile.read(file)).isInstanceOf(InvalidKeyFileException.class);
  }

  private static String pem(byte[] der) {
    return "-----BEGIN PRIVATE KEY-----\n"
        + Base64.getEncoder().encodeToString(der)
        + "\n-----END PRIVATE KEY-----\n";
  }
}
