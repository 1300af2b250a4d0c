package org.swarmwatch.events;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * The record decoder on any bytes a consumer might be handed, seeded with a record of each type
 * (src/test/resources/.../RecordCodecFuzzTestInputs). The contract ({@link RecordCodec#decode}):
 * it gives a record or throws {@link RecordFormatException} with a message, nothing else escapes
 * (the reader's size, nesting, string and number bounds included); a record it gives encodes to
 * bytes that decode to an equal record and encode the same again.
 */
class RecordCodecFuzzTest {

    private final RecordCodec codec = new RecordCodec();

    @FuzzTest(maxDuration = "15s")
    void decodeGivesARecordOrAFormatError(byte[] data) throws RecordFormatException {
        ProbeRecord record;
        try {
            record = codec.decode(data);
        } catch (RecordFormatException e) {
            assertTrue(e.getMessage() != null && !e.getMessage().isBlank(), "a format error says what is wrong");
            return;
        }
        byte[] encoded = codec.encode(record);
        ProbeRecord again = codec.decode(encoded);
        assertEquals(record, again, "a decoded record, encoded and decoded again");
        assertArrayEquals(encoded, codec.encode(again), "encoding is stable");
    }
}
