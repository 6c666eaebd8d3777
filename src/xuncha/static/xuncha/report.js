// Public report form: show the name/phone/ID fields only for a named report. Without JavaScript they
// stay visible (and are ignored for an anonymous report).
(function () {
  "use strict";
  function update() {
    var named = document.querySelector('input[name="mode"][value="named"]');
    var box = document.querySelector("[data-identity-fields]");
    if (!named || !box) { return; }
    box.hidden = !named.checked;
  }
  document.addEventListener("DOMContentLoaded", function () {
    var radios = document.querySelectorAll("[data-identity-toggle]");
    for (var i = 0; i < radios.length; i++) { radios[i].addEventListener("change", update); }
    update();
  });
})();
