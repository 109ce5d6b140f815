package dev.mediagate.resizer;

import com.amazonaws.services.lambda.runtime.events.S3Event;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code events/*.json} deserialised exactly as Lambda's Java runtime does it for a {@code RequestHandler<S3Event, …>}. */
final class S3Events {

    private S3Events() {
    }

    static String json(String fileName) {
        Path path = Path.of(System.getProperty("mediagate.events.dir", "../../events")).resolve(fileName);
        try {
            return Files.readString(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static S3Event parse(String json) {
        return LambdaEventSerializers.serializerFor(S3Event.class, S3Events.class.getClassLoader())
                .fromJson(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
    }

    static S3Event event(String fileName) {
        return parse(json(fileName));
    }

    /** An SQS batch as Lambda's Java runtime hands it to a {@code RequestHandler<SQSEvent, …>}. */
    static SQSEvent sqs(String json) {
        return LambdaEventSerializers.serializerFor(SQSEvent.class, S3Events.class.getClassLoader())
                .fromJson(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
    }
}
