// The local stack the tests run against: MEDIAGATE_API_URL when one is running (the Maven build passes its own),
// otherwise the packaged jar (local/target/mediagate-local.jar, built by ./mvnw install), started on free ports with
// room for multipart uploads (above 32 MiB they go in parts) and stopped when the tests end.
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../../..");

/**
 * A running local stack: its API URL, dev tokens, and its /_local/config. `webhookUrl` (needs a stack of its own)
 * delivers every event there; `parameterOverrides` ("Name=Value ...", a stack of its own too) sets template parameters.
 */
export async function localStack({ webhookUrl, parameterOverrides } = {}) {
  if (process.env.MEDIAGATE_API_URL && !webhookUrl && !parameterOverrides) {
    return stackAt(process.env.MEDIAGATE_API_URL, async () => {});
  }
  const jar = process.env.MEDIAGATE_LOCAL_JAR ?? join(ROOT, "local/target/mediagate-local.jar");
  const java = process.env.MEDIAGATE_JAVA ?? (process.env.JAVA_HOME ? join(process.env.JAVA_HOME, "bin/java") : "java");
  const data = await mkdtemp(join(tmpdir(), "mediagate-js-test-"));
  const args = ["--enable-native-access=ALL-UNNAMED", "-jar", jar, "--data-dir", data, "--api-port", "0", "--s3-port", "0",
    "--cdn-port", "0", "--template", join(ROOT, "template.yaml"),
    "--parameter-overrides", `MaxUploadBytes=1073741824 MultipartThresholdBytes=33554432 ${parameterOverrides ?? ""}`.trim()];
  if (webhookUrl) args.push("--webhook-url", webhookUrl);
  const child = spawn(java, args, { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const started = new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error(`the local stack did not start in 3 minutes:\n${output.slice(-4000)}`)), 180_000);
    const read = (chunk) => {
      output += chunk;
      const ready = /mediagate local stack ready: api=(\S+)/.exec(output);
      if (ready) {
        clearTimeout(timer);
        resolvePromise(ready[1]);
      }
    };
    child.stdout.setEncoding("utf8").on("data", read);
    child.stderr.setEncoding("utf8").on("data", (chunk) => {
      output += chunk;
      if (output.includes('Exception in thread "main"')) {
        clearTimeout(timer);
        setTimeout(() => reject(new Error(`the local stack failed to start:\n${output.slice(-4000)}`)), 500);
      }
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`the local stack stopped (${code}) before it was ready:\n${output.slice(-4000)}`));
    });
  });
  // SIGTERM lets the stack stop what it started (the resizer's JVMs); SIGKILL only if it does not within 20 s.
  const terminate = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((done) => child.once("exit", done));
      child.kill("SIGTERM");
      await Promise.race([exited, new Promise((done) => setTimeout(done, 20_000))]);
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    }
    await rm(data, { recursive: true, force: true });
  };
  let apiUrl;
  try {
    apiUrl = await started;
  } catch (error) {
    await terminate();
    throw error;
  }
  child.removeAllListeners("exit");
  return stackAt(apiUrl, terminate);
}

function stackAt(apiUrl, stop) {
  return {
    apiUrl,
    stop,
    /** A dev token for this user name, with these space-separated scopes (`mediagate/service` for a backend). */
    async token(sub, scope = "") {
      const response = await fetch(`${apiUrl}/_local/token?sub=${encodeURIComponent(sub)}&scope=${encodeURIComponent(scope)}`);
      if (!response.ok) throw new Error(`no dev token for ${sub}: ${response.status}`);
      return (await response.json()).token;
    },
    async config() {
      return (await fetch(`${apiUrl}/_local/config`)).json();
    },
  };
}

/** A user of their own (tests share the stack). */
export function uniqueUser(prefix) {
  return `${prefix}-${Date.now()}-${Math.floor(Math.random() * 1e6)}`;
}
