/* The ledger pages: keep filter URLs short (no empty parameters) when htmx sends a filter form. */
(function () {
  "use strict";
  document.addEventListener("htmx:configRequest", function (event) {
    var elt = event.detail.elt;
    if (!elt || !elt.closest || !elt.closest("form.filters")) return;
    if ((event.detail.verb || "").toLowerCase() !== "get") return;
    var data = event.detail.formData;
    if (data && typeof data.keys === "function") {
      Array.from(data.keys()).forEach(function (key) {
        if (data.getAll(key).every(function (v) { return v === ""; })) data.delete(key);
      });
      return;
    }
    var params = event.detail.parameters || {};
    Object.keys(params).forEach(function (key) {
      if (params[key] === "") delete params[key];
    });
  });
})();
