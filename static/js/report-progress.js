// Report page: while the report is generated, ask for its status every two seconds and show it;
// reload the page when it is finished (downloads or the reason of a failure). Without JavaScript the
// page has a "Refresh" link instead.
(function () {
  "use strict";
  var box = document.querySelector("[data-status-url]");
  if (!box || !window.fetch) {
    return;
  }
  var url = box.getAttribute("data-status-url");
  var bar = box.querySelector("progress");
  var failures = 0;

  function show(state) {
    if (bar) {
      bar.value = state.progress;
      bar.textContent = state.progress + " %";
    }
    box.querySelectorAll("[data-report-field]").forEach(function (node) {
      var key = node.getAttribute("data-report-field");
      if (state[key] !== undefined && node.textContent !== String(state[key])) {
        node.textContent = state[key];
      }
    });
  }

  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(response.status);
        }
        return response.json();
      })
      .then(function (state) {
        failures = 0;
        show(state);
        if (state.done) {
          window.location.reload();
        } else {
          window.setTimeout(poll, 2000);
        }
      })
      .catch(function () {
        failures += 1;
        if (failures < 5) {
          window.setTimeout(poll, 2000 * failures);
        }
      });
  }

  window.setTimeout(poll, 2000);
})();
