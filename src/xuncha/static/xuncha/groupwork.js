/* Group discipline: the month's sign-in grid opens scrolled to today on a narrow screen. */
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var wrap = document.querySelector(".gw-grid-wrap");
    var today = wrap && wrap.querySelector(".gw-is-today");
    var sticky = wrap && wrap.querySelector("th.gw-sticky");
    if (!today || wrap.scrollWidth <= wrap.clientWidth) return;
    var left = today.offsetLeft - (sticky ? sticky.offsetWidth : 0) - 3 * today.offsetWidth;
    wrap.scrollLeft = Math.max(0, left);
  });
})();
