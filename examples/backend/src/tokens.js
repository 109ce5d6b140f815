// The backend's token for mediagate's service routes: an OAuth client-credentials grant of your identity provider
// (cached until a minute before it expires), a fixed token, or, against the local stack, its dev token route.
export function serviceTokenSource(env = process.env) {
  if (env.OAUTH_TOKEN_URL) {
    let cached = { token: null, until: 0 };
    return async () => {
      if (cached.token && Date.now() < cached.until) return cached.token;
      const response = await fetch(env.OAUTH_TOKEN_URL, {
        method: "POST",
        headers: {
          "Content-Type": "application/x-www-form-urlencoded",
          Authorization: `Basic ${Buffer.from(`${env.OAUTH_CLIENT_ID}:${env.OAUTH_CLIENT_SECRET}`).toString("base64")}`,
        },
        body: new URLSearchParams({ grant_type: "client_credentials", scope: env.SERVICE_SCOPE ?? "mediagate/service" }),
      });
      if (!response.ok) throw new Error(`the token endpoint answered ${response.status}`);
      const grant = await response.json();
      cached = { token: grant.access_token, until: Date.now() + ((grant.expires_in ?? 300) - 60) * 1000 };
      return cached.token;
    };
  }
  if (env.MEDIAGATE_SERVICE_TOKEN) {
    return () => env.MEDIAGATE_SERVICE_TOKEN;
  }
  const api = new URL(env.MEDIAGATE_API_URL ?? "http://127.0.0.1:3000");
  if (["127.0.0.1", "localhost", "[::1]"].includes(api.hostname)) {
    return async () => {
      const response = await fetch(new URL(`/_local/token?sub=backend&scope=${encodeURIComponent(env.SERVICE_SCOPE ?? "mediagate/service")}`, api));
      return (await response.json()).token;
    };
  }
  throw new Error("set OAUTH_TOKEN_URL (with OAUTH_CLIENT_ID and OAUTH_CLIENT_SECRET) or MEDIAGATE_SERVICE_TOKEN");
}
