package dev.mediagate.local.cdn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.mediagate.local.sam.SamTemplate;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Deny of the distribution's reads on a condition the local edge does not model is an error, not ignored: ignoring
 * it would serve locally what S3 refuses. A Deny of requests without TLS never concerns CloudFront and is ignored.
 */
class CdnOriginReadsTest {

    @TempDir
    Path directory;

    private SamTemplate policyDenyingOn(String conditionKey) throws Exception {
        Path template = directory.resolve("template.yaml");
        Files.writeString(template, """
                Resources:
                  MediaBucketPolicy:
                    Type: AWS::S3::BucketPolicy
                    Properties:
                      Bucket: media
                      PolicyDocument:
                        Statement:
                          - Effect: Allow
                            Principal: {Service: cloudfront.amazonaws.com}
                            Action: s3:GetObject
                            Resource: arn:aws:s3:::media/originals/*
                          - Effect: Deny
                            Principal: '*'
                            Action: 's3:*'
                            Resource: arn:aws:s3:::media/*
                            Condition:
                              StringEquals:
                                %s: 'x'
                """.formatted(conditionKey));
        return SamTemplate.load(template);
    }

    @Test
    void aDenyOnAConditionKeyTheEdgeDoesNotModelIsAnError() throws Exception {
        assertThat(catchThrowable(() -> CdnOriginReads.from(policyDenyingOn("aws:SourceIp"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("aws:SourceIp");
    }

    @Test
    void aDenyOfRequestsWithoutTlsNeverConcernsTheDistribution() throws Exception {
        assertThat(CdnOriginReads.from(policyDenyingOn("aws:SecureTransport")).mayRead("originals/o/f")).isTrue();
    }
}
