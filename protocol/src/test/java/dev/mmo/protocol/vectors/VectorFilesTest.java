package dev.mmo.protocol.vectors;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The committed vector files are exactly what the generator writes: no hand edits, no drift. */
class VectorFilesTest {
  @Test
  void generatedFiles_matchCommittedFiles() throws IOException {
    List<String> stale = new ArrayList<>();
    for (Map.Entry<String, String> file : new VectorGenerator().generateAll().entrySet()) {
      try (InputStream in = getClass().getResourceAsStream("/vectors/" + file.getKey())) {
        String committed =
            in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        if (!file.getValue().equals(committed)) {
          stale.add(file.getKey());
        }
      }
    }
    for (Map.Entry<String, byte[]> seed : new VectorGenerator().generateSeeds().entrySet()) {
      try (InputStream in = getClass().getResourceAsStream("/" + seed.getKey())) {
        if (in == null || !java.util.Arrays.equals(in.readAllBytes(), seed.getValue())) {
          stale.add(seed.getKey());
        }
      }
    }
    assertThat(stale).as("run `make vectors` and commit the result").isEmpty();
  }

  @Test
  void generator_runTwice_identicalOutput() {
    assertThat(new VectorGenerator().generateAll()).isEqualTo(new VectorGenerator().generateAll());
  }
}
