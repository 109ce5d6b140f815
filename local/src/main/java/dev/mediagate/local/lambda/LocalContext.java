package dev.mediagate.local.lambda;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import dev.mediagate.local.sam.SamTemplate;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** The Lambda context of one local invocation. */
record LocalContext(String functionName, String awsRequestId, int timeoutSeconds, int memoryMb, long startedMillis)
        implements Context {

    static LocalContext start(String functionName, int timeoutSeconds, int memoryMb) {
        return new LocalContext(functionName, UUID.randomUUID().toString(), timeoutSeconds, memoryMb, System.currentTimeMillis());
    }

    @Override
    public String getAwsRequestId() {
        return awsRequestId;
    }

    @Override
    public String getLogGroupName() {
        return "/aws/lambda/" + functionName;
    }

    @Override
    public String getLogStreamName() {
        return "local";
    }

    @Override
    public String getFunctionName() {
        return functionName;
    }

    @Override
    public String getFunctionVersion() {
        return "$LATEST";
    }

    @Override
    public String getInvokedFunctionArn() {
        return "arn:aws:lambda:" + SamTemplate.LOCAL_REGION + ":" + SamTemplate.LOCAL_ACCOUNT_ID + ":function:" + functionName;
    }

    @Override
    public CognitoIdentity getIdentity() {
        return null;
    }

    @Override
    public ClientContext getClientContext() {
        return null;
    }

    @Override
    public int getRemainingTimeInMillis() {
        return (int) Math.max(0, timeoutSeconds * 1000L - (System.currentTimeMillis() - startedMillis));
    }

    @Override
    public int getMemoryLimitInMB() {
        return memoryMb;
    }

    @Override
    public LambdaLogger getLogger() {
        return new LambdaLogger() {
            @Override
            public void log(String message) {
                System.out.print(message);
            }

            @Override
            public void log(byte[] message) {
                System.out.print(new String(message, StandardCharsets.UTF_8));
            }
        };
    }
}
