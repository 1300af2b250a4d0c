package org.swarmwatch.probe.export.kafka;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.swarmwatch.events.ProbeRecord;
import org.swarmwatch.probe.export.RecordSink;

/**
 * A probe process for {@link KafkaSpoolRecoveryTest}: replays captures into a Kafka sink whose
 * broker is away, so every record goes to the spool, printing "appended N" as it goes, over and
 * over until it is killed.
 *
 * <p>usage: SpoolingProbe SPOOL_DIR BOOTSTRAP CAPTURE...
 */
public final class SpoolingProbe {
    public static void main(String[] args) throws Exception {
        KafkaSettings settings = KafkaFixture.kafkaSettings(args[1], Path.of(args[0]));
        KafkaSink sink = new KafkaSink(settings, "spooling", new SimpleMeterRegistry(), Duration.ofSeconds(1));
        long[] appended = {0};
        RecordSink counting = new RecordSink() {
            @Override
            public void accept(ProbeRecord record) throws IOException {
                sink.accept(record);
                if (++appended[0] % 100 == 0) {
                    System.out.println("appended " + appended[0]);
                    System.out.flush();
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        List<Path> captures = java.util.Arrays.stream(args, 2, args.length).map(Path::of).toList();
        while (true) {
            KafkaFixture.replay(captures, counting);
        }
    }
}
