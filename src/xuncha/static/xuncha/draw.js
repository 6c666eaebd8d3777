/* Group draw pages: the print button of the notary slip (no inline scripts: the CSP forbids them). */
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target instanceof Element ? event.target.closest("[data-print]") : null;
    if (button) window.print();
  });
})();
