package dev.mediagate.deploy;

import static dev.mediagate.local.sam.SamTemplate.map;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mediagate.local.sam.SamTemplate;
import dev.mediagate.testing.DocBlocks;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/operations.md's redrive of the resizer's failure queue (the block marked {@code <!-- test: redrive-resizer-failures -->})
 * against template.yaml: the output it reads exists and is the ARN of the queue ResizerQueue dead-letters to, and the
 * move names no destination, so SQS returns the messages to ResizerQueue (StartMessageMoveTask's DestinationArn: "If
 * this field is left blank, the messages will be redriven back to their respective original source queues").
 */
class RedriveCommandTest {

    private static final Pattern OUTPUT = Pattern.compile("(\\w+)=\\$\\(aws cloudformation describe-stacks .*OutputKey=='(\\w+)'.*\\)");

    private final SamTemplate template = SamTemplate.load(TemplateTest.ROOT.resolve("template.yaml"));

    @Test
    void theDocumentedCommandMovesTheResizersFailureQueueBackToTheResizersQueue() {
        String block = DocBlocks.single(TemplateTest.ROOT, "redrive-resizer-failures");
        Map<String, Object> outputs = map(template.root().get("Outputs"));
        Matcher read = OUTPUT.matcher(block);
        assertThat(read.find()).as("the block reads the failure queue's ARN from the stack's outputs").isTrue();
        String variable = read.group(1);
        String output = read.group(2);
        assertThat(outputs).containsKey(output);
        String sourceArn = template.resolve(map(outputs.get(output)).get("Value"));

        List<String> moves = block.lines().filter(line -> line.startsWith("aws sqs start-message-move-task")).toList();

        assertThat(moves).singleElement().satisfies(move -> {
            assertThat(move).isEqualTo("aws sqs start-message-move-task --source-arn \"$" + variable + "\"");
            assertThat(move).doesNotContain("--destination-arn");
        });
        Map<String, Object> redrive = map(template.evaluate(template.properties("ResizerQueue").get("RedrivePolicy")));
        assertThat(sourceArn).as("the output is the queue ResizerQueue dead-letters to").isEqualTo(String.valueOf(redrive.get("deadLetterTargetArn")))
                .isEqualTo("${ResizerFailureQueue.Arn}");
        assertThat(block.lines().filter(line -> line.startsWith("aws ")).toList()).allSatisfy(command ->
                assertThat(command).matches("aws sqs (start-message-move-task|list-message-move-tasks) --source-arn \"\\$" + variable + "\""));
    }
}
