package org.swarmwatch.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * The record decoder on any text a consumer might be handed: it either decodes a record that
 * encodes back to a decodable equal record, or throws {@link RecordFormatException} with a message;
 * nothing else escapes.
 */
class RecordCodecFuzzTest {

    private final RecordCodec codec = new RecordCodec();

    @FuzzTest(maxDuration = "20s")
    void decodeGivesARecordOrAFormatError(byte[] data) throws RecordFormatException {
        ProbeRecord record;
        try {
            record = codec.decode(data);
        } catch (RecordFormatException e) {
            assertNotNull(e.getMessage());
            return;
        }
        assertEquals(record, codec.decode(codec.encode(record)));
    }
}
