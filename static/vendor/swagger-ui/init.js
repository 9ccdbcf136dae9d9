/* Swagger UI for the Klimanetz API: its settings come from a JSON block of the page (no inline script, CSP). */
(function () {
  "use strict";
  var settings = JSON.parse(document.getElementById("swagger-settings").textContent);
  window.SwaggerUIBundle({
    url: settings.url,
    dom_id: "#swagger-ui",
    presets: [window.SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    deepLinking: true,
    tryItOutEnabled: false
  });
})();
