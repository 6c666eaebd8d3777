/* 巡察工作平台: small behaviours for every page. No inline scripts (the CSP forbids them). */
(function () {
  "use strict";

  function onReady(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }

  onReady(function () {
    // The top bar collapses into a menu button on narrow screens.
    var toggle = document.querySelector("[data-nav-toggle]");
    var bar = document.getElementById("topbar");
    if (toggle && bar) {
      toggle.addEventListener("click", function () {
        var open = bar.classList.toggle("nav-open");
        toggle.setAttribute("aria-expanded", open ? "true" : "false");
      });
    }
  });

  // Menu sections: one open at a time, closed by a click elsewhere or Escape.
  document.addEventListener("click", function (event) {
    document.querySelectorAll("details[data-nav-section][open]").forEach(function (d) {
      if (!d.contains(event.target)) d.removeAttribute("open");
    });
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    document.querySelectorAll("details[data-nav-section][open]").forEach(function (d) {
      d.removeAttribute("open");
    });
  });

  // Forms that ask before they act: <form data-confirm="…">.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement)) return;
    var question = form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
      return;
    }
    // One click, one submission: disable the buttons while the page posts.
    if ((form.method || "").toLowerCase() === "post" && !form.hasAttribute("hx-post")) {
      window.setTimeout(function () {
        form.querySelectorAll("button[type=submit], input[type=submit]").forEach(function (b) {
          b.disabled = true;
        });
      }, 0);
    }
  });

  // Coming back to a page from the browser's history: the buttons disabled on submit work again.
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) return;
    document.querySelectorAll("form button[type=submit]:disabled, form input[type=submit]:disabled").forEach(
      function (b) { b.disabled = false; });
  });

  // Filter bars submit themselves when a select changes: <form data-autosubmit>.
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (!(el instanceof HTMLSelectElement)) return;
    var form = el.form;
    if (form && form.hasAttribute("data-autosubmit")) {
      if (typeof form.requestSubmit === "function") form.requestSubmit();
      else form.submit();
    }
  });
})();
