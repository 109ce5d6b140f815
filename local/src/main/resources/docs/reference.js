"use strict";
// The reference of this stack's openapi.yaml. Nothing leaves the page's origin: no online validator badge, no fonts.
// "Try it out" calls this stack; a dev token comes from /_local/token?sub=NAME (Authorize, bearerJwt).
window.SwaggerUIBundle({
  url: "/openapi.yaml",
  dom_id: "#reference",
  deepLinking: true,
  validatorUrl: null,
  docExpansion: "list",
  defaultModelsExpandDepth: 0,
});
