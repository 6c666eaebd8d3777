/* The daily board: a sort form shows only the fields its chosen outcome needs. No inline scripts (the CSP forbids
   them). Without JavaScript every fieldset stays visible, each labelled with the outcomes it is for. */
(function () {
  "use strict";

  function onReady(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }

  function sync(form) {
    var select = form.querySelector("select[name$='outcome']");
    if (!select) return;
    var chosen = select.value;
    form.querySelectorAll("[data-outcomes]").forEach(function (set) {
      var wanted = set.getAttribute("data-outcomes").split(" ");
      set.hidden = wanted.indexOf(chosen) < 0;
    });
  }

  onReady(function () {
    document.querySelectorAll("form[data-triage-sort]").forEach(function (form) {
      sync(form);
      form.addEventListener("change", function (event) {
        if (event.target && /outcome$/.test(event.target.name || "")) sync(form);
      });
    });
  });
})();
