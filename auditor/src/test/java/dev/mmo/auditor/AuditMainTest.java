package dev.mmo.auditor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The audit command end to end: a recorded match with real signatures and receipts, served by an
 * in-process stand-in of the VS's receipts API, judged through {@link AuditMain#run}.
 */
class AuditMainTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void audit_honestMatch_passesWithCounts() throws Exception {
    RecordedMatch match = new RecordedMatch(dir);
    try (StandInVs vs = new StandInVs(match.session, match.receipts)) {
      Result r = audit(match, vs, "--json", "--page-size", "3");

      assertThat(r.status).as(r.out).isEqualTo(0);
      assertThat(r.json.get("verdict").asText()).isEqualTo("PASS");
      assertThat(r.json.get("session").asText()).isEqualTo(match.session.hex());
      assertThat(r.json.get("inputs").asLong()).isEqualTo(match.inputTicks.size());
      assertThat(r.json.get("ticks").asLong()).isEqualTo(RecordedMatch.PLAYED_TICKS);
      assertThat(r.json.get("receiptsChecked").asLong()).isEqualTo(match.receipts.size());
      assertThat(r.json.get("divergence").isNull()).isTrue();
      // 13 receipts, 3 a page: every page was read.
      assertThat(match.receipts).hasSize(13);
      assertThat(vs.requests()).isEqualTo(5);
    }
  }

  @Test
  void audit_honestMatch_textVerdict() throws Exception {
    RecordedMatch match = new RecordedMatch(dir);
    try (StandInVs vs = new StandInVs(match.session, match.receipts)) {
      Result r = audit(match, vs);

      assertThat(r.status).isEqualTo(0);
      assertThat(r.out)
          .startsWith("PASS session " + match.session.hex() + "\n")
          .contains("receipts checked:  13");
    }
  }

  @Test
  void audit_inputRemovedAndTipsRewritten_failsAtTheFirstReceiptAfterIt() throws Exception {
    RecordedMatch match = new RecordedMatch(dir);
    TranscriptEdit edit = new TranscriptEdit(match.transcript);
    edit.remove(edit.input(7, 1)).write(match.transcript, true);
    try (StandInVs vs = new StandInVs(match.session, match.receipts)) {
      Result r = audit(match, vs, "--json");

      assertThat(r.status).as(r.out).isEqualTo(1);
      assertDivergence(r, match.firstCounterFrom(7), 8, "RECEIPT_TIP");
      assertThat(match.firstCounterFrom(7)).isEqualTo(9);
      // The receipts of ticks 2, 4 and 6 agreed.
      assertThat(r.json.get("receiptsChecked").asLong()).isEqualTo(3);
    }
  }

  @Test
  void audit_inputRemovedTipsLeft_transcriptInvalidAtTheFirstReceiptAfterIt() throws Exception {
    RecordedMatch match = new RecordedMatch(dir);
    TranscriptEdit edit = new TranscriptEdit(match.transcript);
    edit.remove(edit.input(11, 0)).write(match.transcript, false);
    try (StandInVs vs = new StandInVs(match.session, match.receipts)) {
      Result r = audit(match, vs, "--json");

      assertThat(r.status).as(r.out).isEqualTo(1);
      assertDivergence(r, match.firstCounterFrom(11), 12, "TRANSCRIPT_INVALID");
      assertThat(r.json.at("/divergence/detail").asText())
          .contains("does not verify after tick 10")
          .contains("receipt tip");
    }
  }

  @Test
  void audit_twoPlayersInputsSwapped_failsOnTheTipAtThatTick() throws Exception {
    RecordedMatch match = new RecordedMatch(dir);
    TranscriptEdit edit = new TranscriptEdit(match.transcript);
    int first = edit.input(13, 0);
    int other = first + 1;
    while (java.util.Arrays.equals(edit.record(other).player(), edit.record(first).player())) {
      other++;
    }
    edit.swap(first, other).write(match.transcript, true);
    try (StandInVs vs = new StandInVs(match.session, match.receipts)) {
      Result r = audit(match, vs, "--json");

      assertThat(r.status).as(r.out).isEqualTo(1);
      assertDivergence(r, match.firstCounterFrom(13), 14, "RECEIPT_TIP");
    }
  }

  @Test
  void audit_onePlayersInputsSwapped_nonceGoesBackTranscriptInvalid() throws Exception {
    RecordedMatch match = new RecordedMatch(dir);
    TranscriptEdit edit = new TranscriptEdit(match.transcript);
    // On even ticks every player sends two inputs in a row.
    int first = edit.input(15 + 1, 0);
    edit.swap(first, first + 1).write(match.transcript, true);
    try (StandInVs vs = new StandInVs(match.session, match.receipts)) {
      Result r = audit(match, vs, "--json");

      assertThat(r.status).as(r.out).isEqualTo(1);
      assertDivergence(r, match.firstCounterFrom(16), 16, "TRANSCRIPT_INVALID");
      assertThat(r.json.at("/divergence/detail").asText()).contains("nonce");
    }
  }

  @Test
  void audit_teleportingHost_failsOnThePositionAtThatCounter() throws Exception {
    RecordedMatch match = new RecordedMatch(dir, new RecordedMatch.Faults().teleportAt(15));
    try (StandInVs vs = new StandInVs(match.session, match.receipts)) {
      Result r = audit(match, vs, "--json");

      assertThat(r.status).as(r.out).isEqualTo(1);
      assertDivergence(r, 15, 14, "POSITION");
      assertThat(r.json.at("/divergence/detail").asText()).contains("the transcript gives (");
      assertThat(r.json.get("receiptsChecked").asLong()).isEqualTo(6);
    }
  }

  @Test
  void audit_teleportingHost_textVerdictNamesCounterTickAndPlayer() throws Exception {
    RecordedMatch match = new RecordedMatch(dir, new RecordedMatch.Faults().teleportAt(7));
    try (StandInVs vs = new StandInVs(match.session, match.receipts)) {
      Result r = audit(match, vs);

      assertThat(r.status).isEqualTo(1);
      assertThat(r.out)
          .startsWith(
              "FAIL session "
                  + match.session.hex()
                  + " at gs_counter 7 (tick 6): POSITION: player ")
          .contains("receipts checked:  2");
    }
  }

  @Test
  void audit_digestNotSignedBySessionKey_failsAtThatCounter() throws Exception {
    RecordedMatch match = new RecordedMatch(dir, new RecordedMatch.Faults().foreignDigestAt(19));
    try (StandInVs vs = new StandInVs(match.session, match.receipts)) {
      Result r = audit(match, vs, "--json");

      assertThat(r.status).as(r.out).isEqualTo(1);
      assertDivergence(r, 19, -1, "DIGEST_SIGNATURE");
      assertThat(r.json.at("/divergence/detail").asText()).contains("BAD_SIGNATURE");
    }
  }

  @Test
  void audit_listedTipNotTheAttestedOne_failsAtThatCounter() throws Exception {
    RecordedMatch match = new RecordedMatch(dir);
    try (StandInVs vs = new StandInVs(match.session, match.receipts).misreportTipAt(21)) {
      Result r = audit(match, vs, "--json");

      assertThat(r.status).as(r.out).isEqualTo(1);
      assertDivergence(r, 21, -1, "RECEIPT_FIELDS");
    }
  }

  @Test
  void audit_receiptProvenByAKeyOutsideTheAnchors_failsAtThatCounter() throws Exception {
    RecordedMatch match = new RecordedMatch(dir, new RecordedMatch.Faults().untrustedAt(11));
    try (StandInVs vs = new StandInVs(match.session, match.receipts)) {
      Result r = audit(match, vs, "--json");

      assertThat(r.status).as(r.out).isEqualTo(1);
      assertDivergence(r, 11, -1, "RECEIPT_PROOF");
    }
  }

  @Test
  void audit_joinAcceptNotProvenByAnAnchor_failsBeforeAskingTheVs() throws Exception {
    RecordedMatch match = new RecordedMatch(dir, new RecordedMatch.Faults().untrustedJoinAccept());
    try (StandInVs vs = new StandInVs(match.session, match.receipts)) {
      Result r = audit(match, vs, "--json");

      assertThat(r.status).as(r.out).isEqualTo(1);
      assertThat(r.json.at("/divergence/kind").asText()).isEqualTo("JOIN_ACCEPT_PROOF");
      assertThat(r.json.at("/divergence/gsCounter").isNull()).isTrue();
      assertThat(vs.requests()).isZero();
    }
  }

  @Test
  void audit_digestFrameNotTheNotarizedOne_failsOnTheHash() throws Exception {
    RecordedMatch match = new RecordedMatch(dir);
    List<RecordedMatch.Receipt> served = new ArrayList<>(match.receipts);
    RecordedMatch.Receipt fifth = served.get(4);
    served.set(
        4,
        new RecordedMatch.Receipt(
            fifth.gsCounter(), fifth.tick(), fifth.receipt(), served.get(3).digest()));
    try (StandInVs vs = new StandInVs(match.session, served)) {
      Result r = audit(match, vs, "--json");

      assertThat(r.status).as(r.out).isEqualTo(1);
      assertDivergence(r, fifth.gsCounter(), -1, "DIGEST_HASH");
    }
  }

  @Test
  void audit_httpErrorOnTheSecondPage_isAnError() throws Exception {
    RecordedMatch match = new RecordedMatch(dir);
    try (StandInVs vs = new StandInVs(match.session, match.receipts).failRequest(2, 500)) {
      Result r = audit(match, vs, "--page-size", "4");

      assertThat(r.status).isEqualTo(2);
      assertThat(r.err)
          .startsWith("error: GET " + vs.uri() + "/api/sessions/" + match.session.hex())
          .contains("limit=4&fromCounter=10")
          .contains("HTTP 500")
          .contains("the database is unavailable");
      assertThat(r.out).isEmpty();
    }
  }

  @Test
  void audit_pageMissingAnItem_isAnError() throws Exception {
    RecordedMatch match = new RecordedMatch(dir);
    try (StandInVs vs = new StandInVs(match.session, match.receipts).shortPage(2)) {
      Result r = audit(match, vs, "--json", "--page-size", "5");

      assertThat(r.status).isEqualTo(2);
      assertThat(r.json.get("verdict").asText()).isEqualTo("ERROR");
      assertThat(r.json.get("error").asText())
          .contains("incomplete listing: the page holds 4 receipts but total 8 and limit 5");
    }
  }

  @Test
  void audit_wrongToken_isAnErrorNamingTheStatus() throws Exception {
    RecordedMatch match = new RecordedMatch(dir);
    try (StandInVs vs = new StandInVs(match.session, match.receipts)) {
      Result r =
          run(
              "audit",
              "--transcript",
              match.transcript.toString(),
              "--vs",
              vs.uri().toString(),
              "--token",
              "not.the.token",
              "--trust-anchors",
              anchors(match).toString());

      assertThat(r.status).isEqualTo(2);
      assertThat(r.err).contains("HTTP 401").contains("token");
    }
  }

  @Test
  void audit_tokenFromAFile_passes() throws Exception {
    RecordedMatch match = new RecordedMatch(dir);
    Path token = Files.writeString(dir.resolve("token"), StandInVs.TOKEN + "\n");
    try (StandInVs vs = new StandInVs(match.session, match.receipts)) {
      Result r =
          run(
              "audit",
              "--transcript",
              match.transcript.toString(),
              "--vs",
              vs.uri().toString(),
              "--token-file",
              token.toString(),
              "--trust-anchors",
              anchors(match).toString());

      assertThat(r.status).as(r.err).isEqualTo(0);
    }
  }

  @Test
  void audit_badUsage_exitsTwo() throws Exception {
    List<String[]> cases =
        List.of(
            new String[] {},
            new String[] {"verify"},
            new String[] {"audit", "--transcript", "t"},
            new String[] {"audit", "--transcript", "t", "--vs", "ftp://x", "--token", "a"},
            new String[] {"audit", "--bogus"},
            new String[] {
              "audit",
              "--transcript",
              "t",
              "--vs",
              "http://x",
              "--token",
              "a",
              "--token-file",
              "f",
              "--trust-anchors",
              "a"
            });
    List<String> wrong = new ArrayList<>();
    for (String[] args : cases) {
      Result r = run(args);
      if (r.status != 2 || !r.err.contains("usage: audit")) {
        wrong.add(String.join(" ", args) + " -> " + r.status + " " + r.err);
      }
    }
    assertThat(wrong).isEmpty();
  }

  @Test
  void audit_transcriptMissing_exitsTwo() throws Exception {
    RecordedMatch match = new RecordedMatch(dir);
    Result r =
        run(
            "audit",
            "--transcript",
            dir.resolve("absent.transcript").toString(),
            "--vs",
            "http://127.0.0.1:9",
            "--token",
            StandInVs.TOKEN,
            "--trust-anchors",
            anchors(match).toString());

    assertThat(r.status).isEqualTo(2);
    assertThat(r.err).contains("absent.transcript: not a readable file");
  }

  private void assertDivergence(Result r, long counter, long tick, String kind) {
    JsonNode d = r.json.get("divergence");
    assertThat(r.json.get("verdict").asText()).isEqualTo("FAIL");
    assertThat(d.get("kind").asText()).as(d.toString()).isEqualTo(kind);
    assertThat(d.get("gsCounter").asLong()).as(d.toString()).isEqualTo(counter);
    if (tick >= 0) {
      assertThat(d.get("tick").asLong()).isEqualTo(tick);
    } else {
      assertThat(d.get("tick").isNull()).isTrue();
    }
  }

  private Path anchors(RecordedMatch match) throws Exception {
    return Files.writeString(
        dir.resolve("anchors.txt"),
        "# the VS\n" + match.vs.publicKey().uncompressedPoint().hex() + "\n");
  }

  private Result audit(RecordedMatch match, StandInVs vs, String... extra) throws Exception {
    List<String> args =
        new ArrayList<>(
            List.of(
                "audit",
                "--transcript",
                match.transcript.toString(),
                "--vs",
                vs.uri().toString(),
                "--token",
                StandInVs.TOKEN,
                "--trust-anchors",
                anchors(match).toString()));
    args.addAll(List.of(extra));
    return run(args.toArray(String[]::new));
  }

  private static Result run(String... args) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status =
        AuditMain.run(
            args,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    String text = out.toString(StandardCharsets.UTF_8);
    JsonNode json = text.startsWith("{") ? JSON.readTree(text) : null;
    return new Result(status, text, err.toString(StandardCharsets.UTF_8), json);
  }

  private record Result(int status, String out, String err, JsonNode json) {}
}
