/* The plan pages: copy the disclosure text; show the feedback form's organs or level above only when they apply.
   No inline scripts (the CSP forbids them). Without JavaScript every field stays visible and the page works. */
(function () {
  "use strict";

  function onReady(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }

  function copyText(area) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(area.value);
    }
    // Intranet over plain HTTP: the clipboard API is missing, fall back to selecting the text.
    return new Promise(function (resolve, reject) {
      area.focus();
      area.select();
      try {
        if (document.execCommand("copy")) resolve();
        else reject(new Error("copy refused"));
      } catch (err) {
        reject(err);
      }
    });
  }

  onReady(function () {
    document.querySelectorAll("[data-copy-target]").forEach(function (button) {
      var area = document.getElementById(button.getAttribute("data-copy-target"));
      if (!area) return;
      var card = button.closest(".card") || document;
      var status = card.querySelector(".copy-status");
      button.addEventListener("click", function () {
        copyText(area).then(function () {
          if (status) status.textContent = button.getAttribute("data-copied") || "";
        }, function () {
          area.focus();
          area.select();
          if (status) status.textContent = button.getAttribute("data-copy-failed") || "";
        });
      });
    });

    var radios = document.querySelectorAll("input[type=radio][name=form]");
    var parts = document.querySelectorAll("[data-feedback-when]");
    if (radios.length && parts.length) {
      var update = function () {
        var chosen = "";
        radios.forEach(function (r) { if (r.checked) chosen = r.value; });
        parts.forEach(function (part) {
          var show = part.getAttribute("data-feedback-when") === chosen || part.querySelector(".field-error");
          part.classList.toggle("hidden", !show);
        });
      };
      radios.forEach(function (r) { r.addEventListener("change", update); });
      update();
    }
  });
})();
