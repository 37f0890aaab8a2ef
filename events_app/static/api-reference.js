// The API reference at /schema: Swagger UI (vendored in /static/vendor/swagger-ui), started from a file so the
// page needs no inline script and keeps the site's Content-Security-Policy.
(function () {
  "use strict";
  var root = document.getElementById("api-reference");
  window.SwaggerUIBundle({
    url: root.getAttribute("data-spec-url"),
    domNode: root,
    deepLinking: true,
    validatorUrl: null, // no badge fetched from validator.swagger.io
  });
})();
